"""The mailing console of an issue's admin page: a test to oneself, the issue to every
subscriber, and its HTML for another mailing tool. Each view is given the issue's ModelAdmin
(``model_admin``) for its permissions and messages."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext

from .. import mailing


def refusal(issue, test=False):
    try:
        mailing.check_sendable(issue, test=test)
    except mailing.CannotSend as refused:
        return str(refused)
    return ""


def email_issue(model_admin, request, object_id, may=None):
    """The issue an email page is about, if the user ``may`` (a permission check, viewing by
    default) use the page."""
    issue = model_admin.get_object(request, unquote(object_id))
    if not (may or model_admin.has_view_or_change_permission)(request, issue):
        raise PermissionDenied
    if issue is None:
        raise Http404("No such issue.")
    return issue


def change_page(model_admin, issue):
    return HttpResponseRedirect(
        reverse(
            "admin:newsletters_issue_change",
            args=[issue.pk],
            current_app=model_admin.admin_site.name,
        )
    )


def page(model_admin, request, issue, title, template, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": issue,
        "title": title,
        **context,
    }
    return TemplateResponse(request, template, context)


def send_test(request, object_id, *, model_admin):
    issue = email_issue(model_admin, request, object_id, model_admin.has_change_permission)
    address = request.user.email
    if not address:
        model_admin.message_user(
            request,
            "Your account has no email address to send the test to. Ask an administrator to "
            "add one to your account.",
            messages.ERROR,
        )
        return change_page(model_admin, issue)
    try:
        mailing.send_test(issue, address)
    except mailing.CannotSend as refused:
        model_admin.message_user(request, str(refused), messages.ERROR)
    else:
        model_admin.message_user(
            request,
            f"A test of “{issue}” is on its way to {address}. It should arrive in a minute or two.",
            messages.SUCCESS,
        )
    return change_page(model_admin, issue)


def send_to_subscribers(request, object_id, *, model_admin):
    """GET: how many it will go to, and a button to send it. POST: send it (or carry on)."""
    issue = email_issue(model_admin, request, object_id, model_admin.can_send_to_subscribers)
    refused = refusal(issue)
    if refused:
        model_admin.message_user(request, refused, messages.ERROR)
        return change_page(model_admin, issue)
    if request.method == "POST":
        to_send = mailing.waiting_subscribers(issue).count()
        mailing.start(issue, request.user)
        if not to_send:
            model_admin.message_user(request, f"“{issue}” has no one left to send it to.")
            return change_page(model_admin, issue)
        model_admin.message_user(
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
        return change_page(model_admin, issue)
    progress = mailing.progress(issue)
    if progress.to_prepare:
        title = ngettext(
            "Send “%(issue)s” to %(count)d subscriber?",
            "Send “%(issue)s” to %(count)d subscribers?",
            progress.to_prepare,
        ) % {"issue": issue, "count": progress.to_prepare}
    else:
        title = f"Send “{issue}” to subscribers"
    template = "admin/newsletters/issue/send_to_subscribers.html"
    return page(model_admin, request, issue, title, template, progress=progress)


def email_html(request, object_id, *, model_admin):
    """The email's HTML to paste into another mailing tool: no personal links."""
    issue = email_issue(model_admin, request, object_id)
    refused = refusal(issue, test=True)
    if refused:
        model_admin.message_user(request, refused, messages.ERROR)
        return change_page(model_admin, issue)
    title = f"The email’s HTML: {issue}"
    template = "admin/newsletters/issue/email_html.html"
    html = mailing.IssueEmail(issue).render().html
    return page(model_admin, request, issue, title, template, html=html)
