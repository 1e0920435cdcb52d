"""The training request form, rendered with GOV.UK components through crispy-forms-gds.

Every message is written for the person filling it in, and names the question it is about,
because the error summary lists them all at the top of the page.
"""

import re

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fixed, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from blocks import languages
from blocks.forms import EmailAddressField, GovukDateField, heading, text_field
from blocks.honeypot import HoneypotMixin, honeypot
from blocks.resubmission import FormTokenMixin, form_token
from blocks.validators import EMAIL_FORMAT_MESSAGE

from ..models import TrainingRequest, Workshop

NOT_SURE = "not-sure"

# Spaces, brackets, dots and hyphens are how people group digits; only the digits matter.
PHONE_SEPARATORS = re.compile(r"[\s().-]")
# 0 then 9 or 10 digits, or the same with +44 / 0044 (and an optional "(0)").
UK_PHONE = re.compile(r"^(?:(?:\+|00)44(?:0)?|0)[1-9][0-9]{8,9}$")

# Parts of the form; crispy-forms renders each as a template, in the reader's language, each time.


class PreferredDateField(GovukDateField):
    """A GOV.UK date input for one optional preferred date, which must be in the future."""

    def __init__(self, name, label, future_message, **kwargs):
        # Each date's name, label and message whole: languages word "first choice" their own way.
        self.future_message = future_message
        super().__init__(name, label=label, help_text=_("For example, 27 3 2027"), **kwargs)

    def clean(self, value):
        date = super().clean(value)
        if date is not None and date <= timezone.localdate():
            raise ValidationError(self.future_message)
        return date


