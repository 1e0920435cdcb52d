"""The training request form, shown with GOV.UK Frontend components.

Every message is written for the person filling it in, and names the question it is about,
because the error summary lists them all at the top of the page.

The page (templates/training/trainingrequest_form.html) writes the components out by hand,
with the ids, classes and ARIA attributes that crispy-forms-gds gave them when it rendered this
form: its generic templates took about 12 ms per page, the hand-written one under 2 ms.
GovukBoundField works out, field by field, what the components show. The date fields'
validation is still crispy-forms-gds's DateInputField.
"""

import re
import unicodedata

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.boundfield import BoundField
from django.forms.widgets import boolean_check
from django.utils import timezone
from django.utils.functional import cached_property

from .models import TrainingRequest, Workshop
from .validators import BIDI_CONTROLS, EMAIL_FORMAT_MESSAGE, StrictEmailValidator

NOT_SURE = "not-sure"

# Spaces, brackets, dots and hyphens are how people group digits; only the digits matter.
PHONE_SEPARATORS = re.compile(r"[\s().-]")
# 0 then 9 or 10 digits, or the same with +44 / 0044 (and an optional "(0)").
UK_PHONE = re.compile(r"^(?:(?:\+|00)44(?:0)?|0)[1-9][0-9]{8,9}$")


class PlainTextValidator:
    """Reject control characters (NUL, escape codes, and line breaks in one-line answers).

    One-line answers also refuse U+2028 and U+2029 (line and paragraph separators) and the
    bidirectional controls that can make a name or organisation read differently from what
    is stored (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F).

    Nobody types them; NUL cannot be stored in PostgreSQL, and a line break in a name could end
    up in an email header.
    """

    def __init__(self, subject, multiline=False):
        self.multiline = multiline
        self.allowed = "\n\r\t" if multiline else ""
        self.message = (
            f"{subject} must not include hidden control characters"
            if multiline
            else f"{subject} must be on one line, without hidden control characters"
        )
        self.bidi_message = (
            f"{subject} must not include hidden characters that change the direction of text"
        )

    def __call__(self, value):
        # One-line answers also refuse the Unicode line and paragraph separators.
        refused = ("Cc",) if self.multiline else ("Cc", "Zl", "Zp")
        if any(unicodedata.category(ch) in refused and ch not in self.allowed for ch in value):
            raise ValidationError(self.message, code="control_characters")
        if not self.multiline and any(ch in BIDI_CONTROLS for ch in value):
            raise ValidationError(self.bidi_message, code="bidi_characters")


def text_field(subject, max_length, required_message=None, multiline=False, **kwargs):
    """A text answer with messages that name it, e.g. “Organisation name must be 200 …”."""
    kwargs.setdefault("widget", forms.Textarea if multiline else forms.TextInput)
    error_messages = {"max_length": f"{subject} must be {max_length} characters or fewer"}
    if required_message:
        error_messages["required"] = required_message
    field = forms.CharField(
        max_length=max_length,
        required=bool(required_message),
        error_messages=error_messages,
        **kwargs,
    )
    # Django's own NUL check would add a second, vaguer message for the same problem.
    field.validators = [
        v for v in field.validators if getattr(v, "code", "") != "null_characters_not_allowed"
    ]
    field.validators.append(PlainTextValidator(subject, multiline))
    return field


class PreferredDateField(DateInputField):
    """A GOV.UK date input for one optional preferred date, which must be in the future."""

    def __init__(self, choice, **kwargs):
        # choice is "first choice", "second choice" …: it names the date in every message.
        self.choice = choice
        name = choice.capitalize()
        super().__init__(
            require_all_fields=False,
            required=False,
            label=f"{name} (optional)",
            help_text="For example, 27 3 2027",
            **kwargs,
        )
        real_date = f"{name} must be a real date"
        for field, part, pattern, message in zip(
            self.fields,
            ("day", "month", "year"),
            (r"^[0-9]{1,2}$", r"^[0-9]{1,2}$", r"^[0-9]{4}$"),
            (real_date, real_date, f"{name} year must include 4 numbers"),
            strict=True,
        ):
            field.error_messages = {
                **field.error_messages,
                "incomplete": f"{name} must include a {part}",
            }
            field.validators = [RegexValidator(pattern, message)]
        self.real_date = real_date

    def compress(self, data_list):
        # The pack passes Python's wording on ("day is out of range for month").
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.real_date, code="invalid_date") from None

    def clean(self, value):
        date = super().clean(value)
        if date is not None and date <= timezone.localdate():
            raise ValidationError(f"Enter a date in the future for your {self.choice}")
        return date


