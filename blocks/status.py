"""What the admin's status page shows, as each app registers it from its AppConfig.ready (as
apps register their health checks): figures in a table of their own, and the scheduled jobs
the deployment guide asks for."""

from dataclasses import dataclass

from django.utils import timezone

# The page's tables of figures, in this order.
EMAILS = "Emails"
THIS_MONTH = "This month"


@dataclass(frozen=True)
class Figure:
    table: str
    label: str
    # Given the start of the table's period (today for EMAILS, this month for THIS_MONTH): what
    # the page shows.
    value: object


_figures = []
# (command name, how often it should run)
_jobs = []


def register_figure(table, label, value):
    if all(figure.label != label for figure in _figures):
        _figures.append(Figure(table, label, value))


def register_job(name, schedule):
    if (name, schedule) not in _jobs:
        _jobs.append((name, schedule))


def period_starts(now=None):
    """The start of today and of this month, in the site's time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return {EMAILS: today, THIS_MONTH: today.replace(day=1)}


def tables(now=None):
    """[(table, start of its period, [(label, value)])], each figure worked out now."""
    starts = period_starts(now)
    return [
        (
            table,
            starts[table],
            [(f.label, f.value(starts[table])) for f in _figures if f.table == table],
        )
        for table in (EMAILS, THIS_MONTH)
    ]


def jobs():
    return list(_jobs)
