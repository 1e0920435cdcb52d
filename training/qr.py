"""A session's feedback address as a QR code: SVG drawn on the server (segno), no script."""

import segno
from django.conf import settings
from django.utils.safestring import mark_safe


def feedback_address(session):
    """The full address attendees type or scan."""
    return settings.SITE_URL + session.get_feedback_url()


def qr_svg(address, scale=4):
    """An inline SVG of ``address`` with its text alternative.

    segno writes only its own markup and escapes the address in the title; the address is ours
    (SITE_URL and a random code) in any case.
    """
    svg = segno.make(address, error="m").svg_inline(
        scale=scale,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        title=f"QR code for {address}",
        svgclass="app-qr",
        lineclass=None,
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
