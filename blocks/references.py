"""Reference numbers such as WRAP-2026-0042 for what the public sends through a form.

A form names its series; each series counts from 1 every year. Prefixes that share a series share
its numbers (training requests are WRAP-… or TRAIN-…, one count between them).
"""

from django.utils import timezone

from .models import ReferenceCounter


def next_reference(series, prefix, moment):
    """``prefix``, the year ``moment`` falls in (UK time) and the series' next number that year.

    Call it inside the transaction that saves the reference: the counter stays locked until then.
    """
    year = timezone.localtime(moment).year
    return f"{prefix}-{year}-{ReferenceCounter.objects.next_number(series, year):04d}"
