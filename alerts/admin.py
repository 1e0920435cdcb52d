from django import forms
from django.contrib import admin

from blocks.admin import wrapping_time

from .models import Banner, PageKind, SensitivePage

PUBLISH = "alerts.publish_banner"


class BannerForm(forms.ModelForm):
    page_kinds = forms.MultipleChoiceField(
        label="Shown on",
        choices=PageKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Banner._meta.get_field("page_kinds").help_text,
    )

    class Meta:
        model = Banner
        fields = "__all__"


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    """Editors draft banners; only emergency publishers (and superusers) put them live."""

    form = BannerForm
    # Times that may wrap, so the list fits beside the side menu at 1280 pixels.
    list_display = ["title", "severity", "is_live", "starts", "ends", "shown_on_pages"]
    list_filter = ["severity", "is_live"]
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["severity", "title", "message"]}),
        ("Where and when", {"fields": ["page_kinds", "starts_at", "ends_at"]}),
        ("Options", {"fields": ["dismissible", "in_newsletter", "is_live"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.has_perm(PUBLISH) else ["is_live"]

    def has_change_permission(self, request, obj=None):
        # A live banner is the publishers' to change: an editor's edit would go straight live.
        if obj is not None and obj.is_live and not request.user.has_perm(PUBLISH):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_live and not request.user.has_perm(PUBLISH):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="starts", ordering="starts_at")
    def starts(self, banner):
        return wrapping_time(banner.starts_at) if banner.starts_at else "When put live"

    @admin.display(description="ends", ordering="ends_at")
    def ends(self, banner):
        return wrapping_time(banner.ends_at) if banner.ends_at else "When taken down"

    @admin.display(description="Shown on")
    def shown_on_pages(self, banner):
        if not banner.page_kinds:
            return "Every page"
        return ", ".join(PageKind(kind).label for kind in banner.page_kinds)


@admin.register(SensitivePage)
class SensitivePageAdmin(admin.ModelAdmin):
    """Pages the team marks as sensitive: they get Exit this page, as the help page has."""

    list_display = ["path", "reason", "added_at"]
    search_fields = ["path", "reason"]
    fields = ["path", "reason"]
