"""Anonymous pages served whole from the shared cache, and refreshed the moment content changes.

A hit costs one cache round trip: no database, session or template. Each page is stored with the
content generation it was built under, a token that any change to public content replaces, and
is served only while that token is current; changes that come with time (a scheduled issue, an
event ending) show within settings.PAGE_CACHE_SECONDS. Only what anyone may see is stored.
"""

import gzip
import hashlib
import logging
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.http.cookie import parse_cookie
from django.utils.csp import CSP
from django.utils.http import parse_etags, split_directive_names

from .middleware import encoding_quality

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip alone still works
    brotli = None

logger = logging.getLogger(__name__)

# The content generation: random rather than counted, so two editors saving at once can never
# leave it on a value a stale page was stored under. Stored inside each entry rather than in its
# key, so a hit reads both in one round trip (get_many).
GENERATION_KEY = "pagecache:generation"
# Bumped when what a stored entry holds changes (its layout; since 3, every header the site
# sends), so a new release never serves an entry stored by an older one.
ENTRY_FORMAT = 3

# Most of quality 11's saving for a small part of its time (docs/performance.md).
BROTLI_QUALITY = 5
ENCODINGS = ("br", "gzip", "identity") if brotli else ("gzip", "identity")
_compressible = re.compile(r"^(text/|application/(.*\+)?(xml|json|javascript))")
# Only these may vary: the cache keys on encoding, and serves no one carrying a session cookie.
_allowed_vary = {"accept-encoding", "cookie"}
_never_store = {"private", "no-store", "no-cache"}
_dropped_headers = {"content-length", "content-encoding", "etag", "cache-control", "vary"}
_nonce_source = re.compile(r" ?'nonce-[^']*'")
_whole_number = re.compile(r"[1-9][0-9]*")


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


def content_models():
    """The models whose changes show on public pages, as each app says in its AppConfig.

    An app whose models appear on public pages sets ``shown_on_public_pages = True``, and lists
    in ``never_on_public_pages`` the names of those that never do (a form's submissions, their
    emails), so that saving one leaves cached pages alone. Any other model of such an app,
    including one added later, refreshes the cache: when in doubt, fresh rather than fast. An
    app that says nothing is not content.
    """
    for config in apps.get_app_configs():
        if not getattr(config, "shown_on_public_pages", False):
            continue
        private = {config.get_model(name) for name in getattr(config, "never_on_public_pages", ())}
        for model in config.get_models(include_auto_created=True):
            if model not in private:
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


# --- Looking a page up: shared by the WSGI front and the middleware ---------------------------


def page_key(scheme, host, path, query, encoding):
    # The Host header as sent: a page is only ever stored after the view has run, which
    # rejects hosts not in ALLOWED_HOSTS, so an unknown host can only ever miss. The scheme is
    # part of the key, so a page stored for HTTPS (with its HSTS header) is never the answer to
    # a plain HTTP request, which goes on to SecurityMiddleware's redirect instead.
    address = f"{scheme}://{host}{path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{digest}:{encoding}"


def preferred_encoding(accept):
    """The stored encoding to send: the compression the browser wants most (on a tie, the
    first in ENCODINGS), or none if it takes neither."""
    quality = {name: encoding_quality(accept, name) for name in ENCODINGS[:-1]}
    best = max(quality, key=quality.get)
    return best if quality[best] > 0 else "identity"


def lookup(key):
    """The current generation and the stored entry, in one round trip; None if unreachable."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception as error:
        logger.warning("Page cache unreachable, building the page without it: %r", error)
        return None
    return found.get(GENERATION_KEY), found.get(key)


def is_current(entry, generation):
    return (
        generation is not None
        and type(entry) is tuple
        and entry[0] == ENTRY_FORMAT
        and entry[1] == generation
    )


def is_not_modified(entry, if_none_match):
    """Whether the browser's If-None-Match already names this version of the page."""
    return bool(if_none_match) and (
        if_none_match.strip() == "*" or entry[3] in parse_etags(if_none_match)
    )


def not_modified_headers(entry):
    headers = entry[2]
    return {name: headers[name] for name in ("ETag", "Cache-Control", "Vary")}


def respond(request, entry):
    """The stored page as a Django response, or 304 Not Modified if the browser has it."""
    if is_not_modified(entry, request.META.get("HTTP_IF_NONE_MATCH")):
        return HttpResponseNotModified(headers=not_modified_headers(entry))
    return HttpResponse(entry[4], headers=entry[2])


# The health checks (prevent_site/health.py) answer for this process, never from the cache, and
# must not wait on a cache that is down.
_never_cached_paths = ("/healthz", "/readyz")


def bypasses_cache(path, cookie_header):
    """The admin, static and media files, the health checks, and visitors with a session or
    messages cookie."""
    if path.startswith(_never_cached_prefixes()) or path in _never_cached_paths:
        return True
    if cookie_header:
        cookies = parse_cookie(cookie_header)
        return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies
    return False


def _never_cached_prefixes():
    return tuple(p for p in ("/admin/", settings.STATIC_URL, settings.MEDIA_URL) if p)


# --- Query strings ------------------------------------------------------------------------------


class NamesRead(QueryDict):
    """request.GET, noting the parameters the page asks for by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.names_read = set()

    def get(self, key, default=None):
        self.names_read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.names_read.add(key)
        return super().getlist(key, default)


def watch_query(request):
    """Give the view a request.GET that notes the names it reads; None if it need not."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return None
    if not query.isascii():
        return None  # never stored (is_storable_query), so left to Django to decode its own way
    try:
        request.GET = NamesRead(query, encoding=request.encoding)
    except TooManyFieldsSent:
        return None  # never stored either; Django answers 400 if the page reads it
    return request.GET


