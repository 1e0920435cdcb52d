"""Who may see reports: the "Report handlers" group (made by a migration) and superusers."""

from prevent_site.admin import in_group
from prevent_site.staff import StaffGroup


def can_see_photos(user):
    return in_group(user, StaffGroup.REPORT_HANDLERS) and user.has_perm("reports.view_reportphoto")
