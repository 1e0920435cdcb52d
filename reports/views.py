import posixpath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .access import can_see_photos
from .models import ReportPhoto

CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@require_safe
@never_cache
def photo(request, key):
    # Everyone but report handlers gets the same 404 as for an address that does not exist:
    # nothing tells them that a photo is there.
    if not can_see_photos(request.user):
        raise Http404
    report_photo = get_object_or_404(ReportPhoto, key=key)
    extension = posixpath.splitext(report_photo.image.name)[1]
    try:
        file = report_photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(file, content_type=CONTENT_TYPES.get(extension, "image/jpeg"))