class GovukBoundField(BoundField):
    """A field as the GOV.UK components of the request page show it.

    The ids are the ones crispy-forms-gds gave: the hint is ``<id>_hint``, the field's nth error
    ``<id>_<n>_error``, radio n ``<id>_<n>`` (from 1) and the day, month and year of a date
    ``<id>_0``, ``<id>_1`` and ``<id>_2``.
    """

    DATE_PARTS = (("Day", 2), ("Month", 2), ("Year", 4))

    @cached_property
    def govuk(self):
        """Everything the page's component for this field shows, worked out once. A dict:
        templates read its keys much faster than a BoundField's attributes."""
        field_id = self.auto_id
        errors = [(f"{field_id}_{n}_error", message) for n, message in enumerate(self.errors, 1)]
        hint_ids = [f"{field_id}_hint"] if self.help_text else []
        component = {
            "id": field_id,
            "name": self.html_name,
            "label": self.label,
            "hint": self.help_text,
            "errors": errors,
            "invalid": bool(errors),
            # Of the input, or of the fieldset for radios and dates.
            "describedby": " ".join(hint_ids + [error_id for error_id, _ in errors]),
        }
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect):
            component["radios"] = self._radios()
        elif isinstance(widget, forms.MultiWidget):
            component["parts"] = self._date_parts(errors)
        elif isinstance(widget, forms.CheckboxInput):
            component["checked"] = boolean_check(self.value())
        else:
            component["value"] = _shown(self.value())
            # Django puts a CharField's max_length here (not for hidden inputs).
            component["maxlength"] = widget.attrs.get("maxlength")
        return component

    def _radios(self):
        """(id, value, label, checked, divider) of each radio button."""
        current = self.value()
        return [
            (
                f"{self.auto_id}_{n}",
                value,
                label,
                current is not None and str(value) == str(current),
                getattr(choice, "divider", ""),
            )
            for n, choice in enumerate(self.field.choices, 1)
            for value, label in [choice]
        ]

    @cached_property
    def _part_errors(self):
        """For a date: the errors of its day, month and year (DateInputField keeps them on the
        part's widget when it cleans)."""
        return [getattr(part.widget, "errors", []) for part in self.field.fields]

    def _date_parts(self, errors):
        values = self.value()
        if not isinstance(values, list | tuple):
            values = self.field.widget.decompress(values)
        # An error of the whole date ("must be a real date") marks every part; an error of one
        # part marks that part only, and describes its input.
        whole_date = not any(self._part_errors)
        return [
            {
                "id": f"{self.auto_id}_{index}",
                "name": f"{self.html_name}_{index}",
                "label": label,
                "width": width,
                "value": _shown(value),
                "invalid": bool(errors) and (whole_date or bool(part_errors)),
                "describedby": " ".join(
                    error_id for error_id, message in errors if message in part_errors
                ),
            }
            for index, ((label, width), value, part_errors) in enumerate(
                zip(self.DATE_PARTS, values, self._part_errors, strict=True)
            )
        ]

    @property
    def first_input_id(self):
        """Where an error summary link goes: GOV.UK Frontend moves focus to that input."""
        if isinstance(self.field.widget, forms.RadioSelect):
            return f"{self.auto_id}_1"
        if isinstance(self.field.widget, forms.MultiWidget):
            return f"{self.auto_id}_0"
        return self.auto_id

    def summary_links(self):
        """(input id, message) of each error: a date's part errors link to that part."""
        if not self.errors:
            return []
        parts = self._part_errors if isinstance(self.field.widget, forms.MultiWidget) else []
        links, seen = [], []
        for index, errors in enumerate(parts):
            links += [(f"{self.auto_id}_{index}", error) for error in errors]
            seen += errors
        return links + [(self.first_input_id, e) for e in self.errors if e not in seen]


def _shown(value):
    return None if value is None or value == "" else str(value)


class EmailAddressField(forms.EmailField):
    # One check, one message: quoted local parts and hidden characters are refused with the
    # same wording as any other malformed address.
    default_validators = [StrictEmailValidator()]


