"""Small middleware of our own: the Permissions-Policy header, BREACH-aware compression and the
HTTP methods the site takes."""

import re

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

# RFC 9110's qvalue: 0 to 1, at most three decimals.
_qvalue = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def encoding_quality(accept_encoding, coding):
    """How much an Accept-Encoding header wants a content coding: from 0 (refused) to 1.

    As RFC 9110 section 12.5.3 says: names are case-insensitive, ``*`` stands for any coding
    not named, and identity is acceptable unless refused. A q-value against the rules refuses
    its coding (sending a page uncompressed is always safe), and so does a coding both
    accepted and refused.
    """
    named, star = [], []
    for item in accept_encoding.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                quality = float(value) if _qvalue.fullmatch(value) else 0.0
        name = name.lower()
        if name == coding or (name == "x-gzip" and coding == "gzip"):
            named.append(quality)
        elif name == "*":
            star.append(quality)
    if named or star:
        return min(named or star)
    return 1.0 if coding == "identity" else 0.0


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY ({feature: [allowed origins]}) as Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SafeGZipMiddleware(GZipMiddleware):
    """Gzip responses that hold no secret, so BREACH has nothing to recover.

    A response that sets the CSRF cookie has rendered a CSRF token (a form), and a request with a
    session cookie may see personal data or staff-only pages: both go out uncompressed. Everything
    else is public, anonymous content.
    """

    def process_response(self, request, response):
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        if not encoding_quality(request.META.get("HTTP_ACCEPT_ENCODING", ""), "gzip"):
            # Django's GZipMiddleware looks only for the word gzip, and "gzip;q=0" has it.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)


class HttpMethodsMiddleware:
    """Answer 405 to every method but GET, HEAD, POST and OPTIONS, which are all a browser sends.

    Django's form views (the request form, the admin's sign-in, password reset) take PUT as if
    it were a POST without data, and answer 200 with errors; one rule here covers every view,
    the admin's included. It runs once the address has matched a view, so an unknown address is
    still a 404, and before the CSRF check, which would otherwise refuse with 403.
    """

    methods = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Allow"):
            # A form view's answer to OPTIONS lists PUT: it would be refused here.
            offered = [method.strip() for method in response["Allow"].split(",")]
            response["Allow"] = ", ".join(m for m in offered if m in self.methods)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in self.methods:
            return HttpResponseNotAllowed(self.methods)
        return None
