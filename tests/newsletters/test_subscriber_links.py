"""The pages a subscriber reaches from the signed links in their emails: confirming, preferences
and unsubscribing, and what a link that expired, was altered or made up shows."""

import re
import time
from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from newsletters import subscriber_links
from newsletters.models import Delivery, FormerSubscriber, Subscriber
from outbox.models import OutboundEmail
from tests.factories import make_issue
from tests.newsletters.test_subscribe import ADDRESS, make_subscriber
from tests.prevent_site.test_site import parse

pytestmark = pytest.mark.django_db

PENDING = Subscriber.Status.PENDING
CONFIRMED = Subscriber.Status.CONFIRMED
ONE_CLICK = "List-Unsubscribe=One-Click"


def confirm_path(subscriber):
    return reverse("newsletters:confirm", args=[subscriber_links.confirm_token(subscriber)])


def preferences_path(subscriber):
    return reverse("newsletters:preferences", args=[subscriber_links.manage_token(subscriber)])


def unsubscribe_path(subscriber):
    return reverse("newsletters:unsubscribe", args=[subscriber_links.manage_token(subscriber)])


def links_to_preferences(html, subscriber):
    """Whether the page links to this subscriber's preferences page.

    The link's token carries the second it was signed, so it is read back, not compared.
    """
    prefix = reverse("newsletters:preferences", args=["TOKEN"]).split("TOKEN")[0]
    tokens = re.findall(rf'href="{re.escape(prefix)}([^"/]+)/"', html)
    return any(subscriber_links.subscriber_to_manage(t) == subscriber for t in tokens)


def altered(path):
    """The path with one character of its token changed."""
    prefix, token = path.rstrip("/").rsplit("/", 1)
    middle = len(token) // 2
    swapped = "A" if token[middle] != "A" else "B"
    return f"{prefix}/{token[:middle]}{swapped}{token[middle + 1 :]}/"


def signed_days_ago(days, make_path, subscriber):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        return make_path(subscriber)


def text(response):
    return response.content.decode()


def main(response):
    """The page's main landmark, where its own content is (the header has a menu button)."""
    html = text(response)
    return html[html.index("<main") : html.index("</main>")]


def checked_updates(response):
    inputs = re.findall(r'<input[^>]*name="updates"[^>]*>', text(response))
    return [re.search(r'value="(\w+)"', i).group(1) for i in inputs if "checked" in i]


def title(response):
    return " ".join(parse(response).title.split())


def one_click_client():
    """A mail provider: no cookie, no CSRF token, and CSRF checks on as on the real site."""
    return Client(enforce_csrf_checks=True)


# --- Confirming ----------------------------------------------------------------------------


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client):
    subscriber = make_subscriber(status=PENDING)
    response = client.get(confirm_path(subscriber))
    assert response.status_code == 200
    assert title(response) == "Confirm your subscription – Westminster Prevent team"
    assert main(response).count("<button") == 1
    assert ">Confirm subscription</button>" in main(response)
    subscriber.refresh_from_db()
    assert subscriber.status == PENDING and subscriber.confirmed_at is None


def test_the_button_confirms_and_links_to_the_preferences(client):
    subscriber = make_subscriber(status=PENDING, funding=True)
    path = confirm_path(subscriber)
    client.get(path)
    response = client.post(path)
    assert response.status_code == 200
    assert title(response) == "You are subscribed – Westminster Prevent team"
    subscriber.refresh_from_db()
    assert subscriber.status == CONFIRMED and subscriber.confirmed_at is not None
    assert "confirmed by the emailed link" in subscriber.lawful_basis
    assert links_to_preferences(text(response), subscriber)
    assert client.get(preferences_path(subscriber)).status_code == 200


def test_the_confirmation_needs_the_pages_csrf_token(client):
    subscriber = make_subscriber(status=PENDING)
    response = one_click_client().post(confirm_path(subscriber))
    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == PENDING


def test_a_confirmed_subscription_says_so_and_is_left_as_it_was(client):
    subscriber = make_subscriber(status=PENDING)
    client.post(confirm_path(subscriber))
    subscriber.refresh_from_db()
    confirmed_at = subscriber.confirmed_at
    for response in (client.get(confirm_path(subscriber)), client.post(confirm_path(subscriber))):
        assert response.status_code == 200
        assert links_to_preferences(text(response), subscriber)
    assert title(client.get(confirm_path(subscriber))) == (
        "You have already confirmed your subscription – Westminster Prevent team"
    )
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at


