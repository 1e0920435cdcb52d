"""Staff choose their passwords through Django's password-reset emails: the invitation
(`manage.py invite_staff`) and "Forgotten your password?" on the sign-in page."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from .plaintext import wrap_text

# Django's own logger for these, as its password-reset form writes to.
logger = logging.getLogger("django.contrib.auth")


class PasswordResetForm(forms.PasswordResetForm):
    """Django's, with the site's name and the link in the email taken from SITE_URL, like every
    other email's: never from the host name the request used, which anyone may choose among
    ALLOWED_HOSTS (and which lost the port behind a proxy)."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Django's own, with the plain text wrapped at 78 characters as every email of the
        # site is (these do not go through the outbox).
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = wrap_text(loader.render_to_string(email_template_name, context))
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        try:
            message.send()
        except Exception:
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
