"""The Arabic and Bengali pages in a real browser: mirrored, accessible in every form state, no
sideways scrolling at 320 px, and the Arabic report form sent with a keyboard alone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_request_form_a11y import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TRANSLATED = [
    f"/{code}/{path}"
    for code in ("ar", "bn")
    for path in (
        "",
        "worried-about-someone/",
        "contacts/",
        "report/",
        "search/?q=prevent",
        "staying-safe-online/",
        "training/request/",
        "accessibility/",
        "privacy/",
    )
] + [
    "/ar/search/?q=الخط+الساخن",
    "/bn/search/?q=xylophone",
    # The English results' help: "Did you mean …?" and the partial-match notice.
    "/ar/search/?q=grroming",
    "/bn/search/?q=grooming+xylophone",
]


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [320, 1280])
def test_translated_pages_and_their_form_errors_pass_axe_and_fit(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in TRANSLATED:
        page.goto(loaded_site.url + path)
        if report := axe_violations(page):
            problems[path] = report
        if scroll_width(page) > width:
            problems[path] = f"scrolls sideways: {scroll_width(page)} px"
        if path.endswith(("/report/", "/training/request/")):
            page.locator("#id_submit").click()
            expect(page.locator(".govuk-error-summary")).to_be_focused()
            if report := axe_violations(page):
                problems[path + " (errors)"] = report
            if scroll_width(page) > width:
                problems[path + " (errors)"] = f"scrolls sideways: {scroll_width(page)} px"
    assert not problems, "\n\n".join(f"{path}\n{report}" for path, report in problems.items())


def test_arabic_pages_are_mirrored(page, loaded_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(loaded_site.url + "/ar/worried-about-someone/")

    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    heading = page.get_by_role("heading", level=1).bounding_box()
    main = page.locator("main").bounding_box()
    # The heading starts at the right edge of the page's column, not the left.
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 2
    # The warning's icon sits to the right of its text.
    icon = page.locator(".govuk-warning-text__icon").first.bounding_box()
    text = page.locator(".govuk-warning-text__text").first.bounding_box()
    assert icon["x"] > text["x"]
    # The number reads left to right and still dials.
    number = page.locator('a[href="tel:08000113764"]').first
    expect(number).to_have_text("0800 011 3764")
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_the_arabic_report_form_with_the_keyboard_alone(page, loaded_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(loaded_site.url + "/ar/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "أبلغ عن منشورات أو ملصقات أو كتابات جدارية متطرفة"
    )

    tab_to(page, r"^input radio: منشور")
    page.keyboard.press("ArrowDown")  # the next kind in the group: a sticker
    expect(page.get_by_label("ملصق لاصق")).to_be_checked()
    tab_to(page, r"^textarea .*: ماذا يقول أو يعرض")
    page.keyboard.type("ملصق عليه شعار كراهية")
    tab_to(page, r"^textarea .*: أين رأيته")
    page.keyboard.type("عمود إنارة أمام 10 Example Street")
    seen = timezone.localdate() - datetime.timedelta(days=2)
    tab_to(page, r"^input text: اليوم")
    page.keyboard.type(str(seen.day))
    tab_to(page, r"^input text: الشهر")
    page.keyboard.type(str(seen.month))
    tab_to(page, r"^input text: السنة")
    page.keyboard.type(str(seen.year))
    tab_to(page, r"^input radio: نعم")
    page.keyboard.press("Space")
    tab_to(page, r"^button submit: أرسل البلاغ")
    page.keyboard.press("Enter")

    page.wait_for_url(loaded_site.url + "/ar/report/sent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("تم إرسال البلاغ")
    expect(page.locator(".govuk-panel__body")).to_contain_text(re.compile(r"REP-\d{4}-\d{4}"))
    assert axe_violations(page) == ""
    report = Report.objects.get()
    assert (report.language, report.kind, report.seen_on) == ("ar", "sticker", seen)
    assert report.description == "ملصق عليه شعار كراهية"
