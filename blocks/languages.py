"""The site's languages: which pages are translated, the language of a request, and what a page
needs to say about its languages (lang and dir, hreflang alternates, the language switcher, the
"not yet checked" notice).

English lives at today's addresses and every other language of settings.LANGUAGES under its
code (/ar/worried-about-someone/), through i18n_patterns in the root URLs. Only the pages an app
registers here with translated_page() are offered under a language's prefix: any other page
asked for there redirects to its English address, so no page is ever half in one language
without saying so.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware import locale
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from .models import TranslationCheck

# view name ("resources:help-route-list") -> the page's English name, for the admin.
_translated_pages = {}


def translated_page(view_name, label):
    """Offer the page of this view name in every language of settings.LANGUAGES."""
    _translated_pages[view_name] = label


def translated_pages():
    return dict(_translated_pages)


def is_translated(view_name):
    return view_name in _translated_pages


def default_language():
    return settings.LANGUAGE_CODE


def other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code != default_language()]


def html_lang(code):
    """The language as HTML's lang and hreflang write it: "en-GB", "ar", "bn"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def html_dir(code):
    """The direction the language is written in, as HTML's dir says it: "rtl" or "ltr"."""
    return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


def english_part(language=None):
    """' lang="en-GB" dir="ltr"', the attributes of a part in English, when what is being made
    is in another language (``language``, the active one unless given); "" in English
    (WCAG 3.1.2, language of parts)."""
    language = language or translation.get_language() or default_language()
    if language == default_language():
        return ""
    return mark_safe(f' lang="{html_lang(default_language())}" dir="ltr"')


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, but the language comes from the address alone.

    Django's would also read Accept-Language (and a cookie) and then add
    "Vary: Accept-Language" to every English page, so a front cache would keep one copy of a
    page for each browser's language setting, while with prefix_default_language=False an
    unprefixed address is English whatever the browser says. The admin, outside
    i18n_patterns, is English too.
    """

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or default_language())
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", html_lang(request.LANGUAGE_CODE))
        # The language is this request's only: a later request, or code run after it in the
        # same thread (a test), starts from English again.
        translation.deactivate()
        return response


class EnglishOnlyPagesMiddleware:
    """Under a language's prefix, a page not translated into it redirects to its English page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        language = getattr(request, "LANGUAGE_CODE", default_language())
        if language == default_language():
            return None
        match = request.resolver_match
        if match is not None and is_translated(match.view_name):
            return None
        english = translate_url(request.path, default_language())
        if english == request.path:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(english + (f"?{query}" if query else ""))


def page_context(request):
    """What base.html needs about the page's languages."""
    language = translation.get_language() or default_language()
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    translated = is_translated(view_name)
    context = {
        "page_lang": html_lang(language),
        "page_dir": html_dir(language),
        "page_locale": translation.to_locale(language),
        "page_is_english": language == default_language(),
        "page_translated": translated,
        # On right-to-left pages, for numbers, addresses and references: their characters read
        # left to right inside Arabic text. Nothing on left-to-right pages.
        "ltr": mark_safe(' dir="ltr"') if translation.get_language_bidi() else "",
        # On pages not in English, for the parts that are (the team's English-only content on
        # a translated page, WCAG 3.1.2); nothing on English pages.
        "english_part": english_part(language),
    }
    if not translated:
        return context
    languages = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        languages.append(
            {
                "code": code,
                "lang": html_lang(code),
                "dir": html_dir(code),
                "name": name,
                "url": url,
                "absolute_url": settings.SITE_URL + url,
                "current": code == language,
            }
        )
    english = languages[0]
    context["page_languages"] = languages
    context["english_url"] = english["url"]
    context["english_absolute_url"] = english["absolute_url"]
    if language != default_language():
        context["translation_checked"] = TranslationCheck.objects.filter(
            page=view_name, language=language
        ).exists()
    return context
