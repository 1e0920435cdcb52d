"""The search page in Arabic and Bengali (/ar/search/, /bn/search/): its English results get the
English search's help, in the reader's language: "Did you mean …?", the notice that no result has
every word, and "Closed" or "Past event" on a scheme or an event that is over."""

import re

import pytest

from tests.factories import future, make_event, make_link, make_scheme, make_workshop, past

pytestmark = pytest.mark.django_db

DID_YOU_MEAN = {"ar": "هل تقصد", "bn": "আপনি কি"}
PARTIAL = {
    "ar": "لا توجد نتائج تحتوي على كل كلماتك. نعرض نتائج تحتوي على بعضها.",
    "bn": "কোনো ফলাফলে আপনার সব শব্দ নেই। কিছু শব্দের ফলাফল দেখানো হচ্ছে।",
}
CLOSED = {"ar": "مغلق", "bn": "বন্ধ"}
PAST_EVENT = {"ar": "فعالية سابقة", "bn": "আগের অনুষ্ঠান"}
# Where the English results start on the translated page.
ENGLISH_RESULTS = '<ol class="govuk-list app-search-results" lang="en-GB" dir="ltr">'
_result = re.compile(r'<h3 [^>]*><a class="govuk-link" href="[^"]*" hreflang="en-GB">(.*?)</a>')


def search(client, code, q):
    return client.get(f"/{code}/search/", {"q": q}).text


def english_titles(page):
    """The titles of the English results, in order, without their marks."""
    if ENGLISH_RESULTS not in page:
        return []
    english = page[page.index(ENGLISH_RESULTS) :]
    return [re.sub(r"</?mark>", "", title) for title in _result.findall(english)]


@pytest.mark.parametrize("code", ["ar", "bn"])
def test_a_misspelt_word_is_offered_the_word_the_site_uses_in_the_readers_language(client, code):
    make_workshop(title="Online grooming", summary="For parents and carers.")
    page = search(client, code, "grroming")

    suggestion = re.search(
        r'<p class="govuk-body-l app-search-suggestion">(.*?)</p>', page, re.DOTALL
    )
    assert suggestion is not None
    assert DID_YOU_MEAN[code] in suggestion.group(1)
    # The word offered is English, and marked so; following it stays on the translated page.
    assert '<a class="govuk-link" href="?q=grooming" lang="en-GB" dir="ltr">grooming</a>' in (
        suggestion.group(1)
    )
    followed = client.get(f"/{code}/search/?q=grooming").text
    assert english_titles(followed) == ["Online grooming"]
    assert "app-search-suggestion" not in followed


@pytest.mark.parametrize("code", ["ar", "bn"])
def test_when_no_english_result_has_every_word_the_page_says_so_in_the_readers_language(
    client, code
):
    make_workshop(title="Online safety", summary="For schools.")
    page = search(client, code, "online knitting")

    assert english_titles(page) == ["Online safety"]
    assert PARTIAL[code] in page
    assert PARTIAL[code] not in search(client, code, "online")


@pytest.mark.parametrize("code", ["ar", "bn"])
def test_a_closed_scheme_and_a_past_event_say_so_in_the_readers_language(client, code):
    make_scheme(name="Old grants scheme", opens_on=past(60).date(), closes_on=past(30).date())
    make_scheme(name="Open grants scheme", closes_on=future(30).date())
    make_event(title="Old grants event", starts_at=past(10))
    make_event(title="New grants event", starts_at=future(10))
    page = search(client, code, "grants")
    english = page[page.index(ENGLISH_RESULTS) :]
    results = re.findall(r'<li class="app-search-result">(.*?)</li>', english, re.DOTALL)
    said = {re.sub(r"</?mark>", "", _result.search(r).group(1)): r for r in results}

    # In the reader's language inside the English list, and marked as such.
    tag = '<strong class="govuk-tag govuk-tag--grey" lang="{}" dir="{}">{}</strong>'
    direction = "rtl" if code == "ar" else "ltr"
    assert tag.format(code, direction, CLOSED[code]) in said["Old grants scheme"]
    assert tag.format(code, direction, PAST_EVENT[code]) in said["Old grants event"]
    assert "govuk-tag" not in said["Open grants scheme"]
    assert "govuk-tag" not in said["New grants event"]


@pytest.mark.parametrize("matching", [6, 30])
def test_a_translated_search_takes_the_same_number_of_queries_however_many_results(
    client, django_assert_num_queries, matching
):
    for n in range(matching):
        make_link(title=f"Extremism guidance {n}", description="Extremism " * n)
        make_workshop(title=f"Extremism workshop {n}")
    # The Arabic text of each translated model that has pages (introductions, ways to get help,
    # contacts); the team's synonyms, the English kinds and their counts, the first English
    # results, the log of the search; whether a translator checked the page, the live banners,
    # whether the team marked the page sensitive.
    with django_assert_num_queries(10):
        page = search(client, "ar", "extremism")
    assert len(english_titles(page)) == 10
    # When no English result has every word, one more: the words of the index near those typed.
    with django_assert_num_queries(11):
        page = search(client, "ar", "extremism knitting")
    assert len(english_titles(page)) == 10
