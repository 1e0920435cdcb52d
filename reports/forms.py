"""The report form, rendered with GOV.UK components through crispy-forms-gds.

Every message names the question it is about, because the error summary lists them all at the
top of the page.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fixed, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blocks import images
from blocks.forms import (
    EmailAddressField,
    GovukDateField,
    MultipleFileField,
    heading,
    text_field,
)
from blocks.honeypot import HoneypotMixin, honeypot
from blocks.resubmission import FormTokenMixin, form_token
from blocks.validators import EMAIL_FORMAT_MESSAGE, one_line

from . import postcodes
from .models import Report, ReportPhoto

MAX_PHOTOS = 3
# Lazy, like every label and message here: read in the reader's language (blocks.languages).
# A part of the form; crispy-forms renders it as a template, in the reader's language, each time.
# images.ACCEPTED, in words the reader's language joins its own way.
ACCEPTED = _("JPEG, PNG, WebP or HEIC")
PHOTOS_HINT = format_lazy(
    _(
        "{accepted} files of 10 MB or less each. We remove the location and every other "
        "hidden detail from each photo before we keep it."
    ),
    accepted=ACCEPTED,
)
PHOTOS_AGAIN = _("If the form shows a problem, you need to choose your photos again.")
# Shown instead when it just has: a file input cannot be filled in again by the page.
PHOTOS_NOT_KEPT = _(
    "<strong>Choose your photos again: they were not kept, because of a problem with the "
    "form.</strong>"
)
# blocks.images.HOW_TO_GET_A_PHOTO, in the reader's language.
HOW_TO_GET_A_PHOTO = _(
    "On an iPhone or Android phone, take a screenshot of the picture and choose the "
    "screenshot. On a computer, open the picture and save it as a JPEG."
)
# What the public reads when a photo is refused, for each of blocks.images' checks; {accepted}
# is ACCEPTED and {how} HOW_TO_GET_A_PHOTO.
PHOTO_MESSAGES = {
    "too_big": _("{name} is {size}. Each photo must be 10 MB or smaller"),
    # Longer than the others: they say how to get a photo that will do, in sentences.
    "wrong_format": _("{name} is a {format} file. Choose a {accepted} photo. {how}"),
    "not_image": _(
        "{name} is not a photo we can open, or it is damaged. Choose a {accepted} photo. {how}"
    ),
    "too_many_pixels": _(
        "{name} is {megapixels} megapixels. Each photo must be 40 megapixels or less: make it "
        "smaller and choose it again"
    ),
    "bomb": _("{name} is far over 40 megapixels. Choose a smaller {accepted} photo"),
    "broken": _("{name} is damaged or incomplete. Save it again and choose the new copy"),
}


class SeenOnField(GovukDateField):
    def clean(self, value):
        date = super().clean(value)
        if date is not None and date > timezone.localdate():
            raise ValidationError(
                _("Date you saw it must be today or in the past"), code="future_date"
            )
        return date


class CleanPhoto:
    """A photo that passed the checks: its re-encoded bytes without metadata, its size and
    its preview's bytes (made now, so the full-size picture need not be kept in memory)."""

    def __init__(self, image, content, extension):
        self.content, self.extension = content, extension
        self.width, self.height = image.size
        self.preview = ReportPhoto.preview_bytes(image)


