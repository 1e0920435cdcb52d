"""Small middleware of our own: the Permissions-Policy header and BREACH-aware compression."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY ({feature: [allowed origins]}) as Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Built once: the hit path of the page cache passes through here on every request.
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
    else is public, anonymous content. Pages served from the page cache never come here: they
    were compressed once, when stored (prevent_site.pagecache).
    """

    def process_response(self, request, response):
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)