def test_a_confirmation_link_older_than_7_days_has_expired(client):
    subscriber = make_subscriber(status=PENDING)
    still_good = signed_days_ago(6.9, confirm_path, subscriber)
    expired = signed_days_ago(7.1, confirm_path, subscriber)
    assert client.get(still_good).status_code == 200
    for response in (client.get(expired), client.post(expired)):
        assert response.status_code == 410
        assert title(response) == "This link has expired – Westminster Prevent team"
        assert "A link to confirm a subscription works for 7 days" in text(response)
        assert f'href="{reverse("newsletters:subscribe")}"' in text(response)
    subscriber.refresh_from_db()
    assert subscriber.status == PENDING


def test_an_altered_confirmation_link_does_not_work_and_says_what_to_do(client):
    subscriber = make_subscriber(status=PENDING)
    path = altered(confirm_path(subscriber))
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert title(response) == "This link does not work – Westminster Prevent team"
        assert "check that you copied all of it" in text(response)
        assert f'href="{reverse("newsletters:subscribe")}"' in text(response)
        assert "mailto:prevent@westminster.gov.uk" in text(response)
    subscriber.refresh_from_db()
    assert subscriber.status == PENDING


def test_a_confirmation_link_for_a_sign_up_that_was_deleted_does_not_work(client):
    subscriber = make_subscriber(status=PENDING)
    path = confirm_path(subscriber)
    subscriber.delete()
    response = client.get(path)
    assert response.status_code == 404
    assert title(response) == "This link does not work – Westminster Prevent team"
    assert client.post(path).status_code == 404
    assert not Subscriber.objects.exists()


def test_a_preferences_link_does_not_confirm(client):
    subscriber = make_subscriber(status=PENDING)
    token = subscriber_links.manage_token(subscriber)
    response = client.post(reverse("newsletters:confirm", args=[token]))
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == PENDING


MADE_UP = [
    "x",
    "WzEsImFiYyJd:1xY3Bg:made-up-signature",
    "a" * 10_000,
    "%00",
    "%0d%0aSet-Cookie:%20x=1",
    "<script>alert(1)</script>",
    "😀😀😀",
    "..%2f..%2fetc%2fpasswd",
]


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
@pytest.mark.parametrize("token", MADE_UP, ids=range(len(MADE_UP)))
def test_a_made_up_link_gets_the_clear_page_never_a_failure(client, name, token):
    make_subscriber()
    path = f"/newsletters/{'subscribe/confirm' if name == 'confirm' else name}/{token}/"
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, method
        assert "This link does not work" in text(response) or "Page not found" in text(response)
        assert "<script>alert" not in text(response)
    assert Subscriber.objects.filter(status=CONFIRMED).count() == 1


# --- Preferences ---------------------------------------------------------------------------


def test_the_preferences_page_shows_the_address_and_what_it_hears_about(client):
    subscriber = make_subscriber(training_and_events=True, funding=False)
    response = client.get(preferences_path(subscriber))
    assert response.status_code == 200
    assert title(response) == "Your newsletter preferences – Westminster Prevent team"
    html = text(response)
    assert f"<strong>{ADDRESS}</strong>" in html
    assert "You will get every new issue of the newsletter" in html
    assert checked_updates(response) == ["training_and_events"]
    assert f'href="{unsubscribe_path(subscriber)}"' in html
    assert "govuk-notification-banner" not in html


def test_saving_preferences_changes_them_and_shows_a_success_banner_once(client):
    subscriber = make_subscriber(training_and_events=True, funding=False)
    path = preferences_path(subscriber)
    response = client.post(path, {"updates": ["funding"]})
    assert response.status_code == 302 and response["Location"] == path
    subscriber.refresh_from_db()
    assert (subscriber.training_and_events, subscriber.funding) == (False, True)
    assert subscriber.status == CONFIRMED

    shown = client.get(path)
    html = text(shown)
    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "Your preferences have been saved" in html
    assert checked_updates(shown) == ["funding"]
    assert "Your preferences have been saved" not in text(client.get(path))

    # Nothing ticked: new issues only.
    client.post(path, {})
    subscriber.refresh_from_db()
    assert (subscriber.training_and_events, subscriber.funding) == (False, False)


