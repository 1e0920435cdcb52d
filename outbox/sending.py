"""Sending the outbox: exactly once, never inside a web request.

An app queues its emails (``queue``) in the same transaction as what they are about; once that
commits they are handed to the worker (``send_emails``, a django.tasks task). Each sender claims
its rows with one conditional UPDATE, so the worker and ``manage.py send_pending_emails`` (cron,
the safety net) never send an email twice.

A failure that waiting cannot mend (the server refused the address, or the message cannot be
built) fails the email at once. Any other is retried, 1, 2, 4 … minutes apart (at most an
hour), until it has been failing for 24 hours; the admin shows failed emails and can retry them.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from blocks.plaintext import wrap_text
from blocks.validators import is_sendable_address, one_line

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died. It must be far longer than
# a batch can take to send (EMAIL_TIMEOUT per email), or a slow sender could lose its claim.
STALE_CLAIM = timedelta(minutes=15)
BATCH_SIZE = 50
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)


# RFC 5322's limit for a line of a header: longer ones must be folded.
MAX_HEADER_LINE = 998


class OneLineHeader(str):
    """A header value written on one line, not folded at 78 characters as Python's email does.

    A value with no space to fold at, such as List-Unsubscribe's long link, would otherwise be
    cut into RFC 2047 encoded words, which Gmail and others do not decode in that header: the
    link is then ignored. Python's email takes a value with a ``name`` as a header object and
    writes it with its ``fold()``.
    """

    def __new__(cls, name, value):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):
        # Copied (the locmem mail backend deep-copies messages) with its name.
        return (self.name, str(self))

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


def _header(name, value):
    """``value`` as one line when it can be (printable ASCII, short enough); anything else is
    left to Python's email, which checks it and refuses a line break."""
    value = str(value)
    one_line = (
        value.isascii() and value.isprintable() and len(name) + 2 + len(value) <= MAX_HEADER_LINE
    )
    return OneLineHeader(name, value) if one_line else value


def queue(*emails):
    """Save these new emails and have the worker send them once the current transaction
    commits. Returns them."""
    for email in emails:
        email.save()
    hand_to_worker([email.pk for email in emails])
    return list(emails)


def hand_to_worker(ids):
    """Have the worker send the outbox emails with these ids once the current transaction
    commits.

    If the task cannot be queued (the database went away just then), the emails wait in the
    outbox for ``send_pending_emails``.
    """
    transaction.on_commit(lambda: send_emails.enqueue(ids), robust=True)


