"""The honeypot for public forms: a trap hidden from people, which refuses what robots send."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.template import Context, Template

from blocks.honeypot import HoneypotMixin, honeypot


class ContactForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label="Your name")
    honeypot_message = "Not sent: it looks automated. If you are a person, email {team_email}."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("name"), honeypot())


def test_an_empty_trap_lets_the_form_through():
    form = ContactForm(data={"name": "Amina", "website": ""})
    assert form.is_valid(), form.errors
    form = ContactForm(data={"name": "Amina"})
    assert form.is_valid(), form.errors


def test_a_filled_in_trap_refuses_the_whole_form_with_the_forms_own_message(settings):
    settings.TEAM_EMAIL = "prevent@westminster.gov.uk"
    form = ContactForm(data={"name": "Amina", "website": "https://cheap-pills.example"})
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Not sent: it looks automated. If you are a person, email prevent@westminster.gov.uk."
    ]
    assert list(form.errors) == ["__all__"]


def test_the_trap_is_hidden_from_people_and_screen_readers_and_out_of_the_tab_order():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": ContactForm()})
    )
    trap = re.search(r'<div\s+hidden="hidden"\s*>\s*<div id="div_id_website".*?</div>', html, re.S)
    assert trap, html
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", html).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
