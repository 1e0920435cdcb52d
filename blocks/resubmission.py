"""A public form is saved once however often it is sent: a second click, or Back and send again,
shows the first confirmation instead of saving a copy.

The empty form carries a random token. Once something is saved with it, the browser's session
remembers the token, and the same token sent again goes straight to the confirmation page.
"""

import re
import secrets

from crispy_forms_gds.layout import Field
from django import forms
from django.http import HttpResponseRedirect

FIELD = "form_token"
# Tokens a session remembers: the last few forms it sent.
KEPT = 10
_token = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class FormTokenMixin(forms.Form):
    """Mix into a public form, and put ``form_token()`` in its Layout."""

    # Only the view reads it: a tampered token is ignored there, so it has no length limit here,
    # which would stop the form with an error nobody can see.
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)


def form_token():
    """The token's place in a crispy Layout."""
    return Field(FIELD)


class SendOnceMixin:
    """For the CreateView of a form with FormTokenMixin: set ``used_tokens_key`` (the session key
    for this form's tokens) and call ``remember_token()`` once the object is saved."""

    used_tokens_key = None

    def get_initial(self):
        # Not stored on the way out, so viewing the form sets no cookie.
        return {**super().get_initial(), FIELD: secrets.token_urlsafe(24)}

    def sent_token(self):
        token = self.request.POST.get(FIELD, "")
        return token if _token.match(token) else None

    def post(self, request, *args, **kwargs):
        token = self.sent_token()
        if token and token in request.session.get(self.used_tokens_key, []):
            # Already saved: its confirmation shows it, while it is still recent enough.
            return HttpResponseRedirect(str(self.success_url))
        return super().post(request, *args, **kwargs)

    def remember_token(self):
        token = self.sent_token()
        if token:
            used = self.request.session.get(self.used_tokens_key, [])
            self.request.session[self.used_tokens_key] = [*used, token][-KEPT:]
