"""/healthz and /readyz, the load balancer's liveness and readiness checks, and /readyz/worker,
the monitoring address for the email worker that every app server shares."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from blocks import health
from outbox.models import WorkerHeartbeat
from tests.factories import make_outbound_email

ALL_OK = {"database": "ok", "migrations": "ok"}
WORKER_OK = {"worker": "ok", "outbox": "ok"}


@pytest.fixture
def worker_seen():
    """The worker's heartbeat, as it ran some minutes ago (now by default)."""

    def seen(minutes_ago=0):
        moment = timezone.now() - timedelta(minutes=minutes_ago)
        WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"seen_at": moment})

    seen()
    return seen


@pytest.fixture
def migrations_unchecked(monkeypatch):
    # Each process remembers once all migrations were applied; a test starts from not knowing.
    monkeypatch.setattr(health, "_all_migrations_applied", False)


def forget_latest_outbox_migration():
    """As if the newest outbox migration had not been run yet; returns its name."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'outbox' ORDER BY name DESC")
        name = cursor.fetchone()[0]
        cursor.execute("DELETE FROM django_migrations WHERE app = 'outbox' AND name = %s", [name])
    return name


def no_store(response):
    return "no-store" in [d.strip() for d in response["Cache-Control"].split(",")]


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_answers_ok_without_the_database_or_a_session(client):
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert no_store(response)
    assert not response.cookies


def test_healthz_takes_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_health_checks_are_not_redirected_to_https(client, settings):
    # The load balancer may ask an app server over plain HTTP.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


# --- /readyz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_is_ok_when_every_check_holds(client, worker_seen, migrations_unchecked):
    make_outbound_email(next_attempt_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert no_store(response)
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_takes_only_get_and_head(client, worker_seen):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_fails_when_the_database_does_not_answer(client, worker_seen, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == "could not be checked"
    # The reason goes to the log, never to the public answer.
    assert "10.0.0.5" not in response.content.decode()
    assert "10.0.0.5" in caplog.text


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_not_applied(client, worker_seen, migrations_unchecked):
    forget_latest_outbox_migration()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**ALL_OK, "migrations": "1 not applied"},
    }


@pytest.mark.django_db
def test_readyz_checks_migrations_again_until_they_are_all_applied(
    client, worker_seen, migrations_unchecked
):
    name = forget_latest_outbox_migration()
    assert client.get("/readyz").status_code == 503
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('outbox', %s, %s)",
            [name, timezone.now()],
        )
    assert client.get("/readyz").status_code == 200
    # Once all applied, the process does not read the migrations again.
    forget_latest_outbox_migration()
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_stays_ok_when_the_shared_email_worker_stops(client, worker_seen):
    # Every app server shares the one worker: if /readyz failed with it, a load balancer would
    # take every server out at once, and no page would be served.
    worker_seen(minutes_ago=12)
    make_outbound_email(next_attempt_at=timezone.now() - timedelta(minutes=20))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert client.get("/readyz/worker").status_code == 503


# --- /readyz/worker ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_worker_is_ok_when_the_worker_runs_and_keeps_up(client, worker_seen):
    make_outbound_email(next_attempt_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz/worker")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": WORKER_OK}
    assert no_store(response)
    assert not response.cookies
    assert client.head("/readyz/worker").status_code == 200
    assert client.post("/readyz/worker").status_code == 405


def test_an_unknown_monitoring_address_is_not_found(client):
    assert client.get("/readyz/nothing").status_code == 404


@pytest.mark.django_db
def test_readyz_worker_fails_when_the_worker_has_been_silent_for_over_five_minutes(
    client, worker_seen
):
    worker_seen(minutes_ago=4)
    assert client.get("/readyz/worker").status_code == 200

    worker_seen(minutes_ago=12)
    response = client.get("/readyz/worker")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**WORKER_OK, "worker": "not seen for 12 minutes"},
    }


@pytest.mark.django_db
def test_readyz_worker_fails_when_the_worker_was_never_seen(client):
    response = client.get("/readyz/worker")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "never seen"


@pytest.mark.django_db
def test_readyz_worker_fails_when_an_email_is_stuck_in_the_outbox(client, worker_seen):
    now = timezone.now()
    make_outbound_email(next_attempt_at=now - timedelta(minutes=5))
    # Sent, or given up on: not waiting, so not late.
    make_outbound_email(next_attempt_at=now - timedelta(hours=2), sent_at=now)
    make_outbound_email(next_attempt_at=now - timedelta(hours=2), failed_at=now)
    assert client.get("/readyz/worker").status_code == 200

    make_outbound_email(next_attempt_at=now - timedelta(minutes=20))
    response = client.get("/readyz/worker")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**WORKER_OK, "outbox": "oldest waiting email is 20 minutes late"},
    }


@pytest.mark.django_db
def test_the_worker_check_is_not_redirected_to_https(client, settings, worker_seen):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz/worker").status_code == 200


@pytest.mark.django_db
def test_health_checks_answer_afresh_each_time_and_no_cache_may_keep_them(client, worker_seen):
    assert no_store(client.get("/readyz"))
    assert client.get("/readyz/worker").status_code == 200
    worker_seen(minutes_ago=12)
    response = client.get("/readyz/worker")
    assert response.status_code == 503 and no_store(response)
    worker_seen()
    assert client.get("/readyz/worker").status_code == 200
