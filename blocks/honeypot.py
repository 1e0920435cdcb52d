"""A trap for spam robots on public forms: a field people never see, which robots fill in."""

from crispy_forms_gds.layout import Div, Field
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

FIELD = "website"


class HoneypotMixin(forms.Form):
    """Mix into a public form, before Form or ModelForm, and put ``honeypot()`` in its Layout.

    A filled-in trap refuses the whole form with ``honeypot_message`` (which may name
    ``{team_email}``) at the top of the page, so a person caught by it knows what to do.
    """

    website = forms.CharField(required=False, label="Leave this empty")

    honeypot_message = (
        "Your form could not be sent because it looks automated. If you are a person, "
        "email {team_email}."
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get(FIELD):
            raise ValidationError(
                str(self.honeypot_message).format(team_email=settings.TEAM_EMAIL),
                code="honeypot",
            )
        return cleaned_data


def honeypot():
    """The trap's place in a crispy Layout: hidden from people, and from screen readers."""
    return Div(Field.text(FIELD, autocomplete="off", tabindex="-1"), hidden="hidden")
