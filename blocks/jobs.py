"""A record of when each scheduled command last ran and what it did (the admin's status page)."""

from django.utils import timezone

from .models import JobRun


def record_run(name, summary):
    """Note that the command ``name`` has just finished, having done ``summary``."""
    JobRun.objects.update_or_create(
        name=name, defaults={"finished_at": timezone.now(), "summary": summary}
    )
