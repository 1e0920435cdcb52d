"""Every public page passes axe's WCAG 2.2 A and AA rules in a real browser, narrow and wide."""

import pytest
from axe_playwright_python.sync_playwright import Axe

# django_db: the test database must exist for loaded_site; each test itself writes nothing.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"320px": 320, "desktop": 1280}
# Pages the crawl cannot reach with the July 2023 content alone: a section heading's page is
# linked from an issue only once another issue has the same section.
UNLINKED_PAGES = ["/newsletters/sections/prevent-news/"]


def axe_violations(page):
    """axe's report on the page, or "" when it breaks none of the WCAG A and AA rules."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.generate_report() if results.violations_count else ""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_public_page_has_no_wcag_a_or_aa_violations(page, loaded_site, public_pages, width):
    page.set_viewport_size({"width": width, "height": 900})
    reports = {}
    for path in public_pages + UNLINKED_PAGES:
        page.goto(loaded_site.url + path)
        if report := axe_violations(page):
            reports[path] = report
    assert not reports, "\n\n".join(f"{path}\n{report}" for path, report in reports.items())


# The search page is reached through a form, not a link, so the crawl does not find it.
SEARCH_PAGES = [
    "/search/",
    "/search/?q=prevent",  # results, on two pages
    "/search/?q=prevent&kind=workshop",  # a filter applied
    "/search/?q=xylophone",  # nothing found
    "/search/?q=grroming",  # "Did you mean …?"
    "/search/?q=grooming+xylophone",  # results with only some of the words
]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_search_page_has_no_wcag_a_or_aa_violations(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    reports = {}
    for path in SEARCH_PAGES:
        page.goto(loaded_site.url + path)
        if report := axe_violations(page):
            reports[path] = report
    assert not reports, "\n\n".join(f"{path}\n{report}" for path, report in reports.items())
