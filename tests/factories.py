"""Builders for tests: content (saved and published unless told otherwise) and image files."""

import datetime
import io
import itertools
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from blocks.publishing import Status
from newsletters.models import Issue, Section
from outbox.models import OutboundEmail
from reports.models import Report, ReportPhoto
from resources.models import Contact, FundingScheme, HelpRoute, ResourceLink, TeamMember, Topic
from training.models import (
    Attendance,
    CommunityProject,
    Event,
    Feedback,
    Session,
    Testimonial,
    TrainingRequest,
    Workshop,
)

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


def make_help_route(**overrides):
    n = _n()
    fields = {
        "name": f"Helpline {n}",
        "slug": f"helpline-{n}",
        "part": HelpRoute.Part.PUBLIC,
        "description": f"What helpline {n} is for.",
        # Ofcom's range for drama, which no real line uses.
        "phone": f"020 7946 0{n % 1000:03d}",
        "hours": "Every day, 9am to 5pm",
    }
    fields.update(overrides)
    return HelpRoute.objects.create(**fields)


def make_topic(**overrides):
    n = _n()
    fields = {"name": f"Topic {n}", "slug": f"topic-{n}", "description": f"About topic {n}."}
    fields.update(overrides)
    return Topic.objects.create(**fields)


def tag_with_topics(items, topics):
    """Give every item (of one model or several) every topic, in one insert per model."""
    rows = {}
    for item in items:
        through = type(item).topics.through
        field = f"{type(item)._meta.model_name}_id"
        rows.setdefault(through, []).extend(
            through(**{field: item.pk, "topic_id": topic.pk}) for topic in topics
        )
    for through, objs in rows.items():
        through.objects.bulk_create(objs)


def make_newsletter_content(scale=1):
    """A site filled like the July 2023 newsletter, times ``scale``.

    At scale 1: 2 issues of 6 sections, 4 workshops (2 testimonials each), 10 events (half of
    them past), 20 resource links, 2 funding schemes, 2 community projects, 4 team members,
    4 contacts and 10 ways to get help (2 for each part of the page). The newest issue's
    sections, the first workshop and the first scheme link to a share of everything that grows
    with ``scale``, so their pages grow too. Returns the objects whose pages are worth visiting.
    """
    today = timezone.localdate()
    workshops = [make_workshop(order=i) for i in range(4 * scale)]
    for workshop in workshops:
        for _ in range(2):
            make_testimonial(workshop)
    for _ in range(2 * scale):
        make_testimonial(workshops[0])
    schemes = [
        make_scheme(
            opens_on=today - datetime.timedelta(days=30 - i),
            closes_on=today + datetime.timedelta(days=i - 5),
        )
        for i in range(2 * scale)
    ]
    events = [
        make_event(
            starts_at=future(i + 1) if i % 2 else past(i + 1),
            workshop=workshops[i % len(workshops)] if i % 3 == 0 else None,
            funding_scheme=schemes[0] if i % 3 == 1 else None,
        )
        for i in range(10 * scale)
    ]
    projects = [make_project(workshop=workshops[i % len(workshops)]) for i in range(2 * scale)]
    members = [make_member(order=i) for i in range(4 * scale)]
    contacts = [make_contact(order=i) for i in range(4 * scale)]
    parts = list(HelpRoute.Part)
    for i in range(10 * scale):
        make_help_route(order=i, part=parts[i % len(parts)])
    categories = list(ResourceLink.Category)
    links = [make_link(category=categories[i % len(categories)]) for i in range(20 * scale)]
    issues = [make_issue() for _ in range(2 * scale)]
    for issue in issues:
        sections = [make_section(issue) for _ in range(6)]
        if issue is issues[-1]:
            sections[0].team_members.set(members)
            sections[1].workshops.set(workshops)
            sections[1].projects.set(projects)
            sections[2].events.set(events)
            sections[2].funding_schemes.set(schemes)
            sections[3].resource_links.set(links)
            sections[4].contacts.set(contacts)
    # Topics: every item carries both, so the topic pages and the topics on each item's page
    # grow with ``scale``; and every issue has a "Prevent news", so its history page does too.
    topics = [make_topic(order=i) for i in range(2)]
    all_sections = list(Section.objects.filter(issue__in=issues))
    tag_with_topics([*all_sections, *workshops, *events, *links, *schemes], topics)
    for issue in issues:
        issue.sections.filter(pk=issue.sections.earliest("order").pk).update(
            slug="prevent-news", heading="Prevent news"
        )
    return {
        "issue": issues[-1],
        "workshop": workshops[0],
        "event": next(e for e in events if e.workshop_id and e.ends_at > timezone.now())
        if any(e.workshop_id and e.ends_at > timezone.now() for e in events)
        else events[0],
        "scheme": schemes[0],
        "project": projects[0],
        "topic": topics[0],
        "section_heading": "prevent-news",
    }


def request_form_data(**overrides):
    """What a browser posts for a complete, valid training request; None leaves a field out."""
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "workshop": "not-sure",
        "organisation": "St Mary's Primary School",
        "sector": "school",
        "contact_name": "Amina Khan",
        "job_title": "Designated safeguarding lead",
        "email": "amina.khan@example.org",
        "phone": "020 7946 0000",
        "who_it_is_for": "Teaching and support staff",
        "participants": "25",
        "delivery": "in-person",
        "location": "1 Example Street, London W2 1AA",
        "preferred_date_1_0": str(next_month.day),
        "preferred_date_1_1": str(next_month.month),
        "preferred_date_1_2": str(next_month.year),
        "accessibility_needs": "Step-free access please",
        "message": "We would like the session after school.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_outbound_email(about=None, **overrides):
    """An email in the outbox, waiting and due now unless told otherwise; not handed to the
    worker. About a training request unless ``about`` is given."""
    fields = {
        "about": about or make_training_request(),
        "kind": "team",
        "to": "prevent@westminster.gov.uk",
        "subject": "New training request",
        "text": "A new training request.",
        "html": "<p>A new training request.</p>",
    }
    fields.update(overrides)
    return OutboundEmail.objects.create(**fields)


