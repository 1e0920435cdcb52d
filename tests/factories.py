"""Builders for test data: each returns a saved, published object unless told otherwise."""

import datetime
import itertools

from django.utils import timezone

from newsletters.models import Issue, Section
from prevent_site.publishing import Status
from resources.models import Contact, FundingScheme, ResourceLink, TeamMember
from training.models import CommunityProject, Event, Testimonial, Workshop

_counter = itertools.count(1)


def _n():
    return next(_counter)


def past(days=1):
    return timezone.now() - datetime.timedelta(days=days)


def future(days=1):
    return timezone.now() + datetime.timedelta(days=days)


def make_issue(**overrides):
    n = _n()
    fields = {
        "title": f"Prevent Newsletter {n}",
        "slug": f"issue-{n}",
        "volume": n,
        "month": datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * n),
        "summary": f"Summary of issue {n}.",
        "status": Status.PUBLISHED,
        "publish_at": past(),
    }
    fields.update(overrides)
    return Issue.objects.create(**fields)


def make_section(issue, **overrides):
    n = _n()
    fields = {
        "heading": f"Section {n}",
        "slug": f"section-{n}",
        "body": f"<p>Body {n}</p>",
        "order": n,
    }
    fields.update(overrides)
    return Section.objects.create(issue=issue, **fields)


def make_workshop(**overrides):
    n = _n()
    fields = {
        "title": f"Workshop {n}",
        "slug": f"workshop-{n}",
        "summary": f"What workshop {n} is about.",
        "status": Status.PUBLISHED,
        "publish_at": past(),
    }
    fields.update(overrides)
    return Workshop.objects.create(**fields)


def make_testimonial(workshop, **overrides):
    fields = {"quote": "Very useful", "attribution": "A participant"}
    fields.update(overrides)
    return Testimonial.objects.create(workshop=workshop, **fields)


def make_event(starts_at=None, **overrides):
    n = _n()
    starts_at = starts_at or future(7)
    fields = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=1, minutes=30),
        "status": Status.PUBLISHED,
        "publish_at": past(),
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def make_scheme(opens_on=None, closes_on=None, **overrides):
    n = _n()
    today = timezone.localdate()
    fields = {
        "name": f"Scheme {n}",
        "slug": f"scheme-{n}",
        "summary": f"Funding scheme {n}.",
        "opens_on": opens_on or today - datetime.timedelta(days=10),
        "closes_on": closes_on or today + datetime.timedelta(days=10),
        "status": Status.PUBLISHED,
        "publish_at": past(),
    }
    fields.update(overrides)
    return FundingScheme.objects.create(**fields)


def make_project(**overrides):
    n = _n()
    fields = {
        "title": f"Project {n}",
        "slug": f"project-{n}",
        "year_span": "2022-23",
        "summary": f"Project {n} summary.",
    }
    fields.update(overrides)
    return CommunityProject.objects.create(**fields)


def make_member(**overrides):
    n = _n()
    fields = {"name": f"Person Number{n}", "slug": f"person-{n}", "role": "Prevent Officer"}
    fields.update(overrides)
    return TeamMember.objects.create(**fields)


def make_contact(**overrides):
    n = _n()
    fields = {"service": f"Service {n}", "slug": f"service-{n}", "email": f"s{n}@example.org"}
    fields.update(overrides)
    return Contact.objects.create(**fields)


def make_link(**overrides):
    n = _n()
    fields = {
        "title": f"Link {n}",
        "slug": f"link-{n}",
        "url": f"https://example.org/{n}",
        "category": ResourceLink.Category.RESEARCH,
    }
    fields.update(overrides)
    return ResourceLink.objects.create(**fields)
