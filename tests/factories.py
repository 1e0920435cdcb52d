"""Builders shared by the tests: content in a known state, and image files made on the spot."""

import datetime
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from newsletters.models import Issue, Section
from prevent_site.publishing import Status
from resources.models import FundingScheme
from training.models import Event, Workshop


def make_issue(**fields):
    defaults = {
        "title": "Prevent Newsletter, July 2023",
        "slug": "july-2023",
        "volume": 2,
        "month": datetime.date(2023, 7, 1),
        "summary": "News from the Prevent team.",
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(days=1),
    }
    return Issue.objects.create(**(defaults | fields))


def make_section(issue, **fields):
    defaults = {"heading": "Prevent news", "slug": "prevent-news", "body": "<p>News.</p>"}
    return Section.objects.create(issue=issue, **(defaults | fields))


def make_workshop(**fields):
    defaults = {
        "title": "Workshop to Raise Awareness of Prevent",
        "short_name": "WRAP",
        "slug": "wrap",
        "summary": "An introduction to Prevent.",
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(days=1),
    }
    return Workshop.objects.create(**(defaults | fields))


def make_event(**fields):
    starts = timezone.now() + datetime.timedelta(days=10)
    defaults = {
        "title": "Prevent webinar",
        "slug": "prevent-webinar",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=1),
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(days=1),
    }
    return Event.objects.create(**(defaults | fields))


def make_scheme(**fields):
    today = timezone.localdate()
    defaults = {
        "name": "Local community fund",
        "slug": "local-community-fund",
        "summary": "Money for local projects.",
        "opens_on": today - datetime.timedelta(days=5),
        "closes_on": today + datetime.timedelta(days=30),
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(days=1),
    }
    return FundingScheme.objects.create(**(defaults | fields))


# Images ------------------------------------------------------------------------------------

LONDON = ((51.0, 1.0), (30.0, 1.0), (26.0, 1.0))


def image_bytes(size=(1200, 800), image_format="JPEG", mode="RGB", color="teal", exif=None):
    buffer = io.BytesIO()
    image = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **kwargs)
    return buffer.getvalue()


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
