"""Financial quarters and years, April to March, as councils report to the Home Office."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

QUARTER_MONTHS = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}
_key = re.compile(r"^(?P<year>\d{4})-(?P<next>\d{2})(?:-q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    year: int  # the financial year starting in April of this year
    quarter: int | None = None  # 1 (April to June) … 4 (January to March), or the whole year

    @property
    def key(self):
        """As the page's address says it: 2026-27-q3, or 2026-27 for the year."""
        year = f"{self.year}-{(self.year + 1) % 100:02d}"
        return f"{year}-q{self.quarter}" if self.quarter else year

    @property
    def first_day(self):
        if self.quarter is None:
            return date(self.year, 4, 1)
        month = 4 + 3 * (self.quarter - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end_day(self):
        """The day after its last."""
        if self.quarter in (None, 4):
            return date(self.year + 1, 4, 1)
        return Period(self.year, self.quarter + 1).first_day

    @property
    def start(self):
        return timezone.make_aware(datetime.combine(self.first_day, time()))

    @property
    def end(self):
        return timezone.make_aware(datetime.combine(self.end_day, time()))

    @property
    def label(self):
        year = f"{self.year} to {self.year + 1}"
        if self.quarter is None:
            return f"Financial year {year}"
        months = QUARTER_MONTHS[self.quarter]
        calendar_year = self.first_day.year
        return f"Quarter {self.quarter} of {year} ({months} {calendar_year})"


def containing(day):
    """The financial quarter that ``day`` falls in."""
    year = day.year if day.month >= 4 else day.year - 1
    return Period(year, (day.month - 4) % 12 // 3 + 1)


def from_key(key, today=None):
    """The period a key names, or this quarter for a missing or malformed one."""
    match = _key.match(key or "")
    if match and int(match["next"]) == (int(match["year"]) + 1) % 100:
        quarter = int(match["quarter"]) if match["quarter"] else None
        return Period(int(match["year"]), quarter)
    return containing(today or timezone.localdate())


def choices(today=None):
    """This quarter and the seven before it, then this financial year and the two before it."""
    current = containing(today or timezone.localdate())
    quarters = []
    year, quarter = current.year, current.quarter
    for _ in range(8):
        quarters.append(Period(year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    years = [Period(current.year - n) for n in range(3)]
    return quarters + years
