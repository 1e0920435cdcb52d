"""iCalendar (RFC 5545) files for events, so people can add them to their calendars."""

import datetime

from django.conf import settings
from django.utils import timezone

from blocks import richtext


def _escape(text):
    return (
        text.replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line):
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 section 3.1)."""
    encoded = line.encode()
    parts = []
    while len(encoded) > 75:
        cut = 75 if not parts else 74
        # Never split a multi-byte UTF-8 character.
        while cut and (encoded[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
    parts.append(encoded.decode())
    return "\r\n ".join(parts)


def _utc(value):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_for(event):
    # The public address, as in emails and the sitemap: a calendar keeps the link for good.
    url = settings.SITE_URL + event.get_absolute_url()
    location = "Online" if event.online else event.venue
    description = richtext.plain_text(event.description)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Westminster City Council//Prevent team//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@prevent.westminster.gov.uk",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
