"""What an error report may carry when it leaves the site: by email to ADMINS, or to Sentry.

Visitors type personal data into the forms (names, addresses, what they saw), so reports keep
the shape of the request and the traceback and leave out what was sent.
"""

from email.utils import formataddr, getaddresses
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils import log
from django.views.debug import SafeExceptionReporterFilter

from .requestlog import EMAIL_ADDRESS, loggable, loggable_path

FILTERED = "[Filtered]"
# Request headers a report keeps; any other (Cookie, Authorization, X-Forwarded-For, Referer
# with its query string...) is dropped.
KEPT_HEADERS = {
    "accept",
    "accept-encoding",
    "accept-language",
    "content-length",
    "content-type",
    "host",
    "user-agent",
    "x-forwarded-proto",
    "x-request-id",
}
_client_address_meta = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"}


def parse_admins(value):
    """ADMINS from "Name <address>, other@example.org": a list of address strings."""
    if not value.strip():
        return []
    admins = []
    for name, address in getaddresses([value]):
        if not address or "@" not in address:
            raise ImproperlyConfigured(
                f"ADMINS must be email addresses, separated by commas; {value!r} is not."
            )
        admins.append(formataddr((name, address)))
    return admins


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Django's filter for error emails, also hiding every form field, cookie and client address."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not self.is_active(request):
            return parameters
        return dict.fromkeys(parameters, self.cleansed_substitute)

    def get_safe_cookies(self, request):
        cookies = super().get_safe_cookies(request)
        if not self.is_active(request):
            return cookies
        return dict.fromkeys(cookies, self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if not self.is_active(request):
            return meta
        for name in _client_address_meta & meta.keys():
            meta[name] = self.cleansed_substitute
        return meta


class AdminEmailHandler(log.AdminEmailHandler):
    """Django's error email to ADMINS, without a subscriber's link token or an email address
    anywhere in it: its request details hold the whole address, and the Referer."""

    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = loggable(kwargs["html_message"])
        super().send_mail(loggable(subject), loggable(message), *args, **kwargs)


def _scrub_strings(value):
    if isinstance(value, str):
        # Log messages come as breadcrumbs: a 404's path may hold a subscriber's token.
        return loggable(EMAIL_ADDRESS.sub(FILTERED, value))
    if isinstance(value, dict):
        return {_scrub_strings(k): _scrub_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_strings(item) for item in value]
    return value


def _scrub_request(request):
    kept = {}
    if "method" in request:
        kept["method"] = request["method"]
    if isinstance(request.get("url"), str):
        scheme, host, path, _, _ = urlsplit(request["url"])
        kept["url"] = urlunsplit((scheme, host, loggable_path(path), "", ""))
    headers = request.get("headers")
    if isinstance(headers, dict):
        kept["headers"] = {
            name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
        }
    return kept


def _drop_frame_variables(event):
    for holder in (event.get("exception"), event.get("threads")):
        if not isinstance(holder, dict):
            continue
        for item in holder.get("values") or []:
            for frame in (item.get("stacktrace") or {}).get("frames") or []:
                frame.pop("vars", None)


def scrub_event(event, hint=None):
    """Sentry's before_send: keep where and what failed, drop what visitors sent.

    The request keeps its method, address without query string, and harmless headers (no form
    data, cookies, query string or client address); local variables, which hold form contents,
    are dropped; the user is dropped; any email address left anywhere is replaced.
    """
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    event.pop("user", None)
    _drop_frame_variables(event)
    return _scrub_strings(event)


def init_sentry(dsn, environment=None):
    """Send unhandled errors to Sentry; stop start-up with a clear message if it cannot."""
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]', "
            "or unset SENTRY_DSN."
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        send_default_pii=False,
        include_local_variables=False,
        before_send=scrub_event,
    )
