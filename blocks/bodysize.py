"""The largest request body each view takes, checked before Django reads a byte of it.

A view takes settings.REQUEST_BODY_LIMIT (enough for any form without files) unless it declares
more with ``@body_limit(...)``; signed-in staff may send STAFF_REQUEST_BODY_LIMIT anywhere, for
the admin's image uploads. A bigger body gets a 413 page, a body without a length a 411.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from .errorpages import ERROR_PAGE


def body_limit(max_bytes):
    """Let a view take a body of up to ``max_bytes``, e.g. a form with photos.

    For a class-based view, wrap what ``as_view()`` returns, in urls.py.
    """

    def decorator(view):
        view.body_limit = max_bytes
        return view

    return decorator


class BodySizeMiddleware:
    """Refuse a body over the view's limit from its Content-Length, before anything reads it.

    Django reads no more than Content-Length says (and nothing without one), so the header is
    the whole story under WSGI. A body sent without it (chunked) would never be read and the
    form would arrive empty, so it is refused with 411 rather than answered with errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or "")
        except ValueError:
            length = None
        if length is None:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return HttpResponse(
                    "Length Required: send the form again from the page.",
                    status=411,
                    content_type="text/plain; charset=utf-8",
                )
            return None
        limit = getattr(view_func, "body_limit", settings.REQUEST_BODY_LIMIT)
        if length <= limit:
            return None
        # Only asked when the view's own limit is passed: it loads the session.
        if request.user.is_staff and length <= settings.STAFF_REQUEST_BODY_LIMIT:
            return None
        return render(request, "413.html", {**ERROR_PAGE, "limit": limit}, status=413)
