"""The newsletter's public forms: signing up, and a subscriber's preferences."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from blocks.forms import EmailAddressField
from blocks.honeypot import HoneypotMixin, honeypot
from blocks.resubmission import FormTokenMixin, form_token
from blocks.validators import EMAIL_FORMAT_MESSAGE

from .models import Subscriber

UPDATE_HINTS = {
    Subscriber.Update.TRAINING_AND_EVENTS: "Workshops, webinars and events for residents and "
    "professionals.",
    Subscriber.Update.FUNDING: "When funding for community projects opens for applications.",
}
# New issues are what everyone signs up for: said in the question's hint rather than as a ticked
# box that cannot be unticked, which screen readers announce as a choice that is not one.
UPDATES_HINT = "You will get every new issue of the newsletter. You can also choose:"


class UpdatesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label="What would you like to hear about?",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                Choice(update.value, update.label, hint=UPDATE_HINTS[update])
                for update in Subscriber.Update
            ],
            help_text=UPDATES_HINT,
            error_messages={"invalid_choice": "Select only the updates listed"},
            **kwargs,
        )


def updates_layout():
    return Field.checkboxes("updates", legend_size=Size.SMALL)


class SubscribeForm(HoneypotMixin, FormTokenMixin, forms.Form):
    email = EmailAddressField(
        label="Email address",
        max_length=254,
        help_text="We will use it only to send you the newsletter and the updates you choose.",
        error_messages={
            "required": "Enter your email address",
            "invalid": EMAIL_FORMAT_MESSAGE,
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    updates = UpdatesField()

    honeypot_message = (
        "Your sign-up could not be sent because it looks automated. If you are a person, "
        "email {team_email} and ask for the newsletter."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The server checks everything and explains it in GOV.UK style; browsers' own pop-ups
        # would stop the form before that and are not read well by every screen reader.
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            # Bold like the question below it, so the two read as the form's two questions.
            Field.text("email", label_size=Size.SMALL, autocomplete="email", spellcheck="false"),
            updates_layout(),
            honeypot(),
            # GOV.UK Frontend's button module ignores a second click within a second.
            Button("submit", "Subscribe", type="submit", data_prevent_double_click="true"),
            form_token(),
        )


class PreferencesForm(forms.Form):
    updates = UpdatesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            updates_layout(),
            Button("submit", "Save preferences", type="submit", data_prevent_double_click="true"),
        )