class TrainingRequestForm(HoneypotMixin, FormTokenMixin, forms.ModelForm):
    workshop = forms.ChoiceField(
        label=_("Which workshop would you like?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a workshop, or select ‘Not sure yet’"),
            "invalid_choice": _("Select a workshop, or select ‘Not sure yet’"),
        },
    )
    organisation = text_field(
        _("Organisation name"),
        200,
        _("Enter the name of your organisation"),
        label=_("Organisation name"),
    )
    sector = forms.ChoiceField(
        label=_("Which sector is your organisation in?"),
        choices=TrainingRequest.Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the sector your organisation is in"),
            "invalid_choice": _("Select the sector your organisation is in"),
        },
    )
    contact_name = text_field(_("Full name"), 150, _("Enter your full name"), label=_("Full name"))
    job_title = text_field(_("Job title"), 150, label=_("Job title (optional)"))
    email = EmailAddressField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will only use this to reply to your request."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": EMAIL_FORMAT_MESSAGE,
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )
    phone = text_field(
        _("Phone number"),
        30,
        label=_("Phone number (optional)"),
        help_text=_("A UK number, in case it is easier to talk."),
        widget=forms.TelInput,
    )
    who_it_is_for = text_field(
        _("Who the training is for"),
        2000,
        _("Enter who the training is for"),
        multiline=True,
        label=_("Who is the training for?"),
        help_text=_(
            "For example, teaching staff at a primary school, or volunteers at a community centre."
        ),
    )
    participants = forms.IntegerField(
        label=_("Approximate number of participants"),
        help_text=_("Between 1 and 500."),
        min_value=1,
        max_value=500,
        # GOV.UK asks for a text input for numbers: browsers' number inputs change a number
        # when it is scrolled over and round large ones.
        widget=forms.TextInput,
        error_messages={
            "required": _("Enter the approximate number of participants"),
            "invalid": _("Number of participants must be a whole number, like 25"),
            "min_value": _("Number of participants must be 1 or more"),
            "max_value": _("Number of participants must be 500 or fewer"),
        },
    )
    delivery = forms.ChoiceField(
        label=_("How would you like it delivered?"),
        choices=TrainingRequest.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you would like the training delivered"),
            "invalid_choice": _("Select how you would like the training delivered"),
        },
    )
    location = text_field(
        _("Address or postcode"),
        500,
        multiline=True,
        label=_("Address or postcode of the venue"),
        help_text=_("We need this if you would like us to come in person."),
    )
    preferred_date_1 = PreferredDateField(
        _("First choice"),
        _("First choice (optional)"),
        _("Enter a date in the future for your first choice"),
    )
    preferred_date_2 = PreferredDateField(
        _("Second choice"),
        _("Second choice (optional)"),
        _("Enter a date in the future for your second choice"),
    )
    preferred_date_3 = PreferredDateField(
        _("Third choice"),
        _("Third choice (optional)"),
        _("Enter a date in the future for your third choice"),
    )
    accessibility_needs = text_field(
        _("Accessibility needs"),
        2000,
        multiline=True,
        label=_("Accessibility needs (optional)"),
        help_text=_(
            "Anything that would help everyone take part, such as a hearing loop, "
            "step-free access or captions."
        ),
    )
    message = text_field(
        _("Anything else"),
        4000,
        multiline=True,
        label=_("Anything else you would like to tell us (optional)"),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to the Prevent team using these details "
            "to arrange the training"
        ),
        error_messages={"required": _("Confirm that you have read the privacy notice")},
    )

    class Meta:
        model = TrainingRequest
        fields = [
            "workshop",
            "organisation",
            "sector",
            "contact_name",
            "job_title",
            "email",
            "phone",
            "who_it_is_for",
            "participants",
            "delivery",
            "location",
            "preferred_date_1",
            "preferred_date_2",
            "preferred_date_3",
            "accessibility_needs",
            "message",
            "consent",
        ]

    honeypot_message = _(
        "Your request could not be sent because it looks automated. If you are a person, "
        "email {team_email} and tell us what training you need."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = {w.slug: w for w in Workshop.objects.taking_requests()}
        # Workshop names are the team's English: marked as such on a page in another language.
        marks = languages.english_part()
        choices = []
        for slug, w in self.workshops.items():
            name = f"{w.title} ({w.short_name})" if w.short_name else w.title
            if marks:
                name = format_html("<span{}>{}</span>", marks, name)
            choices.append(Choice(slug, name))
        if choices:
            choices[-1].divider = _("or")
        self.fields["workshop"].choices = [*choices, Choice(NOT_SURE, _("Not sure yet"))]
        self.helper = FormHelper()
        # The server checks everything and explains it in GOV.UK style; browsers' own pop-ups
        # would stop the form before that and are not read well by every screen reader.
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            Field.radios("workshop", legend_size=Size.MEDIUM, legend_tag="h2"),
            heading(_("About your organisation")),
            Field.text("organisation", autocomplete="organization"),
            Field.radios("sector", legend_size=Size.SMALL),
            heading(_("Your details")),
            Field.text("contact_name", autocomplete="name", spellcheck="false"),
            Field.text("job_title", autocomplete="organization-title"),
            Field.text("email", autocomplete="email", spellcheck="false"),
            Field.text("phone", autocomplete="tel", field_width=Fixed.TWENTY),
            heading(_("About the session")),
            Field.textarea("who_it_is_for", rows=3),
            Field.text(
                "participants", inputmode="numeric", autocomplete="off", field_width=Fixed.FOUR
            ),
            Field.radios("delivery", legend_size=Size.SMALL),
            Field.textarea("location", rows=3),
            heading(_("When would you like it?")),
            HTML(
                format_lazy(
                    '<p class="govuk-body">{}</p>',
                    _(
                        "Give up to 3 dates that would suit you, or leave them empty if you are "
                        "flexible."
                    ),
                )
            ),
            Field("preferred_date_1"),
            Field("preferred_date_2"),
            Field("preferred_date_3"),
            heading(_("Anything we should know")),
            Field.textarea("accessibility_needs", rows=3),
            Field.textarea("message", rows=5),
            heading(_("Your information")),
            HTML('{% include "training/includes/your_information.html" %}'),
            Field.checkbox("consent"),
            honeypot(),
            # GOV.UK Frontend's button module ignores a second click within a second.
            Button("submit", _("Send request"), type="submit", data_prevent_double_click="true"),
            form_token(),
        )

    def clean_workshop(self):
        value = self.cleaned_data["workshop"]
        return None if value == NOT_SURE else self.workshops[value]

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not UK_PHONE.match(PHONE_SEPARATORS.sub("", phone)):
            raise ValidationError(
                _("Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
                code="invalid_phone",
            )
        return phone

    def clean(self):
        # The honeypot (HoneypotMixin) refuses the whole form first.
        cleaned_data = super().clean()
        if (
            cleaned_data.get("delivery") == TrainingRequest.Delivery.IN_PERSON
            and not cleaned_data.get("location")
            and "location" not in self.errors
        ):
            self.add_error(
                "location", _("Enter the address or postcode of the venue, as you chose in person")
            )
        return cleaned_data
