from email.utils import parseaddr

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView, ListView

from blocks import richtext
from blocks.publishing import PreviewMixin, Publishable
from blocks.submissions import PublicFormView

from . import subscriber_links, subscriptions
from .forms import PreferencesForm, SubscribeForm
from .models import Issue, Section, Subscriber

# Linked items the page shows only as a link with its title: the fields that link reads.
LINK_FIELDS = {
    "workshops": ["slug", "title"],
    "projects": ["slug", "title", "year_span"],
    "funding_schemes": ["slug", "name"],
    "events": ["slug", "title", "starts_at"],
}


def linked_items(relation):
    """What readers may see of one kind of item a section links to: drafts and scheduled items
    linked from a section must not leak into the issue as links that 404. Kept as a list in
    ``section.shown_<relation>``, which the page reads without a manager and queryset each."""
    model = Section._meta.get_field(relation).related_model
    queryset = model.objects.published() if issubclass(model, Publishable) else model.objects.all()
    if relation in LINK_FIELDS:
        queryset = queryset.only(*LINK_FIELDS[relation])
    return Prefetch(relation, queryset=queryset, to_attr=f"shown_{relation}")


class IssueListView(ListView):
    context_object_name = "issues"
    paginate_by = 12

    def get_queryset(self):
        return Issue.objects.archive()


class IssueDetailView(PreviewMixin, DetailView):
    context_object_name = "issue"

    def get_queryset(self):
        sections = Section.objects.prefetch_related(
            *map(linked_items, (*Section.LINKED_ITEMS, "topics"))
        ).annotate(
            # Whether the section's heading has a page of its own (SectionHistoryView) worth
            # linking to: another published issue has a section with the same anchor.
            in_other_issues=Exists(
                Section.objects.published()
                .filter(slug=OuterRef("slug"))
                .exclude(issue=OuterRef("issue"))
            )
        )
        # PreviewMixin keeps this to published issues for everyone but signed-in staff.
        return Issue.objects.prefetch_related(Prefetch("sections", queryset=sections))

    def get_context_data(self, **kwargs):
        archive = Issue.objects.archive().only("title", "slug", "month", "volume")
        issue = self.object
        newer = archive.filter(month__gt=issue.month).order_by("month", "volume").first()
        older = archive.filter(month__lt=issue.month).first()
        sections = issue.sections.all()
        # Each body is sanitised once, for both its text and its entries in the contents.
        for section in sections:
            section.body_html, section.contents = richtext.render_with_subheadings(
                section.body, section.slug
            )
        return super().get_context_data(sections=sections, newer=newer, older=older, **kwargs)


class SectionHistoryView(ListView):
    """One section of the newsletter ("Prevent news") from every published issue, newest first:
    the sections with the same anchor."""

    template_name = "newsletters/section_history.html"
    context_object_name = "sections"
    allow_empty = False

    def get_queryset(self):
        return (
            Section.objects.published()
            .filter(slug=self.kwargs["slug"])
            .select_related("issue")
            .order_by("-issue__month", "-issue__volume")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for section in context["sections"]:
            section.contents = richtext.subheadings(section.body, section.slug)
        return context


# The subscription pages. Each belongs to one person (their form, or a page reached by the signed
# link in their email), so none is ever cached.

TOKEN_PAGE_METHODS = ["GET", "HEAD", "POST"]


@method_decorator(never_cache, name="dispatch")
class SubscribeView(PublicFormView):
    form_class = SubscribeForm
    template_name = "newsletters/subscribe_form.html"
    success_url = reverse_lazy("newsletters:subscribe-done")
    rate_limit_setting = "NEWSLETTER_SIGNUP_RATE_LIMIT"
    rate_limit_scope = "newsletter-signup"
    things_sent = ("sign-up", "sign-ups")
    used_tokens_key = "newsletter_signup_used_tokens"

    def save_submission(self, form):
        # New, waiting, subscribed, left before, or over its own limit: the answer is the same
        # page, so nobody can learn from it who subscribes.
        subscriptions.sign_up(form.cleaned_data["email"], form.cleaned_data["updates"])


@require_safe
@never_cache
def subscribe_done(request):
    from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return render(
        request,
        "newsletters/subscribe_done.html",
        {"from_name": from_name, "from_address": from_address},
    )


def link_page(request, template, status=200, **context):
    # The address holds the subscriber's token: no canonical or og:url repeats it in the page.
    return render(request, template, {"canonical_url": None, **context}, status=status)


def link_does_not_work(request):
    return link_page(request, "newsletters/link_invalid.html", status=404)


def preferences_path(subscriber):
    return reverse("newsletters:preferences", args=[subscriber_links.manage_token(subscriber)])


@never_cache
@require_http_methods(TOKEN_PAGE_METHODS)
def confirm(request, token):
    # Mail scanners open the links in emails: a GET only shows the button, the POST confirms.
    try:
        subscriber = subscriber_links.subscriber_to_confirm(token)
    except signing.SignatureExpired:
        return link_page(request, "newsletters/link_expired.html", status=410)
    except signing.BadSignature:
        subscriber = None
    if subscriber is None:
        return link_does_not_work(request)
    preferences = preferences_path(subscriber)
    if request.method == "POST":
        if subscriber.status != Subscriber.Status.CONFIRMED:
            subscriber.confirm()
        return link_page(request, "newsletters/confirm_done.html", preferences_url=preferences)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return link_page(request, "newsletters/confirm_already.html", preferences_url=preferences)
    return link_page(request, "newsletters/confirm_form.html")


@never_cache
@require_http_methods(TOKEN_PAGE_METHODS)
def preferences(request, token):
    try:
        subscriber = subscriber_links.subscriber_to_manage(token)
    except signing.BadSignature:
        subscriber = None
    if subscriber is None:
        return link_does_not_work(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriptions.change_updates(subscriber, form.cleaned_data["updates"])
            messages.success(request, "Your preferences have been saved")
            return redirect(request.path)
    else:
        form = PreferencesForm(initial={"updates": subscriber.updates})
    return link_page(
        request,
        "newsletters/preferences_form.html",
        form=form,
        subscriber=subscriber,
        unsubscribe_url=reverse("newsletters:unsubscribe", args=[token]),
    )


# Exempt from the CSRF check because mail programs unsubscribe with one click (RFC 8058): they
# POST "List-Unsubscribe=One-Click" to the link in the List-Unsubscribe header, with no cookie and
# so no CSRF token. The signed token in the address is the authority: only someone who has the
# subscriber's email has it, and a forged POST could do nothing but unsubscribe that address.
@csrf_exempt
@never_cache
@require_http_methods(TOKEN_PAGE_METHODS)
def unsubscribe(request, token):
    # Mail scanners open the links in emails: a GET only shows the button, any POST leaves.
    try:
        subscriber = subscriber_links.subscriber_to_manage(token)
    except signing.BadSignature:
        return link_does_not_work(request)
    if request.method == "POST" or subscriber is None:
        # Already gone (a second click, or the mail program and then the person) is the same
        # answer: the address is off the list.
        if subscriber is not None:
            subscriber.leave()
        return link_page(request, "newsletters/unsubscribe_done.html")
    return link_page(
        request,
        "newsletters/unsubscribe_form.html",
        subscriber=subscriber,
        preferences_url=reverse("newsletters:preferences", args=[token]),
    )
