"""No log line the site writes holds a subscriber's link token or an email address: not the request
log, not Django's own warnings (404, 405, 403 for CSRF), not gunicorn's access log or runserver's.

A token never expires and lets whoever holds it unsubscribe the person or change what they get.
The rule for what is secret is said once, in blocks/requestlog.py (URL arguments named in
SECRET_URL_ARGUMENTS); nginx's own access log is tested in test_nginx.py.
"""

import logging
import shutil
import sys

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from blocks import requestlog
from newsletters import subscriber_links
from tests.processes import (
    GUNICORN,
    free_port,
    get,
    manage,
    production_env,
    start,
    stop,
    wait_for_port,
)

TOKEN = signing.dumps([12345, "subscriber-key-0123456789"], salt=subscriber_links.MANAGE_SALT)


def secret_addresses(token):
    """An address of each URL pattern with a secret argument, holding ``token``."""
    arguments = {
        "newsletters:confirm": {"token": token},
        "newsletters:preferences": {"token": token},
        "newsletters:unsubscribe": {"token": token},
        "password_reset_confirm": {"uidb64": "MQ", "token": token},
    }
    return {name: reverse(name, kwargs=kwargs) for name, kwargs in arguments.items()}


# --- The rule ----------------------------------------------------------------------------------


def test_every_url_pattern_with_a_secret_argument_is_tested_here():
    assert sorted(requestlog.secret_url_patterns()) == sorted(secret_addresses(TOKEN))


@pytest.mark.parametrize("name", sorted(secret_addresses(TOKEN)))
def test_the_token_is_taken_out_of_its_address_wherever_it_appears_in_a_line(name):
    address = secret_addresses(TOKEN)[name]
    scrubbed = address.replace(TOKEN, "[token]")
    for line, expected in [
        (address, scrubbed),
        (f"Not Found: {address}", f"Not Found: {scrubbed}"),
        (f'"GET {address}?x=1 HTTP/1.1" 404', f'"GET {scrubbed}?x=1 HTTP/1.1" 404'),
        (f"https://prevent.example.gov.uk{address}", f"https://prevent.example.gov.uk{scrubbed}"),
        # Without its last slash (Django redirects), or with more after it (a 404).
        (address.rstrip("/"), scrubbed.rstrip("/")),
        (f"{address}more/", f"{scrubbed}more/"),
    ]:
        assert requestlog.loggable(line) == expected


def test_every_language_s_address_is_scrubbed_whichever_language_wrote_the_first_line():
    # The site's addresses have a language prefix ("/ar/…") that Django reads from the active
    # language; the rule is built once, by whichever line is logged first.
    requestlog._secret_addresses.cache_clear()
    english = secret_addresses(TOKEN)["newsletters:unsubscribe"]
    try:
        with translation.override("ar"):
            arabic = reverse("newsletters:unsubscribe", kwargs={"token": TOKEN})
            assert requestlog.loggable(f"Forbidden: {arabic}") == (
                f"Forbidden: {arabic.replace(TOKEN, '[token]')}"
            )
        assert arabic.startswith("/ar/")
        for address in (english, arabic, f"/bn{english}"):
            assert requestlog.loggable(f"OPTIONS {address} 405") == (
                f"OPTIONS {address.replace(TOKEN, '[token]')} 405"
            )
    finally:
        requestlog._secret_addresses.cache_clear()


def test_email_addresses_are_taken_out_and_other_addresses_are_left_alone():
    assert requestlog.loggable("Not Found: /jo.bloggs%40example.org/") == "Not Found: /[email]/"
    for line in ("Not Found: /newsletters/july-2023/", "/admin/password-reset/sent/"):
        assert requestlog.loggable(line) == line


def test_the_filter_scrubs_the_message_its_arguments_and_the_traceback():
    try:
        raise ValueError(f"No link /newsletters/unsubscribe/{TOKEN}/")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Not Found: %s",
            (f"/newsletters/preferences/{TOKEN}/",),
            sys.exc_info(),
        )
    assert requestlog.SecretsFilter().filter(record)
    line = logging.Formatter().format(record)
    assert TOKEN not in line
    assert "Not Found: /newsletters/preferences/[token]/" in line
    assert "No link /newsletters/unsubscribe/[token]/" in line
    assert TOKEN not in requestlog.JsonFormatter().format(record)


# --- A real server's log -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, collected_static):
    """A migrated SQLite file, copied for each server."""
    folder = tmp_path_factory.mktemp("migrated")
    manage(production_env(folder, collected_static), "migrate", "--noinput", "-v", "0")
    return folder / "db.sqlite3"


def runserver(port):
    return ["manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]


SERVERS = {
    # Production's plain text log, with gunicorn's own line per request.
    "gunicorn-plain": (lambda port: GUNICORN, {"GUNICORN_ACCESS_LOG": "-"}),
    # Production's JSON log, with the site's own line per request.
    "gunicorn-json": (lambda port: GUNICORN, {"LOG_FORMAT": "json"}),
    # make run.
    "runserver": (runserver, {"DEBUG": "true"}),
}


def send(port, method, path, headers=None):
    return get(port, path, headers, method)[0].status


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_no_line_a_real_server_writes_holds_a_token_or_an_email_address(
    server, migrated, collected_static, tmp_path
):
    command, extra = SERVERS[server]
    port = free_port()
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    env = production_env(
        tmp_path,
        collected_static,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    log = tmp_path / "server.log"
    process = start(command(port), env, log)
    try:
        wait_for_port(port, process, log)
        unsubscribe = f"/newsletters/unsubscribe/{TOKEN}/"
        preferences = f"/newsletters/preferences/{TOKEN}/"
        answers = [
            # Django's "Method Not Allowed" warnings.
            send(port, "OPTIONS", unsubscribe),
            send(port, "PUT", preferences),
            # A form sent without the CSRF cookie: "Forbidden (CSRF cookie not set.)".
            send(port, "POST", preferences),
            # "Not Found": a link that no longer works, one with something after it.
            send(port, "GET", f"/newsletters/subscribe/confirm/{TOKEN}/"),
            send(port, "GET", f"{preferences}more/"),
            # Redirected to the address with its slash.
            send(port, "GET", unsubscribe.rstrip("/")),
            # The link as Referer: the site's pages send their whole address to the site's own.
            send(port, "GET", "/privacy/", {"Referer": f"http://127.0.0.1:{port}{unsubscribe}"}),
            send(port, "GET", "/jo.bloggs@example.org/"),
        ]
    finally:
        stop(process)
    assert answers == [405, 405, 403, 404, 404, 301, 200, 404]

    text = log.read_text()
    assert TOKEN not in text
    assert TOKEN.split(":")[-1] not in text, "the token's signature is in the log"
    assert "jo.bloggs" not in text
    # The lines are there, without the secrets.
    for line in [
        "Method Not Allowed (OPTIONS): /newsletters/unsubscribe/[token]/",
        "Method Not Allowed: /newsletters/preferences/[token]/",
        "Forbidden (CSRF cookie not set.): /newsletters/preferences/[token]/",
        "Not Found: /newsletters/subscribe/confirm/[token]/",
        "Not Found: /newsletters/preferences/[token]/more/",
        "Not Found: /[email]/",
    ]:
        assert line in text, text
