from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts.models import Banner, PageKind, Severity

pytestmark = pytest.mark.django_db


def banner(**fields):
    return Banner.objects.create(**{"title": "Incident", "message": "<p>Stay calm.</p>", **fields})


def test_only_live_started_and_not_ended_banners_are_shown():
    now = timezone.now()
    shown = banner(
        is_live=True, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    always = banner(is_live=True)
    banner(is_live=False)
    banner(is_live=True, starts_at=now + timedelta(minutes=1))
    banner(is_live=True, ends_at=now)
    assert set(Banner.objects.live(now)) == {shown, always}


def test_a_banner_without_page_kinds_is_on_every_page_otherwise_only_on_those_chosen():
    everywhere = banner()
    help_pages = banner(page_kinds=[PageKind.HELP, PageKind.HOME])
    for view_name in ("home", "newsletters:issue-detail", "training:workshop-list", ""):
        assert everywhere.shown_on(view_name)
    assert help_pages.shown_on("home")
    assert help_pages.shown_on("reports:report")
    assert help_pages.shown_on("resources:help-route-list")
    assert not help_pages.shown_on("resources:scheme-list")
    assert not help_pages.shown_on("newsletters:issue-detail")


def test_people_cannot_be_allowed_to_hide_an_emergency_banner():
    with pytest.raises(ValidationError, match="cannot hide"):
        Banner(
            title="t", message="<p>m</p>", severity=Severity.EMERGENCY, dismissible=True
        ).full_clean()
    Banner(title="t", message="<p>m</p>", severity=Severity.NOTICE, dismissible=True).full_clean()


def test_a_banner_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(ValidationError, match="after the start"):
        Banner(title="t", message="<p>m</p>", starts_at=now, ends_at=now).full_clean()


def test_the_message_is_sanitised_when_saved():
    saved = banner(message='<p>Read <a href="https://example.org">this</a><script>x()</script></p>')
    saved.refresh_from_db()
    assert "<script>" not in saved.message and 'href="https://example.org"' in saved.message


def test_live_banners_come_the_most_severe_first_then_the_latest():
    older_notice = banner(is_live=True, severity=Severity.NOTICE)
    emergency = banner(is_live=True, severity=Severity.EMERGENCY)
    newer_notice = banner(is_live=True, severity=Severity.NOTICE)
    important = banner(is_live=True, severity=Severity.IMPORTANT)
    Banner.objects.filter(pk=older_notice.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert Banner.objects.live().most_severe_first() == [
        emergency,
        important,
        newer_notice,
        older_notice,
    ]
