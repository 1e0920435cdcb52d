"""The project's overrides of crispy-forms-gds templates (templates/gds/), on a form that is not
the training request form: any form with a FormHelper and a Layout gets them."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from tests.training.pages import parse_html


class SightingForm(forms.Form):
    """Questions of every kind the pack draws; only route and story have hints."""

    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("online", "Online safety"), ("misogyny", "Misogyny")],
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label="What did you see?",
        choices=[("leaflet", "Leaflet"), ("sticker", "Sticker"), ("graffiti", "Graffiti")],
        widget=forms.RadioSelect,
    )
    seen_on = DateInputField(label="When did you see it?", require_all_fields=False)
    name = forms.CharField(label="Your name")
    email = forms.EmailField(label="Email address")
    phone = forms.CharField(label="Phone number", widget=forms.TelInput)
    website = forms.URLField(label="Web page")
    count = forms.IntegerField(label="How many")
    search = forms.CharField(label="Search", widget=forms.SearchInput)
    passphrase = forms.CharField(label="Passphrase", widget=forms.PasswordInput)
    photo = forms.FileField(label="Photo", widget=forms.FileInput)
    agree = forms.BooleanField(label="I agree")
    route = forms.ChoiceField(
        label="How should we reply?",
        choices=[
            Choice("email", "By email", hint="Within 5 working days"),
            Choice("phone", "By phone", divider="or"),
            Choice("none", "No reply needed"),
        ],
        widget=forms.RadioSelect,
    )
    story = forms.CharField(
        label="What happened?", help_text="Say where and when.", widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("topics"),
            Field.radios("kind", inline=True),
            Field("seen_on"),
            *(Field.text(name) for name in ("name", "email", "phone", "website", "count")),
            *(Field.text(name) for name in ("search", "passphrase")),
            Field("photo"),
            Field.checkbox("agree"),
            Field.radios("route", legend_size=Size.SMALL),
            Field.textarea("story", label_tag="h2", max_characters=500),
        )

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def rendered(data=None):
    form = SightingForm(data=data)
    form.is_valid()
    summary = render_to_string("gds/layout/error_summary.html", {"form": form})
    return summary + render_crispy_form(form)


def date(day, month, year):
    return {"seen_on_0": day, "seen_on_1": month, "seen_on_2": year}


def test_summary_links_of_checkboxes_and_radios_go_to_their_first_input():
    page = parse_html(rendered({}))
    hrefs = [href for href, _ in page.summary_links]
    assert "#id_topics_1" in hrefs and "#id_kind_1" in hrefs
    assert page.inputs["id_topics_1"]["value"] == "online"
    assert page.inputs["id_kind_1"]["value"] == "leaflet"


def test_a_whole_form_error_links_to_the_first_input_of_the_first_question():
    page = parse_html(rendered({}))
    assert page.summary_links[0] == ("#id_topics_1", "Something about the whole form")


def test_every_summary_link_goes_to_an_input():
    for data in ({}, date("31", "2", "2030"), date("1", "", "2030"), {"email": "x"}):
        page = parse_html(rendered(data))
        assert page.summary_links
        for href, message in page.summary_links:
            assert href[1:] in page.inputs, (href, message)


def test_a_date_part_error_links_to_that_part_and_a_whole_date_error_to_the_day():
    def date_links(data):
        links = parse_html(rendered(data)).summary_links
        return [(href, message) for href, message in links if href.startswith("#id_seen_on")]

    assert date_links(date("1", "", "2030")) == [("#id_seen_on_1", "Enter the month")]
    [(href, _)] = date_links(date("31", "2", "2030"))
    assert href == "#id_seen_on_0"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("name", ""),
        ("email", "amina@"),
        ("phone", ""),
        ("website", "not a web page"),
        ("count", "lots"),
        ("search", ""),
        ("passphrase", ""),
    ],
)
def test_a_text_like_input_with_an_error_is_marked_as_in_error(name, value):
    page = parse_html(rendered({name: value}))
    classes = page.inputs[f"id_{name}"]["class"].split()
    assert classes[0] == "govuk-input"
    assert "govuk-input--error" in classes
    assert page.inputs[f"id_{name}"]["aria-describedby"] == f"id_{name}_1_error"


def test_a_text_like_input_without_an_error_is_a_plain_govuk_input():
    data = {
        "name": "Amina",
        "email": "amina@example.org",
        "phone": "020 7946 0000",
        "website": "https://example.org",
        "count": "3",
        "search": "leaflets",
        "passphrase": "a long passphrase",
    }
    page = parse_html(rendered(data))
    for name in data:
        assert page.inputs[f"id_{name}"]["class"] == "govuk-input", name


def test_a_file_input_gets_the_file_upload_classes():
    assert parse_html(rendered()).inputs["id_photo"]["class"] == "govuk-file-upload"
    with_error = parse_html(rendered({})).inputs["id_photo"]["class"].split()
    assert with_error == ["govuk-file-upload", "govuk-file-upload--error"]


@pytest.mark.parametrize("name", ["topics", "kind", "seen_on"])
def test_a_fieldset_without_a_hint_is_described_by_its_error_alone(name):
    html = rendered({**date("1", "", "2030"), "topics": [], "kind": ""})
    describedby = re.findall(r'<fieldset class="govuk-fieldset" aria-describedby="([^"]*)"', html)
    assert f"id_{name}_1_error" in describedby
    assert all(ids == ids.strip() for ids in describedby), describedby


def test_inline_radios_keep_the_radios_class():
    html = rendered()
    assert '<div class="govuk-radios govuk-radios--inline">' in html


def test_the_error_summary_uses_current_govuk_markup():
    html = rendered({})
    assert re.search(
        r'<div class="govuk-error-summary" data-module="govuk-error-summary">\s*'
        r'<div role="alert">\s*<h2 class="govuk-error-summary__title">There is a problem</h2>',
        html,
    )
    assert "tabindex" not in html[: html.index("</ul>")]


def test_radio_hints_dividers_and_the_chosen_radio_are_shown():
    html = rendered({"route": "phone"})
    page = parse_html(html)
    assert page.inputs["id_route_1"]["aria-describedby"] == "id_route_1_hint"
    assert re.search(
        r'<span id="id_route_1_hint" class="govuk-hint govuk-radios__hint">'
        r"Within 5 working days</span>",
        html,
    )
    assert '<div class="govuk-radios__divider">or</div>' in html
    assert [i for i in page.inputs if "checked" in page.inputs[i]] == ["id_route_2"]
    assert "aria-describedby" not in page.inputs["id_route_2"]


def test_a_question_with_a_hint_and_an_error_shows_both_and_is_described_by_both():
    html = rendered({"story": ""})
    assert '<div id="id_story_hint" class="govuk-hint">Say where and when.</div>' in html
    assert re.search(
        r'<span id="id_story_1_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span> This field is required.\s*</span>',
        html,
    )
    story = parse_html(html).inputs["id_story"]
    assert story["aria-describedby"] == "id_story_hint id_story-info id_story_1_error"


def test_a_character_count_and_a_label_as_heading_are_kept():
    html = rendered()
    assert re.search(
        r'<div class="govuk-character-count" data-module="govuk-character-count" '
        r'data-maxlength="500">\s*<div id="div_id_story" class="govuk-form-group">\s*'
        r'<h2 class="govuk-label-wrapper">\s*<label for="id_story" class="govuk-label">',
        html,
    )
    assert re.search(r'id="id_story-info"[^>]*>\s*You can enter up to 500 characters', html)


def test_a_character_count_counts_in_arabic_with_its_six_plural_forms():
    with translation.override("ar"):
        html = rendered()
    count = re.search(r'<div class="govuk-character-count"[^>]*>', html).group(0)
    assert 'data-i18n.characters-under-limit.one="يتبقى لك حرف واحد"' in count
    assert 'data-i18n.characters-under-limit.two="يتبقى لك حرفان"' in count
    assert 'data-i18n.characters-under-limit.few="يتبقى لك %{count} أحرف"' in count
    assert 'data-i18n.characters-under-limit.many="يتبقى لك %{count} حرفًا"' in count
    assert 'data-i18n.characters-over-limit.other="تجاوزت الحد بـ%{count} حرف"' in count
    assert 'data-i18n.characters-at-limit="لم يتبقَّ لك أي حرف"' in count
    assert "zero" in count


def test_a_character_count_counts_in_bengali_with_one_and_other():
    with translation.override("bn"):
        html = rendered()
    count = re.search(r'<div class="govuk-character-count"[^>]*>', html).group(0)
    assert 'data-i18n.characters-under-limit.other="আপনার আর %{count}টি অক্ষর বাকি আছে"' in count
    assert ".few=" not in count


def test_an_english_character_count_keeps_govuk_frontend_s_own_words():
    html = rendered()
    assert "data-i18n" not in html
