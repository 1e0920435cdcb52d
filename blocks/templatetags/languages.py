"""{% page_url "name" %}: a link in the reader's language where the page is translated, else
to the English page directly (not through the redirect from /ar/...). {% page_introduction %}:
a page's opening words the team writes, in the reader's language. {% fallback_lang %} and
{% character_count_i18n %}: team text and GOV.UK's script on pages not in English."""

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from modeltranslation.utils import build_localized_fieldname

from blocks import languages
from blocks.models import PageIntroduction

register = template.Library()


def page_url(view_name, *args, **kwargs):
    if languages.is_translated(view_name):
        return reverse(view_name, args=args, kwargs=kwargs)
    with translation.override(languages.default_language()):
        return reverse(view_name, args=args, kwargs=kwargs)


@register.simple_tag(name="page_url")
def page_url_tag(view_name, *args, **kwargs):
    return page_url(view_name, *args, **kwargs)


@register.filter(name="html_lang")
def html_lang_filter(code):
    """A language code as HTML's lang writes it: {{ code|html_lang }} gives "en-GB", "ar"."""
    return languages.html_lang(code)


@register.filter(name="html_dir")
def html_dir_filter(code):
    """{{ code|html_dir }}: "rtl" for a language written right to left, else "ltr"."""
    return languages.html_dir(code)


@register.simple_tag
def in_english():
    """' lang="en-GB" dir="ltr"' in a language other than English, for a part that is English
    (WCAG 3.1.2); nothing in English. Where no request gives the page's {{ english_part }}:
    an email rendered in the reader's language."""
    return languages.english_part()


@register.simple_tag
def fallback_lang(obj, field):
    """' lang="en-GB" dir="ltr"' where a translated field has no text in the reader's language
    yet, so the page shows the English (WCAG 3.1.2, language of parts); nothing otherwise.

    ``{% fallback_lang route "description" %}`` on the element that holds route.description.
    """
    language = translation.get_language()
    if not language or language == languages.default_language():
        return ""
    if getattr(obj, build_localized_fieldname(field, language), None):
        return ""
    return languages.english_part()


@register.inclusion_tag("includes/page_introduction.html")
def page_introduction(page, lead=True):
    """The opening paragraphs the team wrote for the page of this URL name
    (blocks.models.PageIntroduction), in the reader's language or, marked so, in English; the
    first as a lead paragraph unless lead=False. Nothing if the page has none."""
    introduction = PageIntroduction.objects.filter(page=page).first()
    if introduction is None:
        return {"paragraphs": []}
    return {
        "paragraphs": introduction.paragraphs(),
        "lang": fallback_lang(introduction, "text"),
        "lead": lead,
    }


# A number in each of the language's CLDR plural categories (the ones GOV.UK Frontend's i18n
# picks with Intl.PluralRules), whose gettext plural form is the same category: ngettext with it
# gives that category's words. Arabic's six forms line up with its .po's Plural-Forms.
PLURAL_SAMPLES = {
    "ar": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100},
}
ONE_OTHER = {"one": 1, "other": 2}


def character_count_messages():
    """GOV.UK Frontend's character count messages in the reader's language, by attribute key."""
    # %{count} is GOV.UK's placeholder, which its script fills in with the reader's numerals.
    # Each a whole ngettext call, so that makemessages finds its words.
    plural = {
        "characters-under-limit": lambda n: ngettext(
            "You have %{count} character remaining", "You have %{count} characters remaining", n
        ),
        "characters-over-limit": lambda n: ngettext(
            "You have %{count} character too many", "You have %{count} characters too many", n
        ),
        "words-under-limit": lambda n: ngettext(
            "You have %{count} word remaining", "You have %{count} words remaining", n
        ),
        "words-over-limit": lambda n: ngettext(
            "You have %{count} word too many", "You have %{count} words too many", n
        ),
    }
    samples = PLURAL_SAMPLES.get(translation.get_language(), ONE_OTHER)
    messages = {
        f"{key}.{category}": words(n)
        for key, words in plural.items()
        for category, n in samples.items()
    }
    messages["characters-at-limit"] = gettext("You have 0 characters remaining")
    messages["words-at-limit"] = gettext("You have 0 words remaining")
    return messages


@register.simple_tag
def character_count_i18n():
    """data-i18n.* attributes for a GOV.UK character count on a page not in English, which
    would otherwise count in English; nothing on English pages (GOV.UK's own words)."""
    language = translation.get_language()
    if not language or language == languages.default_language():
        return ""
    return format_html_join("", ' data-i18n.{}="{}"', character_count_messages().items())
