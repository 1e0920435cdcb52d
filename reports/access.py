"""Who may see reports: the "Report handlers" group (made by a migration) and superusers."""

from blocks.admin import in_group
from blocks.staff import StaffGroup


def can_see_photos(user):
    return in_group(user, StaffGroup.REPORT_HANDLERS) and user.has_perm("reports.view_reportphoto")
