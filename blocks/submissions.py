"""One workflow for every public form: what it saves (``Submission``), the form's view
(``PublicFormView``) and its confirmation page (``SentView``).

A new form needs only its model (a Submission, with its fields and status), its form, its emails
and its templates: the rate limit, the single save with a reference number and the emails in the
outbox, the single-use token, the redirect and the confirmation shown only to its sender are here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_info
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import FormView, TemplateView

from . import ratelimit, receipt
from .references import next_reference
from .resubmission import SendOnceMixin


class SubmissionQuerySet(models.QuerySet):
    def received_before(self, moment):
        return self.filter(received_at__lt=moment)

    def received_since(self, moment):
        return self.filter(received_at__gte=moment)


class Submission(models.Model):
    """What a member of the public sent through a form. Personal data: the staff group for it
    only, and purged after its retention period (blocks/retention.py)."""

    # The count its references share each year ("report"), and their prefix ("REP").
    reference_series = None
    reference_prefix = None

    reference = models.CharField(
        max_length=30,
        unique=True,
        editable=False,
        help_text="Given when it arrives, e.g. WRAP-2026-0042 or REP-2026-0007. Quote it when "
        "you reply.",
    )
    notes = models.TextField(
        "internal notes", blank=True, help_text="Only the team sees these. Never sent to anyone."
    )
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    # The emails about it hold the same personal data: deleted with it, and shown in the outbox
    # only to those who may see it.
    emails = GenericRelation("outbox.OutboundEmail")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-received_at"]

    def get_reference_prefix(self):
        return self.reference_prefix

    def assign_reference(self):
        """Give it its next reference, e.g. REP-2026-0007. Call inside a transaction."""
        self.reference = next_reference(
            self.reference_series, self.get_reference_prefix(), self.received_at
        )

    def emailed_at(self, kind):
        """When the email of this kind about it went, or None if it has not (yet).

        Read from the outbox, which holds the only record of it; admin lists prefetch the emails.
        """
        return next(
            (email.sent_at for email in self.emails.all() if email.kind == kind and email.sent_at),
            None,
        )


class InTheirLanguage(models.Model):
    """What was sent from a form offered in several languages (settings.LANGUAGES): which one
    its sender read. PublicFormView records it; the team's emails stay English and name it, the
    sender's acknowledgement is in it."""

    language = models.CharField(
        "language of the form",
        max_length=10,
        default=settings.LANGUAGE_CODE,
        editable=False,
        help_text="The language the sender read the form in (settings.LANGUAGES); what they "
        "typed is kept as they wrote it.",
    )

    class Meta:
        abstract = True

    @property
    def in_another_language(self):
        """Sent from the form in a language other than English."""
        return self.language != settings.LANGUAGE_CODE

    @property
    def language_name(self):
        """The form's language in English, and in itself: "Arabic (العربية)"."""
        name = get_language_info(self.language)["name"]
        if not self.in_another_language:
            return name
        # Its own name as the site's language switcher writes it (settings.LANGUAGES).
        return f"{name} ({dict(settings.LANGUAGES).get(self.language, self.language)})"


# Each visitor's own form (its token, what they typed): no shared cache may keep it.
@method_decorator(cache_control(private=True), name="dispatch")
class PublicFormView(SendOnceMixin, FormView):
    """A public form: rate limited, saved once, then redirected to its confirmation.

    Set ``rate_limit_setting`` (the setting of how many one client may send an hour),
    ``rate_limit_scope`` (what the limit counts them under), ``things_sent`` (singular and plural,
    for the message over the limit), ``used_tokens_key`` (the session's key for its tokens) and,
    for a ``SentView``, ``sent_session_key``; override ``save_submission`` or ``queue_emails``.
    """

    rate_limit_setting = None
    rate_limit_scope = None
    things_sent = ("form", "forms")
    # A translated form's message over the rate limit, in full: ngettext_lazy(singular, plural,
    # "limit") with %(limit)d and %(email)s. None: made from things_sent, in English.
    over_limit_message = None
    sent_session_key = None

    def form_valid(self, form):
        limit = getattr(settings, self.rate_limit_setting)
        if not ratelimit.allow_submission(self.request, self.rate_limit_scope, limit):
            return self.over_limit(form, limit)
        # A model form's submission records the language its sender read (a sign-up has none).
        if isinstance(getattr(form, "instance", None), InTheirLanguage):
            form.instance.language = translation.get_language()
        self.object = self.save_submission(form)
        if self.sent_session_key:
            receipt.remember_sent(self.request.session, self.sent_session_key, self.object)
        self.remember_token()
        return HttpResponseRedirect(self.get_success_url())

    def save_submission(self, form):
        """Save what was sent, with its emails in the outbox, before any email is tried: the
        worker sends them once this commits. Returns what was saved."""
        with transaction.atomic():
            submission = form.save(commit=False)
            submission.assign_reference()
            submission.save()
            self.queue_emails(submission)
        return submission

    def queue_emails(self, submission):
        raise NotImplementedError

    def over_limit(self, form, limit):
        """The form again, with the reason above it, answered with 429."""
        if self.over_limit_message is not None:
            message = self.over_limit_message
        else:
            # English: a form offered in other languages gives its own over_limit_message.
            one, many = self.things_sent
            message = (
                f"You have sent %(limit)d {one if limit == 1 else many} in the last hour, which "
                "is our limit. Wait an hour and try again, or email %(email)s."
            )
        form.add_error(None, message % {"limit": limit, "email": settings.TEAM_EMAIL})
        return self.render_to_response(self.get_context_data(form=form), status=429)


@method_decorator(never_cache, name="dispatch")
class SentView(TemplateView):
    """The confirmation page of a PublicFormView: what this browser sent, recently (see
    blocks/receipt.py); anyone else goes back to the form."""

    http_method_names = ["get", "head"]
    form_view = None
    form_url = None  # where anyone else goes: the form's URL name
    queryset = None
    context_object_name = None

    def get(self, request, *args, **kwargs):
        sent_id = receipt.recently_sent_id(request.session, self.form_view.sent_session_key)
        sent = self.queryset.filter(pk=sent_id).first()
        if sent is None:
            return redirect(self.form_url)
        return self.render_to_response(self.get_context_data(**{self.context_object_name: sent}))