def claim(ids=None, limit=BATCH_SIZE, due_only=True):
    """Claim unsent emails for this sender alone and return them (with ``due_only=False``,
    waiting emails whose next try has not come yet too).

    One UPDATE both checks and takes each row, so it is atomic on SQLite (one writer at a time)
    and on PostgreSQL (a concurrent UPDATE of the same row waits, then re-checks the condition
    and finds the row already claimed).
    """
    now = timezone.now()
    claimable = Q(sent_at__isnull=True, failed_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)
    )
    if due_only:
        claimable &= Q(next_attempt_at__lte=now)
    candidates = OutboundEmail.objects.filter(claimable)
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    # Those due longest ago first: an email that keeps failing waits longer each time, so it
    # falls behind new ones instead of blocking them.
    candidate_ids = list(
        candidates.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    if not candidate_ids:
        return []
    token = uuid.uuid4().hex
    OutboundEmail.objects.filter(claimable, pk__in=candidate_ids).update(
        claimed_at=now, claim_token=token
    )
    return list(OutboundEmail.objects.filter(claim_token=token).order_by("next_attempt_at", "pk"))


def _message(email):
    reply_to = email.reply_to
    if reply_to and not is_sendable_address(reply_to):
        # The recipient must still get the email: without a Reply-To they reply by hand, using
        # an address shown in the email.
        logger.warning("Leaving out an invalid Reply-To for outbox id %s: %r", email.pk, reply_to)
        reply_to = ""
    message = EmailMultiAlternatives(
        subject=one_line(email.subject),
        body=wrap_text(email.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[reply_to] if reply_to else None,
        headers={name: _header(name, value) for name, value in email.headers.items()} or None,
    )
    message.attach_alternative(email.html, "text/html")
    return message


def _record_sent(email, now):
    OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        sent_at=now, claimed_at=None, attempts=F("attempts") + 1, last_error=""
    )


def _mark_sent(email):
    """Record a sent email. The email has gone, so a database error here must not escape:
    the sender would report it as failed, and a later run would send it again."""
    now = timezone.now()
    email.sent_at, email.attempts = now, email.attempts + 1
    for attempt in (1, 2):
        try:
            _record_sent(email, now)
            return
        except Exception:
            logger.exception(
                "Sent %r (outbox id %s) but could not record it (try %s of 2)",
                email.subject,
                email.pk,
                attempt,
            )


def is_permanent(error):
    """True for errors that trying again cannot fix.

    A 5xx reply to the recipient or the message, and a message that cannot be built (a header
    Python refuses raises ValueError), fail the same way every time. Connection problems,
    timeouts and 4xx replies are temporary. A 5xx reply to the login or to the sender address
    is the site's own settings at fault, not this email: it is retried like a temporary error.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused)):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, (ValueError, UnicodeError))


def retry_delay(attempts):
    """How long to wait after the given number of failed attempts: 1, 2, 4 … minutes."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 10), LONGEST_WAIT)


def _mark_failed(email, error, permanent=None):
    """Record a failure on the row and on ``email``, and say when (or whether) it goes again."""
    now = timezone.now()
    error_text = f"{type(error).__name__}: {error}"[:2000]
    attempts = email.attempts + 1
    failing_since = email.failing_since or now
    if permanent is None:
        permanent = is_permanent(error)
    failed_at = now if permanent or now - failing_since >= GIVE_UP_AFTER else None
    next_attempt_at = now + retry_delay(attempts)
    OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        claimed_at=None,
        attempts=F("attempts") + 1,
        last_error=error_text,
        next_attempt_at=next_attempt_at,
        failing_since=failing_since,
        failed_at=failed_at,
    )
    email.attempts, email.last_error, email.failing_since = attempts, error_text, failing_since
    email.next_attempt_at, email.failed_at = next_attempt_at, failed_at
    if failed_at:
        logger.error("Gave up on %r (outbox id %s): %s", email.subject, email.pk, email.state)
    else:
        logger.warning(
            "Could not send %r (outbox id %s): %s. %s",
            email.subject,
            email.pk,
            error_text,
            email.state,
        )


def send_claimed(emails):
    """Send emails this sender has claimed. Returns (email, error or None) for each.

    A temporary failure leaves the email to be tried again later; a permanent one, or too
    many failures, marks it failed (see ``is_permanent``). The email objects are updated to
    match their rows.
    """
    if not emails:
        return []
    # mailers.default reads MAILERS when it is configured, or the older EMAIL_* settings.
    connection = mailers.default
    try:
        # One connection for the batch: if the server is down, this fails once rather than
        # waiting for a timeout per email.
        connection.open()
    except Exception as error:
        # The server could not be reached: nothing is wrong with the emails themselves.
        for email in emails:
            _mark_failed(email, error, permanent=False)
        return [(email, error) for email in emails]
    results = []
    try:
        for email in emails:
            try:
                if connection.send_messages([_message(email)]) != 1:
                    raise RuntimeError("The mail backend did not accept the message.")
            except Exception as error:
                _mark_failed(email, error)
                results.append((email, error))
            else:
                _mark_sent(email)
                results.append((email, None))
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Could not close the mail connection", exc_info=True)
    return results


def send_pending(limit=BATCH_SIZE, due_only=True):
    """Send whatever is still waiting in the outbox (one batch)."""
    return send_claimed(claim(limit=limit, due_only=due_only))


def retry_now(queryset):
    """Make these unsent emails due now, failed ones included, and hand them to the worker.
    Returns how many there were."""
    ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=ids).update(
        next_attempt_at=timezone.now(), failed_at=None, failing_since=None
    )
    hand_to_worker(ids)
    return len(ids)


@task
def send_emails(ids):
    """The worker's task: send these outbox emails, then ask to run again at the next try of
    any that failed for now. Returns how many were sent."""
    results = send_claimed(claim(ids=ids))
    waiting = [email for email, error in results if error and not email.failed_at]
    if waiting:
        next_try = min(email.next_attempt_at for email in waiting)
        send_emails.using(run_after=next_try).enqueue([email.pk for email in waiting])
    return sum(error is None for _, error in results)