def is_storable_query(query, params):
    """Whether a page built for this query string may be stored under it.

    Only in the one form the site links to: parameters the page read by name, each once, in
    alphabetical order, each a whole number written plainly (``?page=2``; not ``?page=02``,
    ``?page=2&page=2`` or ``?page=2&utm_source=x``). A page that reads a number answers 404 past
    the last one (pagination does), so made-up addresses can neither fill the cache nor push
    real pages out of it; they are still answered, built each time. Free text is never stored.
    """
    if not query:
        return True
    if params is None:
        return False
    pairs = sorted((name, value) for name, values in params.lists() for value in values)
    names = {name for name, _ in pairs}
    return (
        len(names) == len(pairs)
        and names <= params.names_read
        and all(_whole_number.fullmatch(value) for _, value in pairs)
        and query == "&".join(f"{name}={value}" for name, value in pairs)
    )


# --- The WSGI front: hits answered before Django's request handling ----------------------------

# What the front found for a request it passes on to Django: (key, lookup(key)).
LOOKED_UP = "prevent_site.pagecache.looked_up"


class CachedPageFront:
    """Answer page-cache hits in front of Django's WSGI handler; pass everything else to it.

    A hit needs only the request's method, address, cookies and Accept-Encoding, so it skips
    Django's request handling (its signals, middleware and response machinery) altogether. The
    stored headers are those Django sent when the page was built. PageCacheMiddleware stores
    the pages, and answers hits itself when Django is reached another way (the test client);
    both read the cache through the same functions, so they agree on what is a hit.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        entry = self.current_entry(environ)
        if entry is None:
            return self.application(environ, start_response)
        head = environ["REQUEST_METHOD"].upper() == "HEAD"
        if is_not_modified(entry, environ.get("HTTP_IF_NONE_MATCH")):
            start_response("304 Not Modified", list(not_modified_headers(entry).items()))
            return []
        start_response("200 OK", list(entry[2].items()))
        return [] if head else [entry[4]]

    def current_entry(self, environ):
        """The stored page for this request if it is current, else None (let Django answer)."""
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        if environ.get("REQUEST_METHOD", "").upper() not in ("GET", "HEAD"):
            return None
        # The address exactly as Django's WSGIRequest and HttpRequest.scheme work it out.
        script_name = get_script_name(environ)
        path_info = get_path_info(environ) or "/"
        path = f"{script_name.rstrip('/')}/{path_info.replace('/', '', 1)}"
        if bypasses_cache(path, environ.get("HTTP_COOKIE")):
            return None
        key = page_key(
            scheme_of(environ),
            environ.get("HTTP_HOST", ""),
            path,
            environ.get("QUERY_STRING", ""),
            preferred_encoding(environ.get("HTTP_ACCEPT_ENCODING", "")),
        )
        found = lookup(key)
        if found is None or not is_current(found[1], found[0]):
            # Django's turn: the middleware reads this rather than ask the cache again (or,
            # with the cache down, wait for it a second time).
            environ[LOOKED_UP] = (key, found)
            return None
        return found[1]


def scheme_of(environ):
    """HttpRequest.scheme, read straight from the WSGI environ."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            value, *_ = value.split(",", 1)
            return "https" if value.strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme")


# --- The middleware --------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests from the shared cache; store what may be shared.

    The outermost middleware, so the page it stores carries every header the others add
    (SecurityMiddleware's HSTS and nosniff, the CSP, Permissions-Policy, X-Frame-Options...),
    and a hit it answers skips all of them. In production most hits never reach it:
    CachedPageFront (prevent_site/wsgi.py) answers them before Django's handler.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Pages change with time too (publish-at passes, an event ends, a scheme opens). Rather
        # than work out when each of those rules next changes each page, a page is kept for at
        # most this long, and each page is built about once a period for the whole site.
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        if self.timeout <= 0:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            # Bulk actions (queryset.update()) send no model signals: any form staff post in the
            # admin refreshes. Only staff: anyone else could empty the cache at will with a
            # failed sign-in, an OPTIONS request or a POST over plain HTTP (redirected, 301).
            if (
                request.path.startswith("/admin/")
                and response.status_code < 400
                and getattr(getattr(request, "user", None), "is_staff", False)
            ):
                bump_generation()
            return response
        if bypasses_cache(request.path, request.META.get("HTTP_COOKIE")):
            return self.get_response(request)
        encoding = preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        key = self.key(request, encoding)
        looked_up = request.META.pop(LOOKED_UP, None)
        found = looked_up[1] if looked_up and looked_up[0] == key else lookup(key)
        if found is None:
            return self.get_response(request)
        generation, entry = found
        if generation is None:
            generation = self.start_generation()
        elif is_current(entry, generation):
            return respond(request, entry)

        params = watch_query(request)
        response = self.get_response(request)
        if generation is None or request.method != "GET":
            return response
        if not is_storable_query(request.META.get("QUERY_STRING", ""), params):
            return response
        body = self.storable_body(request, response)
        if body is None:
            return response
        entries = entries_for(response, body, generation)
        try:
            cache.set_many(
                {self.key(request, name): entry for name, entry in entries.items()},
                self.timeout,
            )
        except Exception as error:
            logger.warning("Could not store a page in the cache: %r", error)
        return respond(request, entries[encoding])

    @staticmethod
    def key(request, encoding):
        host, query = request.META.get("HTTP_HOST", ""), request.META.get("QUERY_STRING", "")
        return page_key(request.scheme, host, request.path, query, encoding)

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
    """Every encoding of the page, each with all of its headers, ready to send.

    Compressed once, here: the page is public and anonymous, so nothing for BREACH to recover.
    """
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
