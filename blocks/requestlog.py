"""A request id on every response and log line, and one log line per request.

Pages answered by the front cache (Varnish) never reach the site: its own log (varnishncsa)
counts them, and nginx's X-Request-ID goes on to the site for those that do.

No log line holds a secret from an address of the site (a subscriber's link token) or an email
address: loggable() takes them out of the request log's path, and SecretsFilter, on every log
handler (settings.LOGGING, gunicorn.conf.py), out of every other line.
"""

import functools
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.apps import apps
from django.core.signals import request_finished
from django.urls import URLResolver, get_resolver, get_urlconf
from django.urls.resolvers import LocalePrefixPattern

HEADER = "X-Request-ID"
# What nginx's $request_id and most load balancers send; anything else (a header injection
# attempt, 10 KB of junk) is replaced rather than echoed into responses and logs.
_safe_request_id = re.compile(r"[A-Za-z0-9._-]{8,128}")
# Any email address, also percent-encoded as it may be in a path.
EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
# URL arguments with these names are secrets carried in the address (a subscriber's link, a
# password reset): taken out of every log line, whatever the path around them (loggable).
# deploy/nginx/prevent-logs.conf leaves them out of nginx's log the same way.
SECRET_URL_ARGUMENTS = ("token",)

request_id = ContextVar("request_id", default=None)
logger = logging.getLogger("prevent_site.requests")


def request_id_from(header_value):
    """The incoming id if it is a safe token, else a new one."""
    if header_value and _safe_request_id.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def secret_url_patterns(resolver=None):
    """{URL name: (the address before the argument, as a regex without anchors; the argument)}
    for each URL pattern of the site with an argument named in SECRET_URL_ARGUMENTS."""
    resolver = resolver or get_resolver(get_urlconf())
    found = {}

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry.pattern, LocalePrefixPattern):
                # "ar/" while Arabic is active, "" in English: the address after the language
                # is what is matched (anywhere in a line), so every language's is taken out
                # whichever language was active when the patterns were first read.
                regex = ""
            else:
                regex = entry.pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z")
                regex = regex.removesuffix("$")
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + regex, inner)
                continue
            for argument in SECRET_URL_ARGUMENTS:
                start = (prefix + regex).find(f"(?P<{argument}>")
                if start >= 0:
                    found[f"{namespace}{entry.name}"] = ((prefix + regex)[:start], argument)

    walk(resolver.url_patterns, "", "")
    return found


# What is left of a secret argument in a log line: up to the next slash, query, space or quote.
_SECRET_VALUE = r"""[^/?#\s"'<>]+"""


@functools.lru_cache(maxsize=8)
def _secret_addresses(resolver):
    """One regex per secret argument, matching anywhere in a text an address of the site up to
    and including that argument (e.g. /newsletters/unsubscribe/<token>)."""
    prefixes = {}
    for prefix, argument in secret_url_patterns(resolver).values():
        # The pattern's other arguments are matched but not captured.
        prefix = re.sub(r"\(\?P<\w+>", "(?:", prefix)
        try:
            re.compile(prefix)
        except re.error:
            # A hand-written regex cut inside a group: tests/deploy/test_log_secrets.py
            # checks that every pattern with a secret is taken out of log lines.
            continue
        prefixes.setdefault(argument, []).append(prefix)
    return [
        (argument, re.compile(f"(/(?:{'|'.join(found)})){_SECRET_VALUE}"))
        for argument, found in prefixes.items()
    ]


def loggable(text):
    """``text`` as it may be written to a log: no email address, and no secret carried in an
    address of the site (a subscriber's link token), wherever in the text the address is.

    The one rule for every log line (SecretsFilter), the request log's path and error reports.
    """
    for argument, address in _secret_address_patterns():
        text = address.sub(rf"\1[{argument}]", text)
    return EMAIL_ADDRESS.sub("[email]", text)


def _secret_address_patterns():
    if not apps.ready:
        return []  # No request is answered, so no address logged, before the apps are ready.
    try:
        return _secret_addresses(get_resolver(get_urlconf()))
    except Exception:
        # A broken URLconf: every request fails, and the error must still reach the log.
        return []


def loggable_path(path):
    """The path as it may be written to a log (see loggable)."""
    return loggable(path)[:1000]


def log_request(method, path, status, started):
    duration_ms = round((time.monotonic() - started) * 1000, 1)
    # The method is whatever the client sent: only a plain word goes into the log.
    method = method if method.isalpha() and len(method) <= 16 else "OTHER"
    logger.info(
        "%s %s %s %sms",
        method,
        path,
        status,
        duration_ms,
        extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms},
    )


class RequestIdFilter(logging.Filter):
    """Give every log record the id of the request it was written during ("-" outside one)."""

    def filter(self, record):
        record.request_id = request_id.get() or "-"
        return True


class SecretsFilter(logging.Filter):
    """For every handler: the line without secrets or email addresses (loggable), whichever
    logger wrote it (Django's own write the whole path of a 404, 405 or CSRF failure)."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:
            return True  # Arguments that do not fit the message: the handler reports it.
        if (scrubbed := loggable(message)) != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            # Formatters use the text kept here rather than format the traceback again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = loggable(record.exc_text)
        if record.stack_info:
            record.stack_info = loggable(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors (LOG_FORMAT=json)."""

    # Only these extra attributes are written: others (django.request's `request`) could
    # carry anything the visitor sent.
    fields = ("method", "path", "status", "duration_ms")

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for name in self.fields:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class RequestLogMiddleware:
    """The outermost middleware, so the line it writes has the final status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_from(request.headers.get(HEADER))
        # Kept until the request is finished: Django logs a 404 after the middleware are done.
        request_id.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        log_request(request.method, self.path(request), response.status_code, started)
        return response

    @staticmethod
    def path(request):
        return loggable_path(request.path)


def forget_request_id(**kwargs):
    request_id.set(None)


request_finished.connect(forget_request_id, dispatch_uid="blocks.requestlog")
