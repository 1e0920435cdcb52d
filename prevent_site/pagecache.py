"""Anonymous pages served from the shared cache, refreshed the moment content changes.

How a page stays fresh:

- The shared cache (Redis or the database: settings.CACHES) holds a site-wide content
  *generation*: a random token. Every save, delete or many-to-many change of a content model
  (newsletters, training, resources; not training requests, their counters or the email outbox)
  sets a new token, and so does every form posted in the admin (which also catches bulk actions
  that bypass model signals).
- Each cached page is stored with the generation it was built under, and is served only while
  that is still the current generation: the same as putting the generation in the key, but
  both are read in one round trip (``get_many``) instead of two, so a hit costs one cache
  request: no database, no session, no template.
- Tokens are random rather than counted up, so two editors saving at once can never leave the
  cache on a value a stale page was stored under; and the token is set again once the
  transaction commits, so a page built from the old rows during a save cannot outlive it.

Pages change with time too (a scheduled issue's publish-at passes, an event ends, a funding
scheme opens at midnight, "days left" counts down). Rather than work out the next moment at which
any of these rules changes each page, which every new time rule would have to keep in step
with, a page is kept for at most settings.PAGE_CACHE_SECONDS (60 s): a scheduled item appears
within a minute of its time, and under a newsletter's burst each page is still built about once
a minute for the whole site, whatever the number of workers and servers.

Never cached: anything but GET and HEAD, the admin, requests carrying a session or messages
cookie (signed-in staff), responses that set a cookie (a form's CSRF token does), that contain a
CSRF token, that say private / no-store / no-cache (staff previews), that vary on anything but
Cookie and Accept-Encoding, and anything but a 200.

Gzip and brotli copies are made once when a page is stored (it is public, anonymous content:
nothing for BREACH to recover), with the ETag and the other headers, so a hit only picks one.
"""

import gzip
import hashlib
import logging
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.csp import CSP
from django.utils.http import parse_etags, split_directive_names

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip alone still works
    brotli = None

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Bumped when the layout of a stored entry changes, so a new release never reads an old one.
ENTRY_FORMAT = 2

CONTENT_APPS = ("newsletters", "training", "resources")
# Models of those apps that never appear on a public page. Saving one must not empty the cache:
# each training request saves a request, a reference counter, a rate-limit row and two outbox
# emails, and every mail run updates the outbox. Any other model, including one added later,
# refreshes the cache: when in doubt, fresh rather than fast.
NOT_PUBLIC_MODELS = {
    "training.trainingrequest",
    "training.referencecounter",
    "training.recentsubmission",
    "training.outboundemail",
}

# Quality 11 saves about 15% more but takes 15-50 ms per page, against under 1 ms for 5.
BROTLI_QUALITY = 5
ENCODINGS = ("br", "gzip", "identity") if brotli else ("gzip", "identity")
_accepts_br = re.compile(r"\bbr\b")
_accepts_gzip = re.compile(r"\bgzip\b")
_compressible = re.compile(r"^(text/|application/(.*\+)?(xml|json|javascript))")
# Only these may vary: the cache keys on encoding, and serves no one carrying a session cookie.
_allowed_vary = {"accept-encoding", "cookie"}
_never_store = {"private", "no-store", "no-cache"}
_dropped_headers = {"content-length", "content-encoding", "etag", "cache-control", "vary"}
_nonce_source = re.compile(r" ?'nonce-[^']*'")


# --- The generation --------------------------------------------------------------------------


def bump_generation():
    """Make every cached page stale. Safe to call as often as needed."""
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception as error:
        # Pages then stay as they are for at most PAGE_CACHE_SECONDS.
        logger.error("Could not reach the cache to refresh cached pages: %r", error)


def content_changed(sender, **kwargs):
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: the pre_* half changes nothing yet
    bump_generation()
    # And again after commit: a request that read the new token before the rows were committed
    # may have stored the old content under it.
    transaction.on_commit(bump_generation, using=kwargs.get("using"))


def is_public_content(model):
    return model._meta.label_lower not in NOT_PUBLIC_MODELS


def content_models():
    for app_label in CONTENT_APPS:
        config = apps.get_app_config(app_label)
        for model in config.get_models(include_auto_created=True):
            if is_public_content(model):
                yield model


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    signals = {"post_save": post_save, "post_delete": post_delete, "m2m_changed": m2m_changed}
    for model in content_models():
        for name, signal in signals.items():
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"pagecache-{name}-{model._meta.label_lower}",
            )


