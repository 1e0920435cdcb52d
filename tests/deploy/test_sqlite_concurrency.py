"""SQLite, the default database, with the email worker and the site writing at the same time, as
`make run` and `make serve` run them: every form sent is saved, and nobody is answered with a 500
("database is locked").

gunicorn with production settings and `manage.py db_worker` run as processes of their own on one
SQLite file, while newsletter sign-ups, training requests and failed admin sign-ins (which
django-axes writes down) arrive at once.
"""

import os
import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from axes.models import AccessAttempt

from newsletters.models import Subscriber
from outbox.models import OutboundEmail
from scripts.bench.client import Browser
from tests.factories import request_form_data
from tests.processes import (
    GUNICORN,
    free_port,
    manage,
    production_env,
    start,
    stop,
    wait_for_port,
)
from training.models import TrainingRequest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="about SQLite, the default: runs in make test without DATABASE_URL",
)

SIGN_UPS = 100
TRAINING_REQUESTS = 20
FAILED_SIGN_INS = 20
SIGNED_UP = "/newsletters/subscribe/check-your-email/"
REQUESTED = "/training/request/done/"


@pytest.fixture
def site(tmp_path, collected_static):
    """gunicorn and the email worker on one SQLite file; yields (base address, database file)."""
    port = free_port()
    env = production_env(
        tmp_path,
        collected_static,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="4",
        # Every form comes from 127.0.0.1 here: the hourly limits per client are not under test.
        NEWSLETTER_SIGNUP_RATE_LIMIT="1000",
        TRAINING_REQUEST_RATE_LIMIT="1000",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    server = start(GUNICORN, env, tmp_path / "gunicorn.log")
    try:
        worker = start(["manage.py", "db_worker", "--no-reload"], env, tmp_path / "worker.log")
        try:
            wait_for_port(port, server, tmp_path / "gunicorn.log")
            yield f"http://127.0.0.1:{port}", tmp_path / "db.sqlite3", worker
        finally:
            stop(worker)
    finally:
        stop(server)


def sign_up(base, number):
    browser = Browser(base)
    data = browser.form("/newsletters/subscribe/")
    data.update(email=f"reader{number}@example.org", updates="funding")
    status, headers, _ = browser.request("/newsletters/subscribe/", data)
    return status, headers.get("Location")


def request_training(base, number):
    browser = Browser(base)
    data = browser.form("/training/request/")
    data.update(request_form_data(email=f"teacher{number}@example.org"))
    status, headers, _ = browser.request("/training/request/", data)
    return status, headers.get("Location")


def fail_to_sign_in(base, number, start_together):
    browser = Browser(base)
    data = browser.form("/admin/login/")
    data.update(username=f"guess{number}@westminster.gov.uk", password="not the password")
    start_together.wait()
    status, _, body = browser.request("/admin/login/", data)
    return status, "Please enter the correct" in body


def rows(database, model, where="1"):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        table = model._meta.db_table
        return connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0]


def test_forms_sent_while_the_worker_sends_email_are_all_saved_without_an_error(site):
    base, database, worker = site
    start_together = threading.Barrier(FAILED_SIGN_INS)
    with ThreadPoolExecutor(max_workers=6 + FAILED_SIGN_INS) as pool:
        sign_ins = [
            pool.submit(fail_to_sign_in, base, n, start_together) for n in range(FAILED_SIGN_INS)
        ]
        # Newsletter sign-ups four at a time and training requests two at a time, beside them.
        with ThreadPoolExecutor(max_workers=4) as sign_up_pool:
            with ThreadPoolExecutor(max_workers=2) as training_pool:
                trainings = training_pool.map(
                    lambda n: request_training(base, n), range(TRAINING_REQUESTS)
                )
                sign_ups = sign_up_pool.map(lambda n: sign_up(base, n), range(SIGN_UPS))
                sign_ups, trainings = list(sign_ups), list(trainings)
        sign_ins = [future.result() for future in sign_ins]

    # Counted, so that a failure says how many were lost.
    assert Counter(sign_ups) == {(302, SIGNED_UP): SIGN_UPS}
    assert Counter(trainings) == {(302, REQUESTED): TRAINING_REQUESTS}
    # Refused as a wrong password, each one; none locked out (each is one guess at one account).
    assert Counter(sign_ins) == {(200, True): FAILED_SIGN_INS}

    assert rows(database, Subscriber) == SIGN_UPS
    assert rows(database, TrainingRequest) == TRAINING_REQUESTS
    assert rows(database, AccessAttempt, "failures_since_start = 1") == FAILED_SIGN_INS
    # The worker ran all along, and sends every email the forms queued: a confirmation link to
    # each reader, and for each training request one to the team and one to the person.
    emails = SIGN_UPS + 2 * TRAINING_REQUESTS
    assert rows(database, OutboundEmail) == emails
    deadline = time.monotonic() + 30
    while rows(database, OutboundEmail, "sent_at IS NOT NULL") < emails:
        assert worker.poll() is None, "the worker stopped"
        assert time.monotonic() < deadline, "the worker did not send every email in 30 s"
        time.sleep(0.2)