def test_preferences_refuse_an_update_that_is_not_offered(client):
    subscriber = make_subscriber(funding=True)
    response = client.post(preferences_path(subscriber), {"updates": ["everything"]})
    assert response.status_code == 200
    assert title(response).startswith("Error: Your newsletter preferences")
    assert "Select only the updates listed" in text(response)
    subscriber.refresh_from_db()
    assert subscriber.funding is True


def test_preferences_links_do_not_expire(client):
    subscriber = make_subscriber()
    assert client.get(signed_days_ago(400, preferences_path, subscriber)).status_code == 200


def test_an_altered_preferences_link_does_not_work(client):
    subscriber = make_subscriber(funding=True)
    path = altered(preferences_path(subscriber))
    assert client.get(path).status_code == 404
    response = client.post(path, {"updates": []})
    assert response.status_code == 404
    assert title(response) == "This link does not work – Westminster Prevent team"
    subscriber.refresh_from_db()
    assert subscriber.funding is True


def test_a_confirmation_link_does_not_open_the_preferences(client):
    subscriber = make_subscriber()
    token = subscriber_links.confirm_token(subscriber)
    assert client.get(reverse("newsletters:preferences", args=[token])).status_code == 404


# --- Unsubscribing -------------------------------------------------------------------------


def test_opening_the_unsubscribe_link_shows_one_button_and_unsubscribes_nothing(client):
    subscriber = make_subscriber()
    response = client.get(unsubscribe_path(subscriber))
    assert response.status_code == 200
    assert title(response) == "Unsubscribe from the newsletter – Westminster Prevent team"
    html = main(response)
    assert html.count("<button") == 1 and ">Unsubscribe</button>" in html
    assert f"<strong>{ADDRESS}</strong>" in html
    assert links_to_preferences(html, subscriber)
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_the_button_unsubscribes_at_once_and_forgets_everything_but_a_hash(client):
    subscriber = make_subscriber()
    issue = make_issue()
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber)
    OutboundEmail.objects.create(about=subscriber, kind="confirm", to=ADDRESS, subject="s")
    OutboundEmail.objects.create(about=delivery, kind="issue", to=ADDRESS, subject="s")
    # A test of the issue an editor sent to their address.
    OutboundEmail.objects.create(about=issue, kind="test", to=ADDRESS, subject="s")
    someone_elses = OutboundEmail.objects.create(
        about=issue, kind="test", to="editor@example.org", subject="s"
    )
    # An editor changed their updates earlier: the admin's history names the address.
    editor = User.objects.create_superuser("editor", "editor@example.org", "x" * 12)
    LogEntry.objects.log_actions(editor.pk, [subscriber], CHANGE, "Changed Funding schemes.")
    path = unsubscribe_path(subscriber)
    client.get(path)
    response = client.post(path)
    assert response.status_code == 200
    assert title(response) == "You have unsubscribed – Westminster Prevent team"
    assert f'href="{reverse("newsletters:subscribe")}"' in text(response)
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert list(OutboundEmail.objects.all()) == [someone_elses]
    assert FormerSubscriber.includes(ADDRESS)
    [entry] = LogEntry.objects.filter(object_id=str(subscriber.pk))
    assert ADDRESS not in entry.object_repr


def test_one_click_unsubscribe_is_offered_only_on_an_https_link(settings):
    # RFC 8058: a mail program posts to the List-Unsubscribe address only if it is https.
    subscriber = make_subscriber()
    settings.SITE_URL = "https://prevent.example.gov.uk"
    headers = subscriber_links.list_unsubscribe_headers(subscriber)
    assert headers["List-Unsubscribe"].startswith(
        "<https://prevent.example.gov.uk/newsletters/unsubscribe/"
    )
    assert headers["List-Unsubscribe-Post"] == ONE_CLICK

    settings.SITE_URL = "http://127.0.0.1:8000"
    headers = subscriber_links.list_unsubscribe_headers(subscriber)
    assert headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/")
    assert "List-Unsubscribe-Post" not in headers