class ReportForm(HoneypotMixin, FormTokenMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("What did you see?"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what you saw"),
            "invalid_choice": _("Select what you saw"),
        },
    )
    kind_other = text_field(
        _("What it was"),
        200,
        label=_("If you selected ‘something else’, what was it?"),
    )
    description = text_field(
        _("What it says or shows"),
        5000,
        _("Enter what it says or shows"),
        multiline=True,
        label=_("What does it say or show?"),
        help_text=_("Copy any words, slogans, names or symbols as closely as you can."),
    )
    place = text_field(
        _("Where you saw it"),
        500,
        _("Enter where you saw it"),
        multiline=True,
        label=_("Where did you see it?"),
        help_text=_(
            "A street address, or a description of the place, such as ‘the bus shelter "
            "outside Edgware Road station’."
        ),
    )
    postcode = text_field(
        _("Postcode"),
        20,
        label=_("Postcode (optional)"),
        help_text=_("If you know it, the postcode of the place."),
    )
    seen_on = SeenOnField(
        _("Date you saw it"),
        _("Enter the date you saw it"),
        label=_("When did you see it?"),
        help_text=_("For example, 27 3 2026"),
    )
    still_there = forms.ChoiceField(
        label=_("Is it still there?"),
        choices=Report.StillThere.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether it is still there"),
            "invalid_choice": _("Select whether it is still there"),
        },
    )
    photos = MultipleFileField(
        label=_("Choose up to 3 photos (optional)"),
        required=False,
        help_text=format_lazy("{} {}", PHOTOS_HINT, PHOTOS_AGAIN),
        error_messages={
            "empty": format_lazy(
                _("The photo you chose is an empty file. Choose a {accepted} photo"),
                accepted=ACCEPTED,
            ),
            "invalid": _("Choose up to 3 photos, or leave it empty"),
            "missing": _("Choose up to 3 photos, or leave it empty"),
        },
    )
    contact_name = text_field(_("Your name"), 150, label=_("Your name (optional)"))
    email = EmailAddressField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "We will email you an acknowledgement, and we may use it to ask you a "
            "question about what you saw."
        ),
        error_messages={
            "invalid": EMAIL_FORMAT_MESSAGE,
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )

    class Meta:
        model = Report
        fields = [
            "kind",
            "kind_other",
            "description",
            "place",
            "postcode",
            "seen_on",
            "still_there",
            "contact_name",
            "email",
        ]

    honeypot_message = _(
        "Your report could not be sent because it looks automated. If you are a person, "
        "email {team_email} and tell us what you saw, where and when."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = images.ACCEPTED_TYPES
        self.helper = FormHelper()
        # The server checks everything and explains it in GOV.UK style; browsers' own pop-ups
        # would stop the form before that and are not read well by every screen reader.
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            heading(_("What you saw")),
            Field.radios("kind"),
            Field.text("kind_other"),
            Field.textarea("description", rows=5),
            heading(_("Where and when")),
            Field.textarea("place", rows=3),
            Field.text(
                "postcode",
                autocomplete="off",
                spellcheck="false",
                autocapitalize="characters",
                field_width=Fixed.TEN,
            ),
            Field("seen_on"),
            Field.radios("still_there", inline=True),
            heading(_("Photos")),
            Field("photos"),
            HTML('{% include "reports/includes/your_details.html" %}'),
            Field.text("contact_name", autocomplete="name", spellcheck="false"),
            Field.text("email", autocomplete="email", spellcheck="false"),
            honeypot(),
            # GOV.UK Frontend's button module ignores a second click within a second.
            Button("submit", _("Send report"), type="submit", data_prevent_double_click="true"),
            form_token(),
        )

    def clean_postcode(self):
        return postcodes.normalise(self.cleaned_data["postcode"])

    def clean_photos(self):
        files = self.cleaned_data["photos"]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                ngettext(
                    "You chose %(count)d photo. Choose up to 3",
                    "You chose %(count)d photos. Choose up to 3",
                    len(files),
                )
                % {"count": len(files)},
                code="too_many_photos",
            )
        photos, errors = [], []
        for file in files:
            try:
                photos.append(CleanPhoto(*images.clean_upload(file)))
            except ValidationError as error:
                errors.append(self._photo_error(file, error))
        if errors:
            raise ValidationError(errors)
        return photos

    @staticmethod
    def _photo_error(file, error):
        name = one_line(file.name or str(_("The photo")), 60)
        params = error.params or {}
        message = PHOTO_MESSAGES.get(error.code, PHOTO_MESSAGES["not_image"])
        return ValidationError(
            str(message).format(
                name=name,
                accepted=ACCEPTED,
                how=HOW_TO_GET_A_PHOTO,
                size=filesizeformat(file.size),
                megapixels=params.get("megapixels", ""),
                format=params.get("format", ""),
            ),
            code=error.code,
        )

    def clean(self):
        # The honeypot (HoneypotMixin) refuses the whole form first.
        cleaned_data = super().clean()
        if (
            cleaned_data.get("kind") == Report.Kind.OTHER
            and not cleaned_data.get("kind_other")
            and "kind_other" not in self.errors
        ):
            self.add_error("kind_other", _("Enter what it was, as you selected ‘something else’"))
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        # Whoever chose photos must choose them again, and is told so where they chose them.
        if self.errors and self.files and self.files.getlist(self.add_prefix("photos")):
            # The bound field took its own copy of the hint when the form was cleaned.
            self["photos"].help_text = format_lazy("{} {}", PHOTOS_HINT, PHOTOS_NOT_KEPT)
