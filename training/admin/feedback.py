"""Attendees' feedback on sessions, and the quotes the coordinators publish from it."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import ngettext

from blocks.admin import wrapping_time

from ..models import STATEMENTS, Feedback
from .requests import CoordinatorsOnlyMixin


class FeedbackAdminForm(forms.ModelForm):
    publish_quote = forms.BooleanField(
        label="Publish this quote on the workshop's page",
        required=False,
        help_text="Only when they agreed to publication. Untick to take it off the page at once.",
    )

    class Meta:
        model = Feedback
        fields = ["notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_quote"].initial = self.instance.quote_approved_at is not None

    def clean_publish_quote(self):
        publish = self.cleaned_data["publish_quote"]
        if publish and not self.instance.can_be_published:
            raise forms.ValidationError(
                "This response has no quote that its author agreed to publish."
            )
        return publish

    def save(self, commit=True):
        feedback = super().save(commit=False)
        if not self.cleaned_data["publish_quote"]:
            feedback.quote_approved_at = None
        elif feedback.quote_approved_at is None:
            feedback.quote_approved_at = timezone.now()
        if commit:
            feedback.save()
        return feedback


@admin.register(Feedback)
class FeedbackAdmin(CoordinatorsOnlyMixin, admin.ModelAdmin):
    form = FeedbackAdminForm
    list_display = ["reference", "session_name", "received", "short_quote", "quote_state"]
    list_filter = ["session__workshop", "publish_consent", "quote_approved_at"]
    list_select_related = ["session__workshop"]
    search_fields = ["reference", "quote", "most_useful", "could_be_better"]
    date_hierarchy = "received_at"
    actions = ["approve_quotes", "withdraw_quotes"]
    view_on_site = False
    fieldsets = [
        (
            "Quote",
            {"fields": ["quote", "attribution", "publish_consent", "publish_quote"]},
        ),
        (
            "Answers",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "session",
                    "sector",
                    "confidence",
                    "most_useful",
                    "could_be_better",
                ]
            },
        ),
        ("Team", {"fields": ["notes"]}),
    ]
    readonly_fields = [
        "quote",
        "attribution",
        "publish_consent",
        "reference",
        "received_at",
        "session",
        "sector",
        "confidence",
        "most_useful",
        "could_be_better",
    ]

    # Django keeps a related object's column on one line; a session's name needs to wrap.
    @admin.display(description="session", ordering="session__starts_at")
    def session_name(self, obj):
        return str(obj.session)

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        return wrapping_time(obj.received_at)

    @admin.display(description="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(60)

    @admin.display(description="on the workshop page")
    def quote_state(self, obj):
        if obj.quote_approved_at:
            return "Published"
        if obj.can_be_published:
            return "Waiting for approval"
        return "No quote to publish" if not obj.quote else "Not agreed to publication"

    @admin.display(description="confidence, before → after (1 to 5)")
    def confidence(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                (
                    (label, getattr(obj, f"{stem}_before"), getattr(obj, f"{stem}_after"))
                    for stem, label in STATEMENTS
                ),
            ),
        )

    @admin.action(description="Publish their quotes on the workshop pages", permissions=["change"])
    def approve_quotes(self, request, queryset):
        publishable = queryset.publishable().filter(quote_approved_at=None)
        count = publishable.update(quote_approved_at=timezone.now())
        skipped = queryset.filter(publish_consent=False).exclude(quote="").count()
        self.message_user(
            request,
            ngettext(
                "%(count)d quote is now on its workshop's page.",
                "%(count)d quotes are now on their workshops' pages.",
                count,
            )
            % {"count": count}
            + (
                f" {skipped} could not be published: their authors did not agree to it."
                if skipped
                else ""
            ),
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description="Take their quotes off the workshop pages", permissions=["change"])
    def withdraw_quotes(self, request, queryset):
        count = queryset.exclude(quote_approved_at=None).update(quote_approved_at=None)
        self.message_user(
            request,
            ngettext(
                "%(count)d quote was taken off its workshop's page.",
                "%(count)d quotes were taken off their workshops' pages.",
                count,
            )
            % {"count": count},
        )