def after_migrate(using, **kwargs):
    """Create the cache table if the cache lives in the database; drop pages built by old code."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
    bump_generation()


# --- The middleware --------------------------------------------------------------------------


def page_key(request, encoding):
    # The Host header as sent: a page is only ever stored after the view has run, which
    # rejects hosts not in ALLOWED_HOSTS, so an unknown host can only ever miss.
    host, query = request.META.get("HTTP_HOST", ""), request.META.get("QUERY_STRING", "")
    address = f"{request.scheme}://{host}{request.path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{digest}:{encoding}"


def preferred_encoding(request):
    accept = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if brotli and _accepts_br.search(accept):
        return "br"
    if _accepts_gzip.search(accept):
        return "gzip"
    return "identity"


def respond(request, entry):
    """The stored page, or 304 Not Modified if the browser already has this version."""
    _format, _generation, headers, etag, body = entry
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match and (if_none_match.strip() == "*" or etag in parse_etags(if_none_match)):
        response = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary"):
            response.headers[name] = headers[name]
        return response
    response = HttpResponse(body, headers=headers)
    return response


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests from the shared cache; store what may be shared.

    Sits right after SecurityMiddleware and WhiteNoise, so a hit skips everything else. The
    middleware after it add their headers (CSP, Permissions-Policy, X-Frame-Options...) to the
    page before it is stored, so hits carry them too; SecurityMiddleware adds its own to every
    response, hits included.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.bypass_cookies = {settings.SESSION_COOKIE_NAME, "messages"}
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        if self.timeout <= 0:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            # Bulk actions (queryset.update()) send no model signals: any admin form refreshes.
            if request.path.startswith(self.admin_prefix) and response.status_code < 400:
                bump_generation()
            return response
        if request.path.startswith(self.admin_prefix) or not self.bypass_cookies.isdisjoint(
            request.COOKIES
        ):
            return self.get_response(request)
        encoding = preferred_encoding(request)
        key = page_key(request, encoding)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as error:
            logger.warning("Page cache unreachable, building the page without it: %r", error)
            found = None
        if found is None:
            return self.get_response(request)
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if generation is None:
            generation = self.start_generation()
        elif type(entry) is tuple and entry[0] == ENTRY_FORMAT and entry[1] == generation:
            return respond(request, entry)

        response = self.get_response(request)
        if generation is None or request.method != "GET":
            return response
        body = self.storable_body(request, response)
        if body is None:
            return response
        entries = entries_for(response, body, generation)
        try:
            cache.set_many(
                {page_key(request, name): entry for name, entry in entries.items()},
                self.timeout,
            )
        except Exception as error:
            logger.warning("Could not store a page in the cache: %r", error)
        return respond(request, entries[encoding])

    def start_generation(self):
        """The generation token was never set, or the cache lost it: start a new one."""
        try:
            cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
            return cache.get(GENERATION_KEY)
        except Exception:
            return None

    def storable_body(self, request, response):
        """The page as it may be shown to anyone, or None if it must not be shared."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return None
        if not _never_store.isdisjoint(split_directive_names(response.get("Cache-Control", ""))):
            return None
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if not vary <= _allowed_vary:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        body = response.content
        encoding = response.get("Content-Encoding")
        if encoding == "gzip":  # compressed by SafeGZipMiddleware on its way out
            body = gzip.decompress(body)
        elif encoding:
            return None
        # A CSRF token is a secret for one visitor; such a form also sets the CSRF cookie.
        if b"csrfmiddlewaretoken" in body:
            return None
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            # A stored nonce would be replayed to every visitor: cached pages rely on the hash
            # of the inline script in the policy instead (settings.SECURE_CSP).
            body = body.replace(f' nonce="{nonce}"'.encode(), b"")
        return body


def entries_for(response, body, generation):
    """Every encoding of the page, each with all of its headers, ready to send."""
    headers = {
        name: value for name, value in response.items() if name.lower() not in _dropped_headers
    }
    for name in (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY):
        if name in headers:
            headers[name] = _nonce_source.sub("", headers[name])
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    headers["Vary"] = ", ".join(dict.fromkeys([*vary, "Accept-Encoding"]))
    # Browsers and proxies may keep the page but must ask each time; the ETag makes that a 304
    # while the page is unchanged.
    headers["Cache-Control"] = "no-cache"
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    headers["ETag"] = etag

    compressible = len(body) >= 200 and _compressible.match(response.get("Content-Type", ""))
    entries = {}
    for encoding in ENCODINGS:
        encoded, variant = body, dict(headers)
        if compressible and encoding == "br":
            encoded = brotli.compress(body, quality=BROTLI_QUALITY)
        elif compressible and encoding == "gzip":
            encoded = gzip.compress(body, compresslevel=9, mtime=0)
        if encoded is not body:
            variant["Content-Encoding"] = encoding
        variant["Content-Length"] = str(len(encoded))
        entries[encoding] = (ENTRY_FORMAT, generation, variant, etag, encoded)
    return entries
