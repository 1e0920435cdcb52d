"""The building blocks' team-written text that is translated in the admin
(django-modeltranslation): the pages' introductions, and the names search results give those
pages. See resources/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import PageIntroduction


@register(PageIntroduction)
class PageIntroductionTranslationOptions(TranslationOptions):
    # Its name first: search on a translated page shows it as the result's title.
    fields = ("name", "text")
    # English must be there: the other languages fall back to it.
    required_languages = ("en-gb",)
