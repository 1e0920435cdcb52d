"""Signing up for the newsletter: the form, double opt-in, and answers that never tell whether an
address subscribes."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from blocks.models import RecentSubmission
from newsletters.models import FormerSubscriber, Subscriber
from outbox.models import OutboundEmail
from tests.factories import make_issue, make_section
from tests.mail import html_part
from tests.training.pages import parse

pytestmark = pytest.mark.django_db

URL = "/newsletters/subscribe/"
DONE = "/newsletters/subscribe/check-your-email/"
ADDRESS = "sam.patel@example.org"


def make_subscriber(email=ADDRESS, status=Subscriber.Status.CONFIRMED, **fields):
    return Subscriber.objects.create(email=email, status=status, **fields)


def sign_up(client, email=ADDRESS, updates=(), **extra):
    return client.post(URL, {"email": email, "updates": list(updates), **extra})


@pytest.fixture
def send(client, django_capture_on_commit_callbacks, run_worker, mailoutbox):
    """Sign up, let the worker send what that queued, and return the emails it sent."""

    def send(email=ADDRESS, updates=(), client=client, **extra):
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client, email, updates, **extra)
        assert response.status_code == 302 and response["Location"] == DONE
        run_worker()
        return mailoutbox[before:]

    return send


def link_in(message, name):
    """The site's link to the page ``name`` (confirm, preferences, unsubscribe) in the email's
    text, which must be the same as in its HTML; as a path for the test client."""
    [url] = set(re.findall(rf"https?://\S+/newsletters/[\w/-]*{name}/[^\s/]+/", message.body))
    assert f'href="{url}"' in html_part(message)
    return urlsplit(url).path


def without_nonce(html):
    return re.sub(r' nonce="[^"]*"', "", html)


def test_the_form_asks_for_an_address_and_what_to_hear_about_and_says_issues_always_come(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Get the newsletter by email – Westminster Prevent team</title>" in html
    assert html.count("<h1") == 1
    page = parse(response)
    assert page.inputs["id_email"]["type"] == "email"
    assert page.inputs["id_email"]["autocomplete"] == "email"
    assert "What would you like to hear about?" in html
    # New issues are not a box to tick: the question's hint says they always come, and the
    # fieldset is described by it.
    assert "You will get every new issue of the newsletter. You can also choose:" in html
    assert 'aria-describedby="id_updates_hint"' in html
    assert [page.inputs[f"id_updates_{n}"]["value"] for n in (1, 2)] == [
        "training_and_events",
        "funding",
    ]
    assert "disabled" not in html
    assert re.search(r'<label [^>]*for="id_updates_1">\s*Training and events\s*</label>', html)
    assert re.search(r'<label [^>]*for="id_updates_2">\s*Funding schemes\s*</label>', html)
    assert 'href="/privacy/#newsletter"' in html
    assert ">Subscribe</button>" in html
    # Each visitor's own form: never stored by any cache, and no session until it is sent.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_a_new_address_waits_for_confirmation_and_gets_only_a_link_to_confirm(client, send):
    [email] = send(" Sam.Patel@Example.ORG ", updates=["funding"])
    subscriber = Subscriber.objects.get()
    assert subscriber.email == ADDRESS
    assert subscriber.status == Subscriber.Status.PENDING
    assert (subscriber.training_and_events, subscriber.funding) == (False, True)
    assert subscriber.source == "Sign-up form"
    assert email.to == [ADDRESS]
    assert email.reply_to == ["prevent@westminster.gov.uk"]
    assert email.subject == "Confirm your subscription to the Prevent team’s newsletter"
    assert "The link works for 7 days" in email.body
    assert "- New newsletter issues\n- Funding schemes\n" in email.body
    assert "Training and events" not in email.body
    assert "If you did not ask for the newsletter, ignore this email" in email.body
    # Nothing that would invite a click to unsubscribe from a list it is not on yet.
    assert "List-Unsubscribe" not in email.extra_headers
    [queued] = OutboundEmail.objects.all()
    assert (queued.about, queued.kind) == (subscriber, Subscriber.EmailKind.CONFIRM)

    page = client.get(link_in(email, "confirm"))
    assert page.status_code == 200
    assert ">Confirm subscription</button>" in page.content.decode()


def test_the_check_your_email_page_says_what_to_do_next(client, send):
    send()
    response = client.get(DONE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Check your email – Westminster Prevent team</title>" in html
    assert "Open the link in it to confirm your subscription. The link works for 7 days." in html
    assert "The email comes from Westminster Prevent team, prevent@westminster.gov.uk." in html
    assert f'href="{URL}"' in html
    assert "no-store" in response["Cache-Control"]


def test_signing_up_again_while_waiting_sends_the_link_again_with_the_new_choice(
    send, client, settings
):
    settings.NEWSLETTER_ADDRESS_RATE_LIMIT = 5
    [first] = send(updates=["funding"])
    [second] = send(ADDRESS.upper(), updates=["training_and_events"])
    [subscriber] = Subscriber.objects.all()
    assert subscriber.status == Subscriber.Status.PENDING
    assert (subscriber.training_and_events, subscriber.funding) == (True, False)
    assert second.to == [ADDRESS] and second.subject == first.subject
    assert "- New newsletter issues\n- Training and events\n" in second.body
    # Either link confirms the one subscription.
    for email in (first, second):
        assert client.get(link_in(email, "confirm")).status_code == 200


def test_an_address_that_subscribes_is_left_as_it_is_and_gets_a_link_to_its_preferences(
    send, client
):
    subscriber = make_subscriber(training_and_events=True)
    [email] = send(updates=["funding"])
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert (subscriber.training_and_events, subscriber.funding) == (True, False)
    assert Subscriber.objects.count() == 1
    assert email.to == [ADDRESS]
    assert email.reply_to == ["prevent@westminster.gov.uk"]
    assert email.subject == "You already get the Prevent team’s newsletter"
    assert "This address already gets the newsletter, so nothing has changed" in email.body
    assert "- New newsletter issues\n- Training and events\n" in email.body
    [queued] = OutboundEmail.objects.all()
    assert (queued.about, queued.kind) == (subscriber, Subscriber.EmailKind.ALREADY_SUBSCRIBED)

    preferences = client.get(link_in(email, "preferences"))
    assert preferences.status_code == 200
    assert ADDRESS in preferences.content.decode()
    unsubscribe = link_in(email, "unsubscribe")
    assert client.get(unsubscribe).status_code == 200
    # An email to a subscriber lets the mail program unsubscribe (RFC 2369); with one click
    # only over https (RFC 8058), which SITE_URL is not here.
    assert "List-Unsubscribe-Post" not in email.extra_headers
    assert email.extra_headers["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000{unsubscribe}>, "
        "<mailto:prevent@westminster.gov.uk?subject=Unsubscribe>"
    )


def test_an_address_that_left_signs_up_again_as_a_new_one_and_is_forgotten_once_confirmed(
    send, client
):
    make_subscriber().leave()
    assert FormerSubscriber.includes(ADDRESS)
    [email] = send(updates=["training_and_events"])
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert email.subject == "Confirm your subscription to the Prevent team’s newsletter"
    # Until confirmed, an import still cannot add it back.
    assert FormerSubscriber.includes(ADDRESS)
    assert client.post(link_in(email, "confirm")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert not FormerSubscriber.includes(ADDRESS)


def test_the_answer_is_the_same_page_whether_the_address_is_new_waiting_subscribed_or_gone(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_ADDRESS_RATE_LIMIT = 1
    make_subscriber("waiting@example.org", status=Subscriber.Status.PENDING)
    make_subscriber("subscribed@example.org")
    make_subscriber("gone@example.org").leave()
    make_subscriber("limited@example.org")
    sign_up(Client(), "limited@example.org")  # its one email this hour
    answers = {}
    for address in [
        "new@example.org",
        "waiting@example.org",
        "subscribed@example.org",
        "gone@example.org",
        "limited@example.org",
    ]:
        visitor = Client()
        form = visitor.get(URL).content.decode()
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(visitor, address, ["funding"], form_token=token)
        page = visitor.get(response["Location"])
        answers[address] = (
            response.status_code,
            response["Location"],
            response.content,
            page.status_code,
            without_nonce(page.content.decode()),
        )
    first = answers["new@example.org"]
    assert first[:2] == (302, DONE) and first[3] == 200
    assert "Check your email" in first[4]
    for address, answer in answers.items():
        assert answer == first, address


def test_over_the_limit_for_one_address_nothing_more_is_sent_but_the_answer_is_the_same(
    send, settings
):
    settings.NEWSLETTER_ADDRESS_RATE_LIMIT = 3
    # From different clients, and however the address is written: the limit is the address's.
    sent = [
        send(address, client=Client(REMOTE_ADDR=f"192.0.2.{n}"))
        for n, address in enumerate([ADDRESS, ADDRESS.upper(), f" {ADDRESS}", ADDRESS, ADDRESS])
    ]
    assert [len(emails) for emails in sent] == [1, 1, 1, 0, 0]
    assert OutboundEmail.objects.count() == 3
    # Another address is not held back by it.
    assert len(send("someone.else@example.org")) == 1


def test_the_address_limit_does_not_keep_the_address(send):
    send()
    [counted] = RecentSubmission.objects.filter(scope="newsletter-address")
    assert ADDRESS not in counted.client and "sam" not in counted.client


def test_one_client_signing_up_many_addresses_is_stopped_at_its_limit(client, settings):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 2
    statuses = [sign_up(client, f"person{n}@example.org").status_code for n in range(4)]
    assert statuses == [302, 302, 429, 429]
    refused = sign_up(client, "another@example.org")
    html = refused.content.decode()
    assert "You have sent 2 sign-ups in the last hour, which is our limit" in html
    assert "<title>Error: Get the newsletter by email" in html
    assert 'value="another@example.org"' in html
    assert Subscriber.objects.count() == OutboundEmail.objects.count() == 2


def test_the_honeypot_stops_robots(client):
    response = sign_up(client, website="http://spam.example")
    assert response.status_code == 200
    assert "looks automated" in response.content.decode()
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


def test_sending_the_same_form_twice_sends_one_email(client, send):
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(URL).text).group(1)
    assert len(send(form_token=token)) == 1
    assert len(send(form_token=token)) == 0
    assert OutboundEmail.objects.count() == 1


def test_an_empty_form_says_what_is_missing_next_to_the_question(client):
    response = client.post(URL, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Get the newsletter by email" in html
    assert parse(response).summary_links == [("#id_email", "Enter your email address")]
    assert 'aria-describedby="id_email_hint id_email_1_error"' in html


@pytest.mark.parametrize(
    "email",
    [
        "<script>alert(1)</script>@example.org",
        "sam@example.org\r\nBcc: victim@example.com",
        "sam@example.org\nBcc: victim@example.com",
        "sam\x00@example.org",
        "x" * 10_000 + "@example.org",
        "sam@exa\u202emple.org",
        '"sam\x0b"@example.org',
        "😀@example.org",
        "sam@😀.example",
        "sam",
        "",
    ],
    ids=[
        "script",
        "header-injection-crlf",
        "header-injection-lf",
        "nul",
        "ten-thousand-characters",
        "direction-mark",
        "quoted-control",
        "emoji-local-part",
        "emoji-domain",
        "no-at",
        "empty",
    ],
)
def test_an_address_that_cannot_be_right_gets_an_error_never_a_failure(client, email):
    response = sign_up(client, email)
    assert response.status_code == 200
    assert parse(response).summary_links[0][0] == "#id_email"
    assert "<script>alert" not in response.content.decode()
    assert not Subscriber.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "updates",
    [["everything"], ["funding", "<script>"], ["\x00"], ["x" * 10_000]],
    ids=["unknown", "script", "nul", "long"],
)
def test_an_update_that_is_not_offered_gets_an_error(client, updates):
    response = sign_up(client, updates=updates)
    assert response.status_code == 200
    assert parse(response).summary_links == [("#id_updates_1", "Select only the updates listed")]
    assert not Subscriber.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    response = client.post(
        URL,
        data=b"x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.REQUEST_BODY_LIMIT + 1),
    )
    assert response.status_code == 413
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_form_answers_405_to_other_methods(client, method):
    assert getattr(client, method)(URL).status_code == 405
    assert getattr(client, method)(DONE).status_code == 405
    assert client.post(DONE).status_code == 405


def test_the_privacy_notice_says_what_the_newsletter_keeps_why_for_how_long_and_how_to_leave(
    client,
):
    html = client.get("/privacy/").content.decode()
    section = html[html.index('id="newsletter"') : html.index(">Your rights</h2>")]
    for promise in [
        "we keep your email address, the updates you chose",
        "when and how you signed up and confirmed",
        "which list it came from and when",
        "which issues we sent you",
        "our lawful basis is your consent (UK GDPR Article 6(1)(a))",
        "until you unsubscribe",
        "If you do not confirm a sign-up within 7 days, we delete it",
        "We keep only a one-way hash of the address",
        "so that it is not added back from an old mailing list",
        "Every newsletter email has a link to unsubscribe at once",
        'href="mailto:prevent@westminster.gov.uk"',
    ]:
        assert promise in section, promise
    # The form's link to it lands on the section.
    assert 'href="/privacy/#newsletter"' in client.get(URL).content.decode()


def test_the_sign_up_is_linked_from_home_the_archive_every_issue_and_the_footer(client):
    issue = make_issue()
    make_section(issue)
    link = f'<a class="govuk-link" href="{URL}">Get the newsletter by email</a>'
    for path in ["/", "/newsletters/", issue.get_absolute_url()]:
        html = client.get(path).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert link in main, path
    footer_link = f'<a class="govuk-footer__link" href="{URL}">Get the newsletter by email</a>'
    for path in ["/", "/privacy/", URL]:
        assert footer_link in client.get(path).content.decode(), path
