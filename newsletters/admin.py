from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from outbox.admin import EmailsInline
from prevent_site.admin import (
    PUBLISHING_FIELDSET,
    GroupOnlyMixin,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
)
from prevent_site.validators import PlainTextValidator
from resources.admin import TOPICS_FIELDSET

from . import importing, mailing
from .models import Delivery, FormerSubscriber, Issue, Section, Subscriber

SECTION_FIELDSETS = [
    (None, {"fields": ["order", "heading", "slug", "body"]}),
    ("Image", {"fields": ["image", "image_alt", "image_decorative"]}),
    (
        "Links to pages this section talks about",
        {
            "classes": ["collapse"],
            "description": "Readers get a link to the current page of each item chosen here.",
            "fields": Section.LINKED_ITEMS,
        },
    ),
    TOPICS_FIELDSET,
]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fieldsets = SECTION_FIELDSETS
    prepopulated_fields = {"slug": ["heading"]}
    # Picked by typing part of a name.
    autocomplete_fields = [*Section.LINKED_ITEMS, "topics"]


@admin.register(Issue)
class IssueAdmin(PublishableAdmin):
    list_display = [
        "title",
        "month_display",
        "volume",
        "section_count",
        "publication",
        "view_on_site_link",
    ]
    list_filter = [PublicationFilter, "status"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "month"
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "volume", "month", "summary"]}),
        ("Cover image", {"fields": ["cover_image", "cover_image_alt", "cover_image_decorative"]}),
        PUBLISHING_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_total=Count("sections"))

    @admin.display(description="month", ordering="month")
    def month_display(self, obj):
        return f"{obj.month:%B %Y}"

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    # Sending an issue by email (newsletters.mailing): a test to oneself, the issue to every
    # subscriber, or its HTML for the council's own mailing tool.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/email/test/",
                view(require_POST(self.send_test_view)),
                name="{}_{}_send_test".format(*info),
            ),
            path(
                "<path:object_id>/email/send/",
                view(self.send_to_subscribers_view),
                name="{}_{}_send".format(*info),
            ),
            path(
                "<path:object_id>/email/html/",
                view(self.email_html_view),
                name="{}_{}_email_html".format(*info),
            ),
            *super().get_urls(),
        ]

    def can_send_to_subscribers(self, request, issue=None):
        return request.user.has_perm("newsletters.add_mailing")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, unquote(object_id))
        if issue is not None:
            extra_context = {
                **(extra_context or {}),
                "email_progress": mailing.progress(issue),
                "email_refusal": self.refusal(issue),
                "email_test_refusal": self.refusal(issue, test=True),
                "can_send_to_subscribers": self.can_send_to_subscribers(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def refusal(issue, test=False):
        try:
            mailing.check_sendable(issue, test=test)
        except mailing.CannotSend as refusal:
            return str(refusal)
        return ""

    def email_issue(self, request, object_id, may=None):
        """The issue an email page is about, if the user ``may`` (a permission check, viewing
        by default) use the page."""
        issue = self.get_object(request, unquote(object_id))
        if not (may or self.has_view_or_change_permission)(request, issue):
            raise PermissionDenied
        if issue is None:
            raise Http404("No such issue.")
        return issue

    def change_page(self, issue):
        return HttpResponseRedirect(
            reverse(
                "admin:newsletters_issue_change", args=[issue.pk], current_app=self.admin_site.name
            )
        )

    def send_test_view(self, request, object_id):
        issue = self.email_issue(request, object_id, self.has_change_permission)
        address = request.user.email
        if not address:
            self.message_user(
                request,
                "Your account has no email address to send the test to. Ask an administrator to "
                "add one to your account.",
                messages.ERROR,
            )
            return self.change_page(issue)
        try:
            mailing.send_test(issue, address)
        except mailing.CannotSend as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request,
                f"A test of “{issue}” is on its way to {address}. It should arrive in a minute "
                "or two.",
                messages.SUCCESS,
            )
        return self.change_page(issue)

    def send_to_subscribers_view(self, request, object_id):
        """GET: how many it will go to, and a button to send it. POST: send it (or carry on)."""
        issue = self.email_issue(request, object_id, self.can_send_to_subscribers)
        refusal = self.refusal(issue)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return self.change_page(issue)
        if request.method == "POST":
            to_send = mailing.waiting_subscribers(issue).count()
            mailing.start(issue, request.user)
            if not to_send:
                self.message_user(request, f"“{issue}” has no one left to send it to.")
                return self.change_page(issue)
            self.message_user(
                request,
                ngettext(
                    "Sending “%(issue)s” to %(count)d subscriber. The email worker sends it in "
                    "the background: this page shows how far it has gone.",
                    "Sending “%(issue)s” to %(count)d subscribers. The email worker sends them "
                    "in the background: this page shows how far it has gone.",
                    to_send,
                )
                % {"issue": issue, "count": to_send},
                messages.SUCCESS,
            )
            return self.change_page(issue)
        progress = mailing.progress(issue)
        if progress.to_prepare:
            title = ngettext(
                "Send “%(issue)s” to %(count)d subscriber?",
                "Send “%(issue)s” to %(count)d subscribers?",
                progress.to_prepare,
            ) % {"issue": issue, "count": progress.to_prepare}
        else:
            title = f"Send “{issue}” to subscribers"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": title,
            "progress": progress,
        }
        return TemplateResponse(
            request, "admin/newsletters/issue/send_to_subscribers.html", context
        )

    def email_html_view(self, request, object_id):
        """The email's HTML to paste into another mailing tool: no personal links."""
        issue = self.email_issue(request, object_id)
        refusal = self.refusal(issue, test=True)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return self.change_page(issue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": f"The email’s HTML: {issue}",
            "html": mailing.IssueEmail(issue).render().html,
        }
        return TemplateResponse(request, "admin/newsletters/issue/email_html.html", context)


