"""Email helpers for tests: a mail server that is down, one that is slow, and a message's HTML."""

import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingEmailBackend(BaseEmailBackend):
    """Refuses every message. Set ``error`` to the exception the mail server would raise."""

    error = smtplib.SMTPException("451 Temporary failure, try again later")
    fail_on_open = False

    def open(self):
        if self.fail_on_open:
            raise self.error

    def send_messages(self, email_messages):
        raise self.error


class SlowLocmemBackend(LocmemBackend):
    """Takes a moment per message, so senders running at once overlap."""

    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)


def use_mail_backend(settings, backend):
    """Switch the default mailer, whether settings use MAILERS (Django 6.1) or EMAIL_BACKEND."""
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {**settings.MAILERS, "default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


def html_part(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content
