"""Reference numbers: one count per series and year, unique however many forms arrive at once."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from blocks.models import ReferenceCounter
from blocks.references import next_reference

LONDON = ZoneInfo("Europe/London")


@pytest.mark.django_db
def test_each_series_counts_from_one_each_year_and_prefixes_share_their_series_count():
    now = timezone.now()
    year = timezone.localdate().year
    assert next_reference("training", "WRAP", now) == f"WRAP-{year}-0001"
    assert next_reference("training", "TRAIN", now) == f"TRAIN-{year}-0002"
    assert next_reference("report", "REP", now) == f"REP-{year}-0001"
    assert next_reference("training", "WRAP", now) == f"WRAP-{year}-0003"
    assert next_reference("report", "REP", now) == f"REP-{year}-0002"
    assert sorted(ReferenceCounter.objects.values_list("series", "year", "last_number")) == [
        ("report", year, 2),
        ("training", year, 3),
    ]


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one():
    last_of_2026 = datetime(2026, 12, 31, 23, 30, tzinfo=LONDON)
    first_of_2027 = datetime(2027, 1, 1, 0, 30, tzinfo=LONDON)
    assert next_reference("report", "REP", last_of_2026) == "REP-2026-0001"
    assert next_reference("report", "REP", last_of_2026) == "REP-2026-0002"
    assert next_reference("report", "REP", first_of_2027) == "REP-2027-0001"
    assert next_reference("report", "REP", last_of_2026) == "REP-2026-0003"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves several connections"
)
def test_references_stay_unique_when_forms_arrive_at_once():
    references = []
    barrier = threading.Barrier(8)

    def submit():
        try:
            barrier.wait()
            with transaction.atomic():
                reference = next_reference("training", "TRAIN", timezone.now())
            references.append(reference)
        finally:
            connections.close_all()

    # The first round races to create the year's counter, the second to increment it.
    for _ in range(2):
        threads = [threading.Thread(target=submit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    year = timezone.localdate().year
    assert sorted(references) == [f"TRAIN-{year}-{n:04d}" for n in range(1, 17)]