def test_one_click_unsubscribe_from_a_mail_program_works_without_cookie_or_csrf_token():
    subscriber = make_subscriber()
    provider = one_click_client()
    response = provider.post(
        unsubscribe_path(subscriber), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You have unsubscribed" in text(response)
    assert not Subscriber.objects.exists()
    assert FormerSubscriber.includes(ADDRESS)
    # RFC 8058 allows the body as multipart/form-data too.
    other = make_subscriber("other@example.org")
    response = provider.post(unsubscribe_path(other), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_unsubscribing_again_gives_the_same_answer(client):
    subscriber = make_subscriber()
    path = unsubscribe_path(subscriber)
    first = one_click_client().post(path, ONE_CLICK, "application/x-www-form-urlencoded")
    again = client.post(path)
    later = client.get(path)
    assert first.status_code == again.status_code == later.status_code == 200
    for response in (again, later):
        assert title(response) == "You have unsubscribed – Westminster Prevent team"
    assert FormerSubscriber.objects.count() == 1


def test_an_unsubscribe_link_that_was_altered_does_not_work_and_unsubscribes_nobody(client):
    subscriber = make_subscriber()
    path = altered(unsubscribe_path(subscriber))
    for response in (
        client.get(path),
        one_click_client().post(path, ONE_CLICK, "application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 404
        assert title(response) == "This link does not work – Westminster Prevent team"
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not FormerSubscriber.objects.exists()


def test_a_confirmation_link_does_not_unsubscribe(client):
    subscriber = make_subscriber()
    token = subscriber_links.confirm_token(subscriber)
    assert client.post(reverse("newsletters:unsubscribe", args=[token])).status_code == 404
    assert Subscriber.objects.exists()


# --- Every page reached by a link ------------------------------------------------------------


def every_state(client):
    """Each page a subscriber's link can show: {name: response}."""
    pending = make_subscriber("pending@example.org", status=PENDING)
    confirmed = make_subscriber("confirmed@example.org")
    leaving = make_subscriber("leaving@example.org")
    client.post(preferences_path(confirmed), {"updates": ["funding"]})
    pages = {
        "confirm": client.get(confirm_path(pending)),
        "confirmed": client.post(confirm_path(make_subscriber("c@example.org", status=PENDING))),
        "already-confirmed": client.get(confirm_path(confirmed)),
        "expired": client.get(signed_days_ago(8, confirm_path, pending)),
        "bad-link": client.get(altered(confirm_path(pending))),
        "preferences-saved": client.get(preferences_path(confirmed)),
        "preferences": client.get(preferences_path(confirmed)),
        "preferences-error": client.post(preferences_path(confirmed), {"updates": ["everything"]}),
        "unsubscribe": client.get(unsubscribe_path(leaving)),
        "unsubscribed": client.post(unsubscribe_path(leaving)),
    }
    assert "Your preferences have been saved" in text(pages["preferences-saved"])
    return pages


def test_every_link_page_is_private_unindexed_and_keeps_its_token_from_other_sites(client):
    for name, response in every_state(client).items():
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, name
        # Links from these pages to other sites do not tell them the address, token and all.
        assert response["Referrer-Policy"] == "same-origin", name
        html = text(response)
        assert '<meta name="robots" content="noindex">' in html, name
        assert 'rel="canonical"' not in html and 'property="og:url"' not in html, name


def test_every_link_page_has_one_h1_a_breadcrumb_and_a_title_of_its_own(client):
    titles = {}
    for name, response in every_state(client).items():
        page = parse(response)
        assert page.h1s == 1 and page.mains == 1, name
        assert page.breadcrumbs, name
        titles.setdefault(title(response), []).append(name)
    assert {t: names for t, names in titles.items() if len(names) > 1} == {
        "Your newsletter preferences – Westminster Prevent team": [
            "preferences-saved",
            "preferences",
        ]
    }


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_link_pages_answer_405_to_other_methods(client, method):
    subscriber = make_subscriber()
    for path in (
        confirm_path(subscriber),
        preferences_path(subscriber),
        unsubscribe_path(subscriber),
    ):
        response = getattr(client, method)(path, ONE_CLICK, "application/x-www-form-urlencoded")
        assert response.status_code == 405, path
    assert Subscriber.objects.get() == subscriber


def test_the_cookies_page_lists_every_cookie_a_subscriber_gets(client):
    client.post("/newsletters/subscribe/", {"email": "new@example.org"})
    subscriber = make_subscriber()
    client.get(preferences_path(subscriber))
    response = client.post(preferences_path(subscriber), {"updates": ["funding"]})
    assert "messages" in response.cookies
    listed = client.get("/cookies/").content.decode()
    for name in client.cookies:
        assert f">{name}</td>" in listed, name
    assert "your newsletter preferences" in listed
