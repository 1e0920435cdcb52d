"""A request id on every response and log line, and one log line per request.

Pages answered by the front cache (Varnish) never reach the site: its own log (varnishncsa)
counts them, and nginx's X-Request-ID goes on to the site for those that do.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.urls import Resolver404, resolve

HEADER = "X-Request-ID"
# What nginx's $request_id and most load balancers send; anything else (a header injection
# attempt, 10 KB of junk) is replaced rather than echoed into responses and logs.
_safe_request_id = re.compile(r"[A-Za-z0-9._-]{8,128}")
# Any email address, also percent-encoded as it may be in a path.
EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
# Captured URL arguments with this name are secrets carried in the address (a subscriber's link).
SECRET_URL_ARGUMENTS = ("token",)

request_id = ContextVar("request_id", default=None)
logger = logging.getLogger("prevent_site.requests")


def request_id_from(header_value):
    """The incoming id if it is a safe token, else a new one."""
    if header_value and _safe_request_id.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def loggable_path(path, resolver_match=None):
    """The path as it may be written to a log: no email address, no secret from the address."""
    if resolver_match is not None:
        for name in SECRET_URL_ARGUMENTS:
            value = resolver_match.kwargs.get(name)
            if isinstance(value, str) and value:
                path = path.replace(value, f"[{name}]")
    return EMAIL_ADDRESS.sub("[email]", path)[:1000]


def loggable_url_path(path):
    """loggable_path for a path known only as text (an error report's): the site's URL patterns
    say which parts of it are secrets."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    return loggable_path(path, match)


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
            line["exception"] = self.formatException(record.exc_info)
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
        return loggable_path(request.path, getattr(request, "resolver_match", None))


def forget_request_id(**kwargs):
    request_id.set(None)


request_finished.connect(forget_request_id, dispatch_uid="prevent_site.requestlog")
