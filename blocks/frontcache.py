"""What a front cache (Varnish, deploy/varnish/) may keep, and telling it when content changes.

Django only says, in each response's Cache-Control, whether a shared cache may keep the page and
for how long (settings.FRONT_CACHE_SECONDS); keeping pages is left to the front cache. When
public content is saved or deleted, a task on the email worker asks every front cache in
settings.FRONT_CACHE_URLS to drop the site's pages, so an edit shows within seconds; changes that
come with time (a scheduled issue, an event ending) show within FRONT_CACHE_SECONDS.
"""

import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csp import get_nonce
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# A purge that cannot reach a front cache is tried again this many times, a little later each
# time; past a minute the pages it would drop have expired anyway.
PURGE_ATTEMPTS = 5
PURGE_TIMEOUT_SECONDS = 5

# --- What a shared cache may keep ---------------------------------------------------------------


def never_shared_prefixes():
    return tuple(p for p in ("/admin/", settings.STATIC_URL, settings.MEDIA_URL) if p)


class CacheHeadersMiddleware:
    """Mark the pages anyone may see as cacheable by a shared cache; purge after staff edits.

    Browsers keep revalidating as before (max-age=0, with the ETag ConditionalGetMiddleware
    adds). A page is marked only when nothing in it is personal: an anonymous visitor without a
    session cookie, no cookie set, no CSP nonce used (a nonce kept in a shared cache would be
    replayed to everyone), and no Cache-Control of the view's own (forms say private, search
    results no-cache). Outermost but for the request log, so it sees the final response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            if self.shareable(request, response):
                patch_cache_control(response, max_age=0, s_maxage=settings.FRONT_CACHE_SECONDS)
        elif (
            request.path.startswith("/admin/")
            and response.status_code < 400
            and getattr(getattr(request, "user", None), "is_staff", False)
        ):
            # Bulk actions (queryset.update()) send no model signals, so any form staff post in
            # the admin purges. Only staff: anyone else could empty the cache at will.
            schedule_purge()
        return response

    @staticmethod
    def shareable(request, response):
        return (
            settings.FRONT_CACHE_SECONDS > 0
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
            and not request.path.startswith(never_shared_prefixes())
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not get_nonce(request)
        )


# --- Purging ------------------------------------------------------------------------------------


def schedule_purge(using=None):
    """Ask the worker to purge every front cache once the current transaction commits."""
    if settings.FRONT_CACHE_URLS:
        transaction.on_commit(_enqueue_purge, using=using, robust=True)


# The purge this process last queued. One edit in the admin saves an issue, its sections and
# their links, each with its signal: while that purge has not started, it will drop whatever
# those saves changed, so another would add nothing.
_last_queued = {"id": None}


def _enqueue_purge():
    if _last_queued["id"] is not None:
        try:
            waiting = purge_front_caches.get_result(_last_queued["id"])
        except TaskResultDoesNotExist:
            pass
        else:
            if waiting.status == TaskResultStatus.READY:
                return
    _last_queued["id"] = purge_front_caches.enqueue().id


@task
def purge_front_caches(urls=None, attempt=1):
    """Drop every page of the site from each front cache; try those that failed again later."""
    failed = [url for url in (urls or settings.FRONT_CACHE_URLS) if not purge(url)]
    if failed and attempt < PURGE_ATTEMPTS:
        later = timezone.now() + timedelta(seconds=2**attempt)
        purge_front_caches.using(run_after=later).enqueue(failed, attempt + 1)
    elif failed:
        logger.error(
            "Could not purge %s after %d attempts: pages there may be up to %d seconds old",
            ", ".join(failed),
            attempt,
            settings.FRONT_CACHE_SECONDS,
        )


def purge(url):
    """Send one front cache the BAN request its VCL answers by dropping all of the site's pages."""
    request = urllib.request.Request(url, method="BAN")
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        logger.warning("Front cache %s did not take the purge: %s", url, error)
        return False


# --- Which changes purge ------------------------------------------------------------------------


def content_models():
    """The models whose changes show on public pages, as each app says in its AppConfig.

    An app whose models appear on public pages sets ``shown_on_public_pages = True``, and lists
    in ``never_on_public_pages`` the names of those that never do (a form's submissions, their
    emails), so that saving one purges nothing. Any other model of such an app, including one
    added later, purges: when in doubt, fresh rather than fast. An app that says nothing is not
    content.
    """
    for config in apps.get_app_configs():
        if not getattr(config, "shown_on_public_pages", False):
            continue
        private = {config.get_model(name) for name in getattr(config, "never_on_public_pages", ())}
        for model in config.get_models(include_auto_created=True):
            if model not in private:
                yield model


def content_changed(sender, **kwargs):
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: the pre_* half changes nothing yet
    schedule_purge(using=kwargs.get("using"))


def connect_signals():
    signals = {"post_save": post_save, "post_delete": post_delete, "m2m_changed": m2m_changed}
    for model in content_models():
        for name, signal in signals.items():
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"frontcache-{name}-{model._meta.label_lower}",
            )
