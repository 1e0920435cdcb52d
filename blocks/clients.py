"""Who is asking: the client's address behind the site's own reverse proxies.

One rule for everything that counts per client (the training request limit, the admin sign-in
lockout), so both see the same address behind a load balancer.
"""

from django.conf import settings


def client_address(request):
    """The client's IP address, read past the trusted proxies in front of the app."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        # Each trusted proxy appends the address it saw, so the client is the entry the
        # outermost proxy added; anything further left could have been forged by the client.
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
