"""The team-written text of this app that is translated in the admin (django-modeltranslation).

Each field named here gets one column per language of settings.LANGUAGES (name_en_gb, name_ar,
name_bn); reading `name` gives the reader's language, or English where that is empty. Phone
numbers, email and web addresses are never translated: they are the same in every language.
More models (workshops, newsletter issues...) are translated the same way: register them in
their app's translation.py and run makemigrations (docs/translations.md).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Contact, HelpRoute


@register(HelpRoute)
class HelpRouteTranslationOptions(TranslationOptions):
    fields = ("name", "description", "hours")


@register(Contact)
class ContactTranslationOptions(TranslationOptions):
    fields = ("service", "purpose")
