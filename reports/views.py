import posixpath

from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blocks import images
from blocks.submissions import PublicFormView, SentView

from . import emails
from .access import can_see_photos
from .forms import MAX_PHOTOS, ReportForm
from .models import Report, ReportPhoto

# The photos at their largest, with room for the rest of the form.
BODY_LIMIT = MAX_PHOTOS * images.MAX_BYTES + 1024 * 1024
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


class ReportCreateView(PublicFormView):
    form_class = ReportForm
    template_name = "reports/report_form.html"
    success_url = reverse_lazy("reports:done")
    rate_limit_setting = "REPORT_RATE_LIMIT"
    rate_limit_scope = "report"
    over_limit_message = ngettext_lazy(
        "You have sent %(limit)d report in the last hour, which is our limit. Wait an hour and "
        "try again, or email %(email)s.",
        "You have sent %(limit)d reports in the last hour, which is our limit. Wait an hour and "
        "try again, or email %(email)s.",
        "limit",
    )
    used_tokens_key = "report_used_tokens"
    sent_session_key = "report_sent"

    def save_submission(self, form):
        """The report, its photos and its emails together: all of them, or none.

        The photos' files (each with its preview) are written as the rows are; if anything
        fails before the commit, the files already written are deleted, since a rollback only
        undoes the rows.
        """
        written = []
        try:
            with transaction.atomic():
                report = form.save(commit=False)
                report.assign_reference()
                report.save()
                photos = form.cleaned_data["photos"]
                for photo in photos:
                    report_photo = ReportPhoto(
                        report=report, width=photo.width, height=photo.height
                    )
                    written.append(report_photo)
                    report_photo.store(photo.content, photo.extension, photo.preview)
                    report_photo.save()
                emails.queue_emails(report, photo_count=len(photos))
        except BaseException:
            for report_photo in written:
                for name in report_photo.stored_names:
                    report_photo.image.storage.delete(name)
            raise
        return report


class ReportSentView(SentView):
    form_view = ReportCreateView
    form_url = "reports:report"
    queryset = Report.objects.all()
    context_object_name = "report"
    template_name = "reports/report_done.html"


def serve_private(storage, name):
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = posixpath.splitext(name)[1]
    return FileResponse(file, content_type=CONTENT_TYPES.get(extension, "image/jpeg"))


# Everyone but report handlers gets the same 404 as for an address that does not exist: nothing
# tells them that a photo is there.
@require_safe
@never_cache
def photo(request, key):
    if not can_see_photos(request.user):
        raise Http404
    report_photo = get_object_or_404(ReportPhoto, key=key)
    return serve_private(report_photo.image.storage, report_photo.image.name)


@require_safe
@never_cache
def photo_preview(request, key):
    if not can_see_photos(request.user):
        raise Http404
    report_photo = get_object_or_404(ReportPhoto, key=key)
    storage = report_photo.image.storage
    # Photos sent before previews were made have none: the whole photo stands in.
    name = report_photo.preview_name
    if not storage.exists(name):
        name = report_photo.image.name
    return serve_private(storage, name)
