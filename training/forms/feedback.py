"""The feedback form attendees fill in after a session (/feedback/<code>/), with the same
GOV.UK components and messages written for the person filling it in."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from blocks.forms import heading, text_field
from blocks.honeypot import HoneypotMixin, honeypot
from blocks.resubmission import FormTokenMixin, form_token

from ..models import MOMENTS, STATEMENTS, Confidence, Feedback, TrainingRequest


def confidence_field(statement, moment):
    """One 1-to-5 rating of a statement, before or after the session."""
    message = f"Select how confident you were {moment} the session: {statement.lower()}"
    return forms.TypedChoiceField(
        label=f"{moment.capitalize()} the session",
        choices=Confidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class FeedbackForm(HoneypotMixin, FormTokenMixin, forms.ModelForm):
    sector = forms.ChoiceField(
        label="Which sector do you work in? (optional)",
        choices=TrainingRequest.Sector.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the sector you work in, or leave it empty"},
    )
    most_useful = text_field(
        "What was most useful",
        2000,
        multiline=True,
        label="What was most useful? (optional)",
    )
    could_be_better = text_field(
        "What could be better",
        2000,
        multiline=True,
        label="What could be better? (optional)",
    )
    quote = text_field(
        "Your quote",
        600,
        multiline=True,
        label="Your quote (optional)",
        help_text="A sentence or two about the session that we may publish on our website. "
        "Do not include anything that could identify you or anyone else.",
    )
    naming = forms.ChoiceField(
        label="How should we name you?",
        choices=Feedback.Naming.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select how we should name you with your quote"},
    )
    role = text_field(
        "Your role",
        100,
        label="Your role (optional)",
        help_text="For example, teacher or youth worker.",
    )
    first_name = text_field("Your first name", 60, label="Your first name (optional)")
    publish_consent = forms.BooleanField(
        label="I agree to the Prevent team publishing my quote on its website, named as I chose",
        required=False,
    )

    class Meta:
        model = Feedback
        fields = [
            "sector",
            *(f"{stem}_{moment}" for stem, _ in STATEMENTS for moment in MOMENTS),
            "most_useful",
            "could_be_better",
            "quote",
            "naming",
            "role",
            "first_name",
            "publish_consent",
        ]

    honeypot_message = (
        "Your feedback could not be sent because it looks automated. If you are a person, "
        "email {team_email} and tell us what you thought."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for stem, statement in STATEMENTS:
            for moment in MOMENTS:
                self.fields[f"{stem}_{moment}"] = confidence_field(statement, moment)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            Field.radios("sector", legend_size=Size.MEDIUM, legend_tag="h2", small=True),
            heading("How confident were you, before and after the session?"),
            HTML('<p class="govuk-body">1 is not at all confident, 5 is very confident.</p>'),
            *(
                Fieldset(
                    Field.radios(f"{stem}_before", legend_size=Size.SMALL, inline=True),
                    Field.radios(f"{stem}_after", legend_size=Size.SMALL, inline=True),
                    legend=statement,
                    legend_size=Size.MEDIUM,
                )
                for stem, statement in STATEMENTS
            ),
            heading("Your comments"),
            Field.textarea("most_useful", rows=4),
            Field.textarea("could_be_better", rows=4),
            heading("A quote for our website (optional)"),
            HTML(
                '<p class="govuk-body">If you would like others to hear what you thought, we may '
                "publish a short quote on the workshop's page. We read every quote first.</p>"
            ),
            Field.textarea("quote", rows=3),
            Field.radios("naming", legend_size=Size.SMALL),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
            Field.text("first_name", autocomplete="given-name", field_width=Fluid.ONE_HALF),
            Field.checkbox("publish_consent"),
            honeypot(),
            Button("submit", "Send feedback", type="submit", data_prevent_double_click="true"),
            form_token(),
        )

    def clean(self):
        cleaned_data = super().clean()
        quote = cleaned_data.get("quote")
        naming = cleaned_data.get("naming")
        if "quote" in self.errors:
            return cleaned_data
        if cleaned_data.get("publish_consent") and not quote:
            self.add_error("quote", "Enter your quote, or untick the box agreeing to publish it")
        if quote and cleaned_data.get("publish_consent") and not naming:
            self.add_error("naming", "Select how we should name you with your quote")
        naming_needs = {
            Feedback.Naming.ROLE: ["role"],
            Feedback.Naming.NAME_AND_ROLE: ["first_name", "role"],
        }
        messages = {
            "role": "Enter your role, as you chose to be named by it",
            "first_name": "Enter your first name, as you chose to be named by it",
        }
        if quote:
            for field in naming_needs.get(naming, []):
                if not cleaned_data.get(field) and field not in self.errors:
                    self.add_error(field, messages[field])
        return cleaned_data
