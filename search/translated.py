"""Search on a translated page: the team's text in the reader's language first, then the English
site's results, labelled as English.

The index (search/index.py) is English, with PostgreSQL's English stemming. Arabic and Bengali
have no stemmer there, and little of the site is translated, so their text is searched as it
is stored: every word typed must appear, in any of the translated fields of an item, as PostgreSQL's
"simple" configuration would match it (no stemming), here without an index. The models are the
ones registered for translation (django-modeltranslation), so a model translated later is
searched without a change here.
"""

from django.db.models import Q
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .marking import extract

MAX_RESULTS = 20


def translated_results(text, language):
    """[(title, url, extract)] of the items whose text in ``language`` has every word typed."""
    words = text.split()
    if not words:
        return []
    results = []
    for model in translator.get_registered_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        # In the order the model declares them: modeltranslation keeps them as a set.
        names = translator.get_options_for_model(model).fields
        order = [field.name for field in model._meta.get_fields()]
        fields = [
            build_localized_fieldname(name, language) for name in sorted(names, key=order.index)
        ]
        condition = Q()
        for word in words:
            in_any = Q()
            for field in fields:
                in_any |= Q(**{f"{field}__icontains": word})
            condition &= in_any
        manager = model._default_manager
        queryset = manager.published() if hasattr(manager, "published") else manager.all()
        for item in queryset.filter(condition)[:MAX_RESULTS]:
            texts = [getattr(item, field) or "" for field in fields]
            # Its first translated field is its name (each model declares it first).
            title = next((t for t in texts if t), str(item))
            body = " ".join(t for t in texts[1:] if t) or title
            results.append((title, item.get_absolute_url(), extract(body, words)))
    return results[:MAX_RESULTS]
