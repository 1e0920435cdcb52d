"""Who can sign in to the site editor, and what each role can do there."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "newsletters.issue",
    "newsletters.section",
    "training.workshop",
    "training.testimonial",
    "training.event",
    "training.communityproject",
    "resources.teammember",
    "resources.contact",
    "resources.resourcelink",
    "resources.fundingscheme",
    "resources.helproute",
    "resources.topic",
    "alerts.banner",  # drafts only: putting one live is the emergency publishers' (tests/alerts)
    "alerts.sensitivepage",
]


def test_content_editors_may_do_everything_with_content_and_nothing_else():
    permissions = set(
        Group.objects.get(name="Content editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )

    expected = {
        (label.split(".")[0], f"{action}_{label.split('.')[1]}")
        for label in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    }
    # And send an issue to the subscribers, without seeing who they are.
    expected |= {("newsletters", "add_mailing"), ("newsletters", "view_mailing")}
    # And edit the audience pages ("For parents and carers"...).
    expected |= {
        ("resources", f"{action}_audience") for action in ("add", "change", "delete", "view")
    }
    # And see what people search for on the site (the log is read-only for everyone).
    expected.add(("search", "view_searchlog"))
    # And give the search other words for what people type.
    expected |= {("search", f"{action}_synonym") for action in ("add", "change", "delete", "view")}
    # And record that a qualified translator has checked a page in a language.
    expected |= {
        ("prevent_site", f"{action}_translationcheck")
        for action in ("add", "change", "delete", "view")
    }
    # And mark the statutory pages checked (their words are a developer's to change).
    expected |= {("prevent_site", "view_statutorypage"), ("prevent_site", "change_statutorypage")}
    # And change the pages' introductions in each language (not add or delete a page).
    expected |= {
        ("prevent_site", "view_pageintroduction"),
        ("prevent_site", "change_pageintroduction"),
    }
    assert permissions == expected


@pytest.mark.parametrize("label", CONTENT_MODELS)
def test_content_editor_can_list_and_add_each_content_type(editor_client, label):
    app, model = label.split(".")

    assert editor_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:axes_accessattempt_changelist",
    ],
)
def test_content_editor_cannot_manage_accounts(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 403


def test_staff_without_a_group_see_no_content(django_user_model):
    browser = Client()
    browser.force_login(django_user_model.objects.create_user("new", is_staff=True))

    assert browser.get(reverse("admin:newsletters_issue_changelist")).status_code == 403


# Inviting staff -------------------------------------------------------------------------------


def test_invite_staff_creates_an_account_and_emails_a_link_to_choose_a_password(
    mailoutbox, django_user_model, settings
):
    settings.SITE_URL = "https://prevent.example.gov.uk"

    call_command(
        "invite_staff",
        "Kiran.Malik@westminster.gov.uk",
        "--name",
        "Kiran Malik",
        "--group",
        "Content editors",
        stdout=io.StringIO(),
    )

    user = django_user_model.objects.get()
    assert user.username == user.email == "kiran.malik@westminster.gov.uk"
    assert (user.first_name, user.last_name) == ("Kiran", "Malik")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert not user.has_usable_password()
    assert [g.name for g in user.groups.all()] == ["Content editors"]

    [email] = mailoutbox
    assert email.to == ["kiran.malik@westminster.gov.uk"]
    assert email.subject == "Your account for the Westminster Prevent website"
    link = re.search(r"https://prevent\.example\.gov\.uk(/admin/password-reset/\S+/)", email.body)
    assert link, email.body

    # The person follows the link and chooses a password; then they can sign in.
    browser = Client()
    form_page = browser.get(link.group(1), follow=True)
    assert "new_password1" in form_page.text
    password = "kettle-harbour-lantern-42"
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    signed_in = browser.post(
        reverse("admin:login"), {"username": user.username, "password": password}
    )
    assert signed_in.status_code == 302
    assert browser.get(reverse("admin:newsletters_issue_changelist")).status_code == 200


def test_invitation_link_refuses_a_short_password(mailoutbox):
    call_command(
        "invite_staff",
        "sam@westminster.gov.uk",
        name="Sam Lee",
        groups=["Content editors"],
        stdout=io.StringIO(),
    )
    path = re.search(r"https?://[^/]+(/admin/password-reset/\S+/)", mailoutbox[0].body).group(1)
    browser = Client()
    form_page = browser.get(path, follow=True)

    response = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "short-pw1", "new_password2": "short-pw1"},
    )

    assert "at least 12 characters" in response.text


PASSWORD_RULES = [
    "Your password can’t be too similar to your other personal information.",
    "Your password must contain at least 12 characters.",
    "Your password can’t be a commonly used password.",
    "Your password can’t be entirely numeric.",
]


def invite(*groups):
    call_command(
        "invite_staff",
        "sam@westminster.gov.uk",
        name="Sam Lee",
        groups=list(groups),
        stdout=io.StringIO(),
    )


def test_the_invitation_lists_the_password_rules_the_site_applies(mailoutbox):
    invite("Content editors")
    body = mailoutbox[0].body
    for rule in PASSWORD_RULES:
        assert f"- {rule}" in body, body


def test_the_invitation_says_what_the_account_is_for_from_its_groups(mailoutbox):
    invite("Report handlers")
    invite_body = mailoutbox[0].body
    assert "reports of extremist leaflets, stickers or graffiti" in invite_body
    assert "editing" not in invite_body and "edit " not in invite_body

    mailoutbox.clear()
    call_command(
        "invite_staff",
        "kiran@westminster.gov.uk",
        "--name=Kiran Malik",
        "--group=Content editors",
        "--group=Training coordinators",
        stdout=io.StringIO(),
    )
    body = mailoutbox[0].body
    assert "edit the website's pages" in body
    assert "training requests" in body
    assert "reports of extremist" not in body


def test_password_pages_carry_the_site_editors_name_and_list_the_rules(mailoutbox):
    invite("Report handlers")
    path = re.search(r"https?://[^/]+(/admin/password-reset/\S+/)", mailoutbox[0].body).group(1)
    browser = Client()
    pages = [browser.get(reverse("admin_password_reset"))]
    form_page = browser.get(path, follow=True)
    pages.append(form_page)
    password = "kettle-harbour-lantern-42"
    pages.append(
        browser.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": password, "new_password2": password},
            follow=True,
        )
    )
    pages.append(browser.get(reverse("password_reset_done")))
    for page in pages:
        assert page.status_code == 200
        assert "Django" not in page.text, page.request["PATH_INFO"]
        assert "Westminster Prevent team: site editor</a>" in page.text
        assert "| Prevent site editor</title>" in page.text
    for rule in PASSWORD_RULES:
        assert rule in form_page.text.replace("&#x27;", "’").replace("'", "’"), rule


@pytest.mark.parametrize(
    ("site_url", "link"),
    [
        ("https://prevent.example.gov.uk", r"https://prevent\.example\.gov\.uk"),
        # Behind nginx the request's host has no port: SITE_URL's is kept.
        ("http://127.0.0.1:8000", r"http://127\.0\.0\.1:8000"),
    ],
)
def test_a_password_reset_email_is_from_site_url_whatever_host_was_asked_for(
    client, content_editor, mailoutbox, settings, site_url, link
):
    settings.SITE_URL = site_url
    # Allowed, as the name of the machine or a second domain may be, but not the public address.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]

    response = client.post(
        reverse("admin_password_reset"), {"email": content_editor.email}, HTTP_HOST="localhost"
    )

    assert response.status_code == 302
    [email] = mailoutbox
    domain = site_url.split("://")[1]
    assert email.subject == f"Password reset on {domain}"
    assert "localhost" not in email.subject + email.body
    path = re.search(link + r"(/admin/password-reset/\S+/)", email.body)
    assert path, email.body
    # And the link works.
    assert "new_password1" in Client().get(path.group(1), follow=True).text


def test_invite_staff_refuses_an_unknown_group(django_user_model):
    with pytest.raises(CommandError, match="No group called Editors"):
        call_command("invite_staff", "sam@westminster.gov.uk", name="Sam", groups=["Editors"])
    assert not django_user_model.objects.exists()


def test_invite_staff_refuses_an_existing_account(django_user_model):
    django_user_model.objects.create_user("sam@westminster.gov.uk")

    with pytest.raises(CommandError, match="already an account"):
        call_command(
            "invite_staff", "SAM@westminster.gov.uk", name="Sam", groups=["Content editors"]
        )


# Locking out password guessing ----------------------------------------------------------------


def sign_in(browser, username, password, address="192.0.2.10"):
    return browser.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_failed_sign_ins_lock_that_account_from_that_address(
    content_editor, django_user_model
):
    browser = Client()
    for _ in range(4):
        response = sign_in(browser, content_editor.username, "wrong password")
        assert response.status_code == 200
        assert "Please enter the correct" in response.text

    fifth = sign_in(browser, content_editor.username, "wrong password")
    assert fifth.status_code == 429
    assert "Signing in is paused" in fifth.text

    # Even the right password is refused now, from that address...
    right = sign_in(browser, content_editor.username, "a long and unusual passphrase")
    assert right.status_code == 429
    # ...while the same person elsewhere, or a colleague at that address, can still sign in.
    colleague = django_user_model.objects.create_user(
        "colleague", password="another long passphrase", is_staff=True
    )
    assert sign_in(Client(), colleague.username, "another long passphrase").status_code == 302
    assert (
        sign_in(
            Client(),
            content_editor.username,
            "a long and unusual passphrase",
            address="198.51.100.7",
        ).status_code
        == 302
    )


def test_behind_a_load_balancer_the_lockout_is_per_client_not_per_balancer(
    content_editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = "10.0.0.5"

    def via_balancer(client_address, password):
        return Client().post(
            reverse("admin:login"),
            {"username": content_editor.username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=balancer,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        last = via_balancer("203.0.113.9", "wrong password")
    assert last.status_code == 429
    # The real person, at another address but through the same balancer, still gets in.
    assert via_balancer("198.51.100.7", "a long and unusual passphrase").status_code == 302


def test_lockout_ends_after_an_hour(content_editor, settings):
    from axes.models import AccessAttempt

    browser = Client()
    for _ in range(5):
        sign_in(browser, content_editor.username, "wrong password")
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2000)
    )
    assert (
        sign_in(browser, content_editor.username, "a long and unusual passphrase").status_code
        == 302
    )


def test_successful_sign_in_clears_earlier_failures(content_editor):
    browser = Client()
    for _ in range(4):
        sign_in(browser, content_editor.username, "wrong password")
    assert (
        sign_in(browser, content_editor.username, "a long and unusual passphrase").status_code
        == 302
    )

    browser.logout()
    for _ in range(4):
        assert sign_in(browser, content_editor.username, "wrong password").status_code == 200


def test_the_invitation_and_password_reset_emails_are_wrapped_at_78_characters(
    client, content_editor, mailoutbox
):
    call_command(
        "invite_staff", "sam@westminster.gov.uk", name="Sam Jones", groups=["Report handlers"]
    )
    client.post(reverse("admin_password_reset"), {"email": content_editor.email})

    invitation, reset = mailoutbox
    for email in (invitation, reset):
        # A link longer than a line stands on a line of its own, whole.
        long_lines = [
            line
            for line in email.body.splitlines()
            if len(line) > 78 and not re.fullmatch(r"https?://\S+", line)
        ]
        assert long_lines == [], email.subject
        assert email.from_email.startswith("Westminster Prevent team <")
    # The link is left whole.
    assert re.search(r"^https?://\S+/admin/password-reset/\S+/$", invitation.body, re.M)
