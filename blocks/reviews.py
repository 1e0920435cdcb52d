"""Review-by dates: content the team must check now and then (a phone number, a scheme's dates,
the privacy notice), who checked it last, and when it is next due.

A model takes its fields from ``Reviewed``; its app registers it with ``register`` from its
AppConfig.ready, as it registers what it keeps (blocks.retention). The admin's home page lists
what is due to those who may change it (blocks.admin), ``send_review_reminders`` (the outbox's)
emails the team each week, and a model registered with ``warn_after_months`` puts an item that
far overdue among the site's warnings (blocks.health). Public pages never show these dates.
"""

import calendar
import functools
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone


def add_months(day, months):
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def months_from_today(months):
    return add_months(timezone.localdate(), months)


class NextReviewField(models.DateField):
    """The day an item is next due for review: by default ``months`` after today (an item is
    checked when it is added), and moved ``months`` on each time it is marked checked."""

    def __init__(self, *args, months=12, **kwargs):
        self.months = months
        kwargs.setdefault("verbose_name", "next review")
        # Left empty, it is the usual period after the last check (Reviewed.save).
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text",
            f"When the team should next check that everything here is still right: "
            f"{months} months after the last check unless you choose an earlier day (when you "
            "know it will change sooner).",
        )
        kwargs["default"] = functools.partial(months_from_today, months)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["default"]  # made from months
        kwargs["months"] = self.months
        return name, path, args, kwargs


class Reviewed(models.Model):
    """Who last checked an item and when, and when it is next due. A model with a shorter
    period declares its own ``next_review_on = NextReviewField(months=6)``."""

    last_checked_at = models.DateTimeField(
        "last checked", null=True, blank=True, default=timezone.now, editable=False
    )
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="last checked by",
    )
    next_review_on = NextReviewField()

    class Meta:
        abstract = True

    @classmethod
    def review_months(cls):
        return cls._meta.get_field("next_review_on").months

    def save(self, *args, **kwargs):
        if self.next_review_on is None:
            checked = self.last_checked_at or timezone.now()
            self.next_review_on = add_months(timezone.localdate(checked), self.review_months())
        super().save(*args, **kwargs)

    def record_check(self, user, now=None):
        """Note that ``user`` checked it ``now``, and move the next review on; saves nothing."""
        now = now or timezone.now()
        self.last_checked_at, self.last_checked_by = now, user
        self.next_review_on = add_months(timezone.localdate(now), self.review_months())

    def mark_checked(self, user, now=None):
        self.record_check(user, now)
        self.save(update_fields=["last_checked_at", "last_checked_by", "next_review_on"])

    @property
    def last_checked_words(self):
        """“3 March 2026 by Kiran Malik”, or “Never” for an item nobody has marked checked."""
        if self.last_checked_at is None:
            return "Never"
        words = f"{timezone.localtime(self.last_checked_at):%-d %B %Y}"
        if self.last_checked_by is not None:
            words += f" by {self.last_checked_by.get_full_name() or self.last_checked_by}"
        return words


# --- The registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    model: type
    # An item this many months past its review day is one of the site's warnings.
    warn_after_months: int | None = None


_registered = []


def register(model, *, warn_after_months=None):
    """Say that ``model`` (a ``Reviewed``) is listed when due, and maybe warned about."""
    if all(registration.model is not model for registration in _registered):
        _registered.append(Registration(model, warn_after_months))


def registered_models():
    return [registration.model for registration in _registered]


def _items(model, **lookups):
    return model._default_manager.filter(**lookups).select_related("last_checked_by")


def due_soon_by(today):
    """The last day an item falls due "soon" (the admin's filter, the weekly email): a month
    from ``today``."""
    return add_months(today, 1)


def due_by(day, models=None):
    """Every item of the registered ``models`` (all of them by default) due on or before
    ``day``, the longest overdue first. One query for each model."""
    found = []
    for model in registered_models() if models is None else models:
        found.extend(_items(model, next_review_on__lte=day))
    return sorted(found, key=lambda item: (item.next_review_on, str(item)))


def long_overdue(today=None):
    """[(registration, items)] for the models registered with ``warn_after_months``: the items
    more than that many months past their review day."""
    today = today or timezone.localdate()
    return [
        (
            registration,
            list(
                _items(
                    registration.model,
                    next_review_on__lt=add_months(today, -registration.warn_after_months),
                ).order_by("next_review_on")
            ),
        )
        for registration in _registered
        if registration.warn_after_months
    ]


def warnings():
    """The site's warnings (blocks.health) about items long past their review day."""
    found = []
    for registration, items in long_overdue():
        if not items:
            continue
        meta = registration.model._meta
        name = meta.verbose_name if len(items) == 1 else meta.verbose_name_plural
        one = len(items) == 1
        found.append(
            f"{len(items)} {name} {'is' if one else 'are'} more than "
            f"{registration.warn_after_months} months past {'its' if one else 'their'} review "
            f"date: {', '.join(str(item) for item in items)}. Check "
            f"{'it' if one else 'them'} now, and mark {'it' if one else 'them'} checked."
        )
    return found


# --- The weekly reminder ------------------------------------------------------------------------


def week_of(day):
    """The Monday of ``day``'s week: the weekly reminder goes once a week, Monday to Sunday."""
    return day - timedelta(days=day.weekday())


def claim_week(today=None):
    """The new record of this week's reminder, or None when this week's has already been
    claimed (by an earlier run, or one on another server at the same time)."""
    from .models import ReviewReminder

    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            return ReviewReminder.objects.create(week_of=week_of(today))
    except IntegrityError:
        return None