@admin.register(Section)
class SectionAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["heading", "issue", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["issue", "topics"]
    list_select_related = ["issue"]
    search_fields = ["heading", "body", "issue__title"]
    prepopulated_fields = {"slug": ["heading"]}
    autocomplete_fields = ["issue", *Section.LINKED_ITEMS, "topics"]
    fieldsets = [(None, {"fields": ["issue"]}), *SECTION_FIELDSETS]


# The subscriber list is personal data: the "Newsletter subscriber managers" group (made by
# migration 0007) and superusers only.
SUBSCRIBER_MANAGERS = "Newsletter subscriber managers"
# The rows of each kind the import's report lists (the rest are counted).
SHOWN_ROWS = 1000


class TopicFilter(admin.SimpleListFilter):
    title = "topics"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return [
            ("training_and_events", "Training and events"),
            ("funding", "Funding schemes"),
            ("issues_only", "New issues only"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "training_and_events":
                return queryset.filter(training_and_events=True)
            case "funding":
                return queryset.filter(funding=True)
            case "issues_only":
                return queryset.filter(training_and_events=False, funding=False)
        return queryset


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["issue", "queued"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "issues sent to this address"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="queued for sending")
    def queued(self, delivery):
        return date_format(timezone.localtime(delivery.created_at), "j M Y, H:i")


class SubscriberEmailsInline(EmailsInline):
    kinds = Subscriber.EmailKind
    verbose_name_plural = "emails about this subscription"


class SubscriberImportForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file",
        help_text="A CSV file of at most 2 MB with a column of email addresses, headed “Email "
        "address” or “Email”. Save a spreadsheet or an Outlook contact list as CSV first.",
    )
    source = forms.CharField(
        label="Where the list comes from",
        max_length=Subscriber._meta.get_field("source").max_length,
        validators=[PlainTextValidator("Where the list comes from")],
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="Kept with each address as the reason we may email it, e.g. “Prevent "
        "newsletter mailing list, Outlook contacts”.",
    )
    list_date = forms.DateField(
        label="Date of the list",
        widget=AdminDateWidget,
        help_text="When the list was last brought up to date, e.g. 01/10/2026.",
    )
    training_and_events = forms.BooleanField(label="Also training and events", required=False)
    funding = forms.BooleanField(label="Also funding schemes", required=False)

    def clean_list_date(self):
        list_date = self.cleaned_data["list_date"]
        if list_date > timezone.localdate():
            raise ValidationError("The date of the list must be today or in the past.")
        return list_date

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        # Checked before reading, so a very large file is never read into memory.
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(importing.TOO_LARGE)
        try:
            self.addresses = importing.read_addresses(upload.read())
        except importing.ImportProblem as problem:
            raise ValidationError(str(problem)) from problem
        return upload


@admin.register(Subscriber)
class SubscriberAdmin(GroupOnlyMixin, admin.ModelAdmin):
    staff_group = SUBSCRIBER_MANAGERS
    list_display = ["email", "status", "topics", "source", "signed_up", "confirmed"]
    list_filter = ["status", TopicFilter, "source"]
    search_fields = ["email"]
    view_on_site = False
    inlines = [DeliveryInline, SubscriberEmailsInline]
    fieldsets = [
        (None, {"fields": ["email", "status", "created_at", "confirmed_at"]}),
        (
            "Topics",
            {
                "description": "Every subscriber receives each new issue of the newsletter.",
                "fields": ["training_and_events", "funding"],
            },
        ),
        ("Where the address came from", {"fields": ["source", "lawful_basis"]}),
    ]
    # Only the topics can be changed here. An address is added with its owner's confirmation
    # (the sign-up form) or with the list it came from (the import), and is never retyped: a
    # wrong one is deleted and added again that way.
    readonly_fields = ["email", "status", "created_at", "confirmed_at", "source", "lawful_basis"]

    def has_add_permission(self, request, *args):
        return False

    def has_import_permission(self, request):
        # The permission to add subscribers, which this admin uses only for the import.
        return super().has_add_permission(request)

    @admin.display(description="topics")
    def topics(self, subscriber):
        # Besides new issues, which everyone receives.
        chosen = [
            label
            for wanted, label in [
                (subscriber.training_and_events, "training and events"),
                (subscriber.funding, "funding schemes"),
            ]
            if wanted
        ]
        return ", ".join(chosen).capitalize() if chosen else "New issues only"

    # Dates without times, so that the list fits beside the menu and the filters.
    @admin.display(description="signed up", ordering="created_at")
    def signed_up(self, subscriber):
        return date_format(timezone.localtime(subscriber.created_at), "j M Y")

    @admin.display(description="confirmed", ordering="confirmed_at")
    def confirmed(self, subscriber):
        if subscriber.confirmed_at:
            return date_format(timezone.localtime(subscriber.confirmed_at), "j M Y")
        return None

    def delete_model(self, request, obj):
        self.delete_queryset(request, Subscriber.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Each one leaves, as by their own unsubscribe link: their emails go, and only the
        address's hash stays (and the admin's history no longer names the address)."""
        with transaction.atomic():
            for subscriber in queryset:
                subscriber.leave()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import": self.has_import_permission(request),
        }
        if request.user.has_perm("newsletters.view_formersubscriber"):
            extra_context["former_count"] = FormerSubscriber.objects.count()
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        import_path = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="newsletters_subscriber_import",
        )
        return [import_path, *super().get_urls()]

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = SubscriberImportForm(request.POST, request.FILES)
        else:
            form = SubscriberImportForm()
        if request.method == "POST" and form.is_valid():
            user = request.user
            basis = importing.lawful_basis(
                form.cleaned_data["source"],
                form.cleaned_data["list_date"],
                user.get_full_name() or user.get_username(),
            )
            try:
                result = importing.import_addresses(
                    form.addresses,
                    source=form.cleaned_data["source"],
                    basis=basis,
                    training_and_events=form.cleaned_data["training_and_events"],
                    funding=form.cleaned_data["funding"],
                )
            except importing.ImportProblem as problem:
                form.add_error(None, str(problem))
            else:
                context = {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": "Addresses imported",
                    "result": result,
                    "basis": basis,
                    "shown_rows": SHOWN_ROWS,
                    "shown_slice": f":{SHOWN_ROWS}",
                }
                return TemplateResponse(
                    request, "admin/newsletters/subscriber/import_result.html", context
                )
        fieldsets = [
            (None, {"fields": ["csv_file", "source", "list_date"]}),
            (
                "Topics to give these addresses",
                {
                    "description": "Every subscriber receives each new issue. Tick a topic only "
                    "if the people on this list asked to hear about it.",
                    "fields": ["training_and_events", "funding"],
                },
            ),
        ]
        admin_form = helpers.AdminForm(form, fieldsets, {})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import addresses",
            "form": form,
            "adminform": admin_form,
            "media": self.media + admin_form.media,
            "max_rows": f"{importing.MAX_ROWS:,}",
        }
        return TemplateResponse(request, "admin/newsletters/subscriber/import.html", context)