def make_training_request(**overrides):
    n = _n()
    fields = {
        "reference": f"TEST-{n:04d}",
        "organisation": "St Mary's Primary School",
        "sector": TrainingRequest.Sector.SCHOOL,
        "contact_name": "Amina Khan",
        "email": "amina.khan@example.org",
        "who_it_is_for": "Teaching staff",
        "participants": 25,
        "delivery": TrainingRequest.Delivery.ONLINE,
        "consent": True,
    }
    fields.update(overrides)
    return TrainingRequest.objects.create(**fields)


def report_form_data(**overrides):
    """What a browser posts for a complete, valid report; None leaves a field out."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "kind": "sticker",
        "kind_other": "",
        "description": "A sticker with a hate slogan and a web address",
        "place": "Lamp post outside 10 Example Street",
        "postcode": "w2 1aa",
        "seen_on_0": str(yesterday.day),
        "seen_on_1": str(yesterday.month),
        "seen_on_2": str(yesterday.year),
        "still_there": "yes",
        "contact_name": "Sam Patel",
        "email": "sam.patel@example.org",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_report(**overrides):
    n = _n()
    fields = {
        "reference": f"REP-2026-{n:04d}",
        "kind": Report.Kind.STICKER,
        "description": "A sticker with a hate slogan",
        "place": "Lamp post outside 10 Example Street",
        "postcode": "W2 1AA",
        "seen_on": timezone.localdate() - datetime.timedelta(days=1),
        "still_there": Report.StillThere.YES,
    }
    fields.update(overrides)
    return Report.objects.create(**fields)


def make_report_photo(report, size=(800, 600), **overrides):
    """A photo of ``report`` in the private store, as the form saves it (no metadata)."""
    photo = ReportPhoto(report=report, width=size[0], height=size[1], **overrides)
    preview = ReportPhoto.preview_bytes(Image.new("RGB", size, "teal"))
    photo.store(image_bytes(size), "jpg", preview)
    photo.save()
    return photo


def image_bytes(size=(1200, 800), image_format="JPEG", mode="RGB", color="teal", exif=None):
    buffer = io.BytesIO()
    image = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **kwargs)
    return buffer.getvalue()


def heic_bytes(size=(1200, 800), color="teal", exif=None):
    """A HEIC photo as an iPhone saves it, encoded by pillow-heif (libheif)."""
    heif = pillow_heif.from_pillow(Image.new("RGB", size, color))
    buffer = io.BytesIO()
    heif.save(buffer, quality=60, **({"exif": exif.tobytes()} if exif is not None else {}))
    return buffer.getvalue()


def heic_upload(size=(1200, 800), name="IMG_0412.HEIC", **kwargs):
    return upload(heic_bytes(size, **kwargs), name, "image/heic")


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(size=(1200, 800), name="photo.jpg", **kwargs):
    return upload(image_bytes(size, **kwargs), name)


def exif_with_gps(orientation=None):
    """EXIF as a phone writes it: camera, GPS position and (optionally) orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Phone 12"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def huge_png():
    """Just over 40 megapixels; one bit per pixel, so a small file that is quick to make."""
    return upload(image_bytes((8000, 5001), "PNG", mode="1", color=1), "huge.png", "image/png")


def bomb_png(width=100_000, height=100_000):
    """A tiny PNG whose header claims an enormous picture (10 gigapixels)."""
    png = image_bytes((1, 1), "PNG", mode="L", color=0)
    # The IHDR chunk starts at byte 8: length, type, then width and height; fix its CRC.
    ihdr = bytearray(png[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return upload(png[:16] + bytes(ihdr) + crc + png[33:], "bomb.png", "image/png")


def oversize_file():
    """Over 10 MB; a JPEG's first bytes, then padding."""
    return upload(b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024), "big.jpg")


def not_an_image():
    return upload(b"%PDF-1.4 this is a document, not a picture", "photo.jpg")


def make_session(workshop=None, starts_at=None, attendance=None, **overrides):
    """A two-hour session of ``workshop``, ended yesterday unless told otherwise, with its
    attendance by sector ({sector: count}) if given."""
    starts_at = starts_at or past(days=1)
    fields = {
        "workshop": workshop or make_workshop(),
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "organisation": "St Mary's Primary School",
        "organiser_email": "organiser@example.org",
    }
    fields.update(overrides)
    session = Session.objects.create(**fields)
    for sector, count in (attendance or {}).items():
        Attendance.objects.create(session=session, sector=sector, attendees=count)
    return session


def feedback_form_data(**overrides):
    """What a browser posts for a complete, valid feedback form; None leaves a field out."""
    data = {
        "sector": "school",
        "prevent_before": "2",
        "prevent_after": "4",
        "signs_before": "1",
        "signs_after": "4",
        "referral_before": "2",
        "referral_after": "5",
        "most_useful": "The case studies",
        "could_be_better": "More time for questions",
        "quote": "I now know who to call when I am worried about a pupil.",
        "naming": "role",
        "role": "teacher",
        "first_name": "",
        "publish_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_feedback(session, **overrides):
    n = _n()
    fields = {
        "reference": f"FB-TEST-{n:04d}",
        "prevent_before": 2,
        "prevent_after": 4,
        "signs_before": 1,
        "signs_after": 4,
        "referral_before": 2,
        "referral_after": 5,
    }
    fields.update(overrides)
    return Feedback.objects.create(session=session, **fields)
