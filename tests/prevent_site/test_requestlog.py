"""X-Request-ID on every response, and one log line per request with nothing personal in it."""

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from blocks import requestlog
from newsletters import subscriber_links
from tests.newsletters.mailing_support import make_subscriber

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


class CollectedLog(logging.Handler):
    """A handler set up as settings.LOGGING sets up the console with LOG_FORMAT=json."""

    def __init__(self):
        super().__init__()
        self.addFilter(requestlog.RequestIdFilter())
        self.setFormatter(requestlog.JsonFormatter())
        self.records, self.lines = [], []

    def emit(self, record):
        self.records.append(record)
        self.lines.append(self.format(record))

    def requests(self):
        return [json.loads(line) for line in self.lines if '"prevent_site.requests"' in line]


@pytest.fixture
def log():
    handler = CollectedLog()
    root, requests = logging.getLogger(), logging.getLogger("prevent_site.requests")
    level = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    yield handler
    requests.setLevel(level)
    root.removeHandler(handler)


# --- The header ---------------------------------------------------------------------------------


def test_every_response_gets_a_new_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.parametrize("sent", ["4f0c1a2b9d8e7f60a1b2c3d4e5f60718", "lb-1.req_00000042"])
def test_a_safe_request_id_from_the_proxy_is_kept(client, sent):
    assert client.get("/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent",
    [
        "abcdefgh\r\nSet-Cookie: sessionid=stolen",
        "x" * 10 * 1024,
        "short",
        "has spaces in it",
        "<script>alert(1)</script>",
        "",
    ],
)
def test_a_hostile_request_id_is_replaced(client, log, sent):
    response = client.get("/", HTTP_X_REQUEST_ID=sent)
    assert GENERATED.fullmatch(response["X-Request-ID"])
    assert "stolen" not in str(response.headers) and "Set-Cookie" not in response.headers
    [line] = log.requests()
    assert line["request_id"] == response["X-Request-ID"]


def test_production_runs_django_itself_with_nothing_around_it():
    from django.core.handlers.wsgi import WSGIHandler

    from prevent_site import wsgi

    assert type(wsgi.application) is WSGIHandler


# --- The log line ------------------------------------------------------------------------------


def test_the_request_line_has_method_path_status_duration_and_id(client, log):
    response = client.get("/training/")
    [line] = log.requests()
    assert line["method"] == "GET" and line["path"] == "/training/" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_the_request_line_holds_no_form_query_string_email_cookie_or_address(client, log):
    client.cookies["sessionid"] = "cookie-value-secret"
    client.post(
        "/training/request/?utm_source=newsletter&email=query%40example.org",
        {"contact_name": "Jo Bloggs", "email": "jo.bloggs@example.org", "phone": "07700900123"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    [line] = log.requests()
    assert line["method"] == "POST" and line["path"] == "/training/request/"
    text = log.lines[-1]
    for personal in (
        "Jo Bloggs",
        "jo.bloggs",
        "07700900123",
        "utm_source",
        "query%40",
        "cookie-value-secret",
        "203.0.113.9",
        "198.51.100.7",
    ):
        assert personal not in text


def test_an_email_address_in_the_path_is_not_logged(client, log):
    client.get("/someone@example.org/")
    client.get("/someone%40example.org/")
    assert [line["path"] for line in log.requests()] == ["/[email]/"] * 2


def test_a_subscriber_link_is_logged_without_its_token(client, log):
    token = subscriber_links.manage_token(make_subscriber("reader@example.org"))
    response = client.get(f"/newsletters/preferences/{token}/")
    assert response.status_code == 200
    [line] = log.requests()
    assert line["path"] == "/newsletters/preferences/[token]/"
    assert token not in log.lines[-1]


def test_an_odd_method_is_logged_as_other(client, log):
    client.generic("GET\r\nX-Evil: 1", "/")
    assert log.requests()[0]["method"] == "OTHER"


def test_every_line_written_during_a_request_carries_its_id(client, log):
    response = client.get("/no-such-page/")
    not_found = [r for r in log.records if r.name == "django.request"]
    assert not_found and not_found[0].getMessage() == "Not Found: /no-such-page/"
    assert not_found[0].request_id == response["X-Request-ID"]
    logging.getLogger("prevent_site.test").warning("outside a request")
    assert json.loads(log.lines[-1])["request_id"] == "-"


def test_an_error_is_logged_with_its_traceback_as_one_json_line():
    formatter = requestlog.JsonFormatter()
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "It broke", (), sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "It broke" and "ValueError: broken" in parsed["exception"]


def run_with_logging(**env):
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('prevent_site.check').warning('hello %s', 'there')"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "prevent_site.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    )


def test_log_format_json_makes_every_log_line_json():
    result = run_with_logging(LOG_FORMAT="json", DEBUG="false", SECRET_KEY="x")
    [line] = result.stderr.splitlines()
    parsed = json.loads(line)
    assert parsed["message"] == "hello there" and parsed["logger"] == "prevent_site.check"
    assert parsed["level"] == "WARNING" and parsed["request_id"] == "-"


def test_plain_logs_are_text_and_an_unknown_log_format_stops_start_up():
    plain = run_with_logging(DEBUG="false", SECRET_KEY="x", LOG_FORMAT="")
    assert plain.stderr.rstrip().endswith("WARNING prevent_site.check [-] hello there")
    wrong = run_with_logging(DEBUG="false", SECRET_KEY="x", LOG_FORMAT="xml")
    assert wrong.returncode != 0 and "LOG_FORMAT must be plain or json" in wrong.stderr
