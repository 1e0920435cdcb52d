"""Staff choose their passwords through Django's password-reset emails: the invitation
(`manage.py invite_staff`) and "Forgotten your password?" on the sign-in page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms


class PasswordResetForm(forms.PasswordResetForm):
    """Django's, with the site's name and the link in the email taken from SITE_URL, like every
    other email's: never from the host name the request used, which anyone may choose among
    ALLOWED_HOSTS (and which lost the port behind a proxy)."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)
