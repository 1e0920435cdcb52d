"""Unhandled errors reach ADMINS and Sentry without what visitors typed."""

import copy
import json
import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import path

from blocks import errorreports
from prevent_site import urls as site_urls


def broken_view(request, token=None):
    raise RuntimeError("The view broke")


# The site, and one page that breaks (the error page links to the rest of the site), also with a
# secret in its address as a subscriber's link has. The site's own patterns, not include()d:
# Django allows i18n_patterns only in the root URLconf.
urlpatterns = [
    path("broken/", broken_view),
    path("broken/<str:token>/", broken_view),
    *site_urls.urlpatterns,
]


# --- Email to ADMINS ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unhandled_error_emails_the_admins_with_the_request_id(settings, mailoutbox):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = ["Alice Smith <alice@example.org>", "bob@example.org"]
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-cookie-value"

    response = client.post(
        "/broken/?ref=x",
        {"contact_name": "Jo Bloggs", "email": "jo.bloggs@example.org"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 500
    [email] = mailoutbox
    assert email.to == ["Alice Smith <alice@example.org>", "bob@example.org"]
    assert email.subject.startswith("[Prevent site] ERROR")
    assert "Internal Server Error: /broken/" in email.subject
    assert f"Request ID: {response['X-Request-ID']}" in email.body
    assert "RuntimeError" in email.body and "The view broke" in email.body
    # The form's fields are named, their values are not; no cookie or client address either.
    assert "contact_name = '********************'" in email.body
    for personal in (
        "Jo Bloggs",
        "jo.bloggs@example.org",
        "session-cookie-value",
        "203.0.113.9",
        "198.51.100.7",
    ):
        assert personal not in email.body


@pytest.mark.django_db
def test_an_error_email_holds_no_secret_from_the_address(settings, mailoutbox):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = ["bob@example.org"]
    token = "WzEsImtleSJd:1tAbCd:secret-signature"
    client = Client(raise_request_exception=False)

    response = client.get(f"/broken/{token}/", HTTP_REFERER=f"https://site/broken/{token}/")

    assert response.status_code == 500
    [email] = mailoutbox
    assert "Internal Server Error: /broken/[token]/" in email.subject
    assert "RuntimeError" in email.body and "/broken/[token]/" in email.body
    assert "secret-signature" not in email.subject + email.body


@pytest.mark.django_db
def test_no_email_goes_out_without_admins(settings, mailoutbox):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = []
    assert Client(raise_request_exception=False).get("/broken/").status_code == 500
    assert mailoutbox == []


def test_admins_are_read_from_a_comma_separated_list():
    assert errorreports.parse_admins(
        'Alice Smith <alice@example.org>, "Ng, Mary" <m@x.org>,b@x.org'
    ) == [
        "Alice Smith <alice@example.org>",
        '"Ng, Mary" <m@x.org>',
        "b@x.org",
    ]
    assert errorreports.parse_admins("  ") == []


@pytest.mark.parametrize("value", ["Alice Smith", "alice@example.org, nobody", "<>"])
def test_admins_that_are_not_addresses_stop_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="ADMINS must be email addresses"):
        errorreports.parse_admins(value)


# --- Sentry --------------------------------------------------------------------------------------

SENTRY_EVENT = {
    "event_id": "fc6d8c0c43fc4630ad850ee518f1b9d0",
    "level": "error",
    "platform": "python",
    "server_name": "web-1",
    "logentry": {"message": "Could not send to %s", "params": ["jo.bloggs@example.org"]},
    "exception": {
        "values": [
            {
                "type": "ValueError",
                "value": "No subscriber with the address jo.bloggs@example.org",
                "stacktrace": {
                    "frames": [
                        {
                            "filename": "newsletters/views.py",
                            "function": "form_valid",
                            "lineno": 120,
                            "vars": {
                                "form": "<SignUpForm bound=True>",
                                "cleaned_data": {"email": "jo.bloggs@example.org"},
                                "description": "Stickers on the bus stop by the school",
                            },
                        }
                    ]
                },
            }
        ]
    },
    "request": {
        "url": "https://prevent.westminster.gov.uk/newsletters/subscribe/?email=jo%40example.org",
        "method": "POST",
        "query_string": "email=jo%40example.org",
        "data": {"email": "jo.bloggs@example.org", "contact_name": "Jo Bloggs"},
        "cookies": {"sessionid": "session-cookie-value", "csrftoken": "csrf-value"},
        "headers": {
            "Host": "prevent.westminster.gov.uk",
            "User-Agent": "Mozilla/5.0",
            "Cookie": "sessionid=session-cookie-value",
            "Authorization": "Basic c2VjcmV0",
            "X-Forwarded-For": "203.0.113.9",
            "Referer": "https://prevent.westminster.gov.uk/search/?q=my+neighbour",
            "X-Request-ID": "4f0c1a2b9d8e7f60a1b2c3d4e5f60718",
        },
        "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "web-1"},
    },
    "user": {"ip_address": "203.0.113.9", "email": "jo.bloggs@example.org"},
    "breadcrumbs": {
        "values": [
            {"category": "django.request", "message": "Queued email to JO.Bloggs@Example.ORG"}
        ]
    },
    "extra": {"sys.argv": ["gunicorn"], "recipient": "someone.else@example.co.uk"},
}


def test_the_sentry_scrubber_keeps_where_it_failed_and_drops_what_was_sent():
    event = errorreports.scrub_event(copy.deepcopy(SENTRY_EVENT), hint={})
    text = json.dumps(event)

    for personal in (
        "jo.bloggs@example.org",
        "JO.Bloggs",
        "someone.else@example.co.uk",
        "jo%40example.org",
        "Jo Bloggs",
        "session-cookie-value",
        "csrf-value",
        "c2VjcmV0",
        "203.0.113.9",
        "my+neighbour",
        "Stickers on the bus stop",
    ):
        assert personal not in text, personal

    assert event["request"] == {
        "method": "POST",
        "url": "https://prevent.westminster.gov.uk/newsletters/subscribe/",
        "headers": {
            "Host": "prevent.westminster.gov.uk",
            "User-Agent": "Mozilla/5.0",
            "X-Request-ID": "4f0c1a2b9d8e7f60a1b2c3d4e5f60718",
        },
    }
    assert "user" not in event
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == "No subscriber with the address [Filtered]"
    [frame] = exception["stacktrace"]["frames"]
    assert frame == {"filename": "newsletters/views.py", "function": "form_valid", "lineno": 120}
    assert event["breadcrumbs"]["values"][0]["message"] == "Queued email to [Filtered]"
    assert event["logentry"]["params"] == ["[Filtered]"]
    assert event["server_name"] == "web-1" and event["extra"]["sys.argv"] == ["gunicorn"]


def test_a_subscriber_link_in_the_failing_address_is_not_sent_to_sentry():
    token = "WzEsImtleSJd:1tAbCd:secret-signature"
    event = {
        "request": {"method": "POST", "url": f"https://site/newsletters/unsubscribe/{token}/"},
        # Earlier log lines, sent with the event.
        "breadcrumbs": {
            "values": [
                {
                    "category": "django.request",
                    "message": f"Not Found: /newsletters/preferences/{token}/",
                }
            ]
        },
    }

    scrubbed = errorreports.scrub_event(event, hint={})

    assert scrubbed["request"]["url"] == "https://site/newsletters/unsubscribe/[token]/"
    [breadcrumb] = scrubbed["breadcrumbs"]["values"]
    assert breadcrumb["message"] == "Not Found: /newsletters/preferences/[token]/"


def test_an_event_without_a_request_is_scrubbed_too():
    event = errorreports.scrub_event({"message": "Worker failed for a@b.org", "level": "error"})
    assert event == {"message": "Worker failed for [Filtered]", "level": "error"}


def test_sentry_is_started_with_the_scrubber_and_no_personal_data(monkeypatch):
    started = {}
    fake = types.SimpleNamespace(init=lambda **options: started.update(options))
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)

    errorreports.init_sentry("https://key@sentry.example/1", environment="production")

    assert started["dsn"] == "https://key@sentry.example/1"
    assert started["send_default_pii"] is False and started["include_local_variables"] is False
    assert started["before_send"] is errorreports.scrub_event
    assert started["environment"] == "production"


def test_a_sentry_dsn_without_sentry_sdk_stops_start_up_with_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import sentry_sdk then fails
    with pytest.raises(ImproperlyConfigured, match=r"pip install '\.\[sentry\]'"):
        errorreports.init_sentry("https://key@sentry.example/1")
