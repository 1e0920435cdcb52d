"""Who may see reports: the "Report handlers" group (made by a migration) and superusers."""

from prevent_site.admin import in_group

REPORT_HANDLERS = "Report handlers"


def can_see_photos(user):
    return in_group(user, REPORT_HANDLERS) and user.has_perm("reports.view_reportphoto")
