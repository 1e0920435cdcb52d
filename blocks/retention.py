"""How long the site keeps what people send it, and the deletion of what is older.

Each period is a setting in days (prevent_site/settings.py, "Retention"), read by the privacy
notice, the forms and the emails through ``{% kept_for "SETTING" %}`` as well as by the purge.
An app says what it keeps with ``register`` from its AppConfig.ready; ``manage.py purge`` deletes
everything past its period.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Kept:
    what: str  # in the plural, as the purge reports it: "training requests"
    older_than: object  # cutoff -> the queryset of what was kept since before it
    setting: str | None = None  # the period in days
    period: timedelta | None = None  # or a period no operator changes

    def cutoff(self):
        return timezone.now() - (self.period or timedelta(days=getattr(settings, self.setting)))

    def period_words(self):
        if self.period is not None and self.period < timedelta(days=1):
            hours = int(self.period.total_seconds() // 3600)
            return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        return period_words(self.period.days if self.period else getattr(settings, self.setting))


_kept = []


def register(what, older_than, *, setting=None, period=None):
    """Say that an app keeps ``what`` for the days in ``setting`` (or for ``period``)."""
    if not any(kept.what == what for kept in _kept):
        _kept.append(Kept(what, older_than, setting, period))


def period_words(days):
    """A period as the privacy notice says it: whole years in months ("12 months"), else days."""
    if days % 365 == 0:
        months = days // 365 * 12
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def counted(label, count):
    meta = apps.get_model(label)._meta
    return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"


def purge(dry_run=False):
    """Delete (or, with ``dry_run``, count) everything kept past its period: a line for each."""
    lines = []
    for kept in _kept:
        old = kept.older_than(kept.cutoff())
        head = f"{kept.what.capitalize()} kept more than {kept.period_words()}"
        if dry_run:
            lines.append(f"{head}: would delete {old.count()}.")
            continue
        # What is deleted with each (its emails, its photos) goes in the same transaction.
        with transaction.atomic():
            _, deleted = old.delete()
        main = deleted.pop(old.model._meta.label, 0)
        also = [counted(label, n) for label, n in sorted(deleted.items()) if n]
        lines.append(f"{head}: deleted {main}" + (f", with {', '.join(also)}." if also else "."))
    return lines
