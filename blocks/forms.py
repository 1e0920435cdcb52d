"""Fields for the public forms, whose messages name their question.

Every message names what it is about, because the error summary lists them all at the top of the
page, away from the question.
"""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import HTML
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .validators import PlainTextValidator, StrictEmailValidator


def heading(text):
    """A section's heading in a form's crispy layout: ``heading(_("Photos"))``. Lazy, so a
    translated form's headings are read in each reader's language."""
    return HTML(format_lazy('<h2 class="govuk-heading-m">{}</h2>', text))


def text_field(subject, max_length, required_message=None, multiline=False, **kwargs):
    """A text answer with messages that name it, e.g. “Organisation name must be 200 …”."""
    kwargs.setdefault("widget", forms.Textarea if multiline else forms.TextInput)
    # Lazy: the form is defined once, and its messages are read in each reader's language.
    error_messages = {
        "max_length": format_lazy(
            _("{subject} must be {max_length} characters or fewer"),
            subject=subject,
            max_length=max_length,
        )
    }
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


class EmailAddressField(forms.EmailField):
    # One check, one message: quoted local parts and hidden characters are refused with the
    # same wording as any other malformed address.
    default_validators = [StrictEmailValidator()]


# crispy-forms-gds labels a date's boxes with gettext but ships no Arabic or Bengali: these make
# makemessages put the same words in our catalogues.
DATE_PART_LABELS = (gettext_noop("Day"), gettext_noop("Month"), gettext_noop("Year"))


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month, year) whose messages name the date, e.g. “Date seen must
    include a month”, rather than the pack's generic ones or Python's ("day is out of range for
    month")."""

    def __init__(self, name, required_message=None, **kwargs):
        super().__init__(require_all_fields=False, required=bool(required_message), **kwargs)
        if required_message:
            self.error_messages = {**self.error_messages, "required": required_message}
        real_date = format_lazy(_("{name} must be a real date"), name=name)
        for field, incomplete, pattern, message in zip(
            self.fields,
            (
                _("{name} must include a day"),
                _("{name} must include a month"),
                _("{name} must include a year"),
            ),
            (r"^[0-9]{1,2}$", r"^[0-9]{1,2}$", r"^[0-9]{4}$"),
            (real_date, real_date, format_lazy(_("{name} year must include 4 numbers"), name=name)),
            strict=True,
        ):
            field.error_messages = {
                **field.error_messages,
                "incomplete": format_lazy(incomplete, name=name),
            }
            field.validators = [RegexValidator(pattern, message)]
        self.real_date = real_date

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.real_date, code="invalid_date") from None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input, cleaned to a list (Django's "Uploading multiple
    files"); empty when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if not isinstance(data, (list, tuple)):
            data = [] if data in self.empty_values else [data]
        if not data and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [clean_one(item, initial) for item in data]