class TrainingRequestForm(forms.ModelForm):
    bound_field_class = GovukBoundField
    # The server checks everything and explains it in GOV.UK style (the form is novalidate);
    # browsers' own pop-ups would stop the form before that and are not read well by every
    # screen reader.
    use_required_attribute = False

    workshop = forms.ChoiceField(
        label="Which workshop would you like?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a workshop, or select ‘Not sure yet’",
            "invalid_choice": "Select a workshop, or select ‘Not sure yet’",
        },
    )
    organisation = text_field(
        "Organisation name", 200, "Enter the name of your organisation", label="Organisation name"
    )
    sector = forms.ChoiceField(
        label="Which sector is your organisation in?",
        choices=TrainingRequest.Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the sector your organisation is in",
            "invalid_choice": "Select the sector your organisation is in",
        },
    )
    contact_name = text_field("Full name", 150, "Enter your full name", label="Full name")
    job_title = text_field("Job title", 150, label="Job title (optional)")
    email = EmailAddressField(
        label="Email address",
        max_length=254,
        help_text="We will only use this to reply to your request.",
        error_messages={
            "required": "Enter your email address",
            "invalid": EMAIL_FORMAT_MESSAGE,
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = text_field(
        "Phone number",
        30,
        label="Phone number (optional)",
        help_text="A UK number, in case it is easier to talk.",
    )
    audience = text_field(
        "Who the training is for",
        2000,
        "Enter who the training is for",
        multiline=True,
        label="Who is the training for?",
        help_text="For example, teaching staff at a primary school, or volunteers at a "
        "community centre.",
    )
    participants = forms.IntegerField(
        label="Approximate number of participants",
        help_text="Between 1 and 500.",
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Enter the approximate number of participants",
            "invalid": "Number of participants must be a whole number, like 25",
            "min_value": "Number of participants must be 1 or more",
            "max_value": "Number of participants must be 500 or fewer",
        },
    )
    delivery = forms.ChoiceField(
        label="How would you like it delivered?",
        choices=TrainingRequest.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you would like the training delivered",
            "invalid_choice": "Select how you would like the training delivered",
        },
    )
    location = text_field(
        "Address or postcode",
        500,
        multiline=True,
        label="Address or postcode of the venue",
        help_text="We need this if you would like us to come in person.",
    )
    preferred_date_1 = PreferredDateField("first choice")
    preferred_date_2 = PreferredDateField("second choice")
    preferred_date_3 = PreferredDateField("third choice")
    accessibility_needs = text_field(
        "Accessibility needs",
        2000,
        multiline=True,
        label="Accessibility needs (optional)",
        help_text="Anything that would help everyone take part, such as a hearing loop, "
        "step-free access or captions.",
    )
    message = text_field(
        "Anything else",
        4000,
        multiline=True,
        label="Anything else you would like to tell us (optional)",
    )
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree to the Prevent team using these details "
        "to arrange the training",
        error_messages={"required": "Confirm that you have read the privacy notice"},
    )
    # A trap for spam robots: hidden from people (and screen readers), filled in by bots.
    website = forms.CharField(required=False, label="Leave this empty")
    # Given out with the empty form; once a request is sent with it, sending it again (a second
    # click, or Back and resubmit) shows the first request's confirmation instead.
    # Only the view reads it (training/views.py): a tampered token is ignored there, so it
    # needs no length limit here, which would stop the form with an error nobody can see.
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

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
            "audience",
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

    honeypot_message = (
        "Your request could not be sent because it looks automated. If you are a person, "
        "email {team_email} and tell us what training you need."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = {w.slug: w for w in Workshop.objects.taking_requests()}
        choices = [
            Choice(slug, f"{w.title} ({w.short_name})" if w.short_name else w.title)
            for slug, w in self.workshops.items()
        ]
        if choices:
            choices[-1].divider = "or"
        self.fields["workshop"].choices = [*choices, Choice(NOT_SURE, "Not sure yet")]

    def error_summary(self):
        """(input id, message) of every error, in the order of the questions. Errors about the
        whole form link to the first question."""
        fields = self.visible_fields()
        links = [(fields[0].first_input_id, error) for error in self.non_field_errors()]
        for field in fields:
            links += field.summary_links()
        return links

    def clean_workshop(self):
        value = self.cleaned_data["workshop"]
        return None if value == NOT_SURE else self.workshops[value]

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not UK_PHONE.match(PHONE_SEPARATORS.sub("", phone)):
            raise ValidationError(
                "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
                code="invalid_phone",
            )
        return phone

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            raise ValidationError(
                self.honeypot_message.format(team_email=settings.TEAM_EMAIL), code="honeypot"
            )
        if (
            cleaned_data.get("delivery") == TrainingRequest.Delivery.IN_PERSON
            and not cleaned_data.get("location")
            and "location" not in self.errors
        ):
            self.add_error(
                "location", "Enter the address or postcode of the venue, as you chose in person"
            )
        return cleaned_data
