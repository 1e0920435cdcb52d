"""Small middleware of our own: the Permissions-Policy header."""

from django.conf import settings


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
