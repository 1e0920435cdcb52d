"""The admin of the site-wide models that live in blocks (which registers nothing itself)."""

from django import forms
from django.contrib import admin

from blocks import languages
from blocks.admin import TranslatedAdmin, ViewOnSiteMixin
from blocks.models import PageIntroduction, TranslationCheck


class TranslationCheckForm(forms.ModelForm):
    class Meta:
        model = TranslationCheck
        fields = ["page", "language", "checked_by", "checked_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The pages and languages of now, not of when a migration ran.
        pages = sorted(languages.translated_pages().items(), key=lambda item: item[1])
        self.fields["page"].widget = forms.Select(choices=[(name, label) for name, label in pages])
        self.fields["language"].widget = forms.Select(choices=languages.other_languages())


@admin.register(TranslationCheck)
class TranslationCheckAdmin(admin.ModelAdmin):
    form = TranslationCheckForm
    list_display = ["page_name", "language_name", "checked_by", "checked_on"]
    list_filter = ["language"]

    @admin.display(description="page", ordering="page")
    def page_name(self, obj):
        return languages.translated_pages().get(obj.page, obj.page)

    @admin.display(description="language", ordering="language")
    def language_name(self, obj):
        return dict(languages.other_languages()).get(obj.language, obj.language)


@admin.register(PageIntroduction)
class PageIntroductionAdmin(ViewOnSiteMixin, TranslatedAdmin):
    """Each language beside English. One row a page, made by the migrations: the team changes
    the words, and neither adds nor deletes a page."""

    list_display = ["name", "view_on_site_link"]
    fields = ["name", "text"]
    readonly_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
