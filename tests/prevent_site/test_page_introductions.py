"""The opening words of the home page, "Worried about someone?", the report form and the statutory
pages' summaries: written by the team in the admin, beside English in each language, and shown
in the reader's language, with what stays English marked so (WCAG 3.1.2)."""

import os
import re
import subprocess
import sys
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from blocks.models import PageIntroduction, TranslationCheck

pytestmark = pytest.mark.django_db

ENGLISH = ' lang="en-GB" dir="ltr"'


@pytest.fixture
def content():
    call_command("load_initial_content", verbosity=0)


def html_tag(page):
    return re.search(r"<html [^>]*>", page).group(0)


def english_lists(page):
    """The lists on the page marked as English."""
    return re.findall(r'<ul class="govuk-list[^"]*" lang="en-GB" dir="ltr">(.*?)</ul>', page, re.S)


def change_form(introduction, **texts):
    data = {"text_en_gb": introduction.text_en_gb, "text_ar": "", "text_bn": "", "_save": "Save"}
    data.update(texts)
    return data


def change_url(page):
    introduction = PageIntroduction.objects.get(page=page)
    return introduction, reverse(
        "admin:prevent_site_pageintroduction_change", args=[introduction.pk]
    )


# --- The home page ------------------------------------------------------------------------------


def test_the_arabic_home_page_is_in_arabic_with_the_teams_content_marked_english(client, content):
    response = client.get("/ar/")
    page = response.text

    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in html_tag(page)
    assert '<h1 class="govuk-heading-xl">فريق Prevent في وستمنستر</h1>' in page
    # The introduction the team wrote in Arabic, as the lead paragraph.
    assert '<p class="govuk-body-l">برنامج Prevent جزء من استراتيجية المملكة المتحدة' in page
    assert '<h2 class="govuk-heading-l">تدريب مجاني</h2>' in page
    # The pages there are in Arabic, in Arabic.
    assert (
        '<a class="govuk-link" href="/ar/worried-about-someone/">هل أنت قلق على شخص ما؟</a>' in page
    )
    assert '<a class="govuk-link" href="/ar/report/">' in page
    # The newsletter, workshops, events and schemes are the team's English: marked so, linking
    # to their English pages (not through a redirect), with English dates.
    wrap = "Workshop to Raise Awareness of Prevent"
    assert any(wrap in part for part in english_lists(page))
    assert re.search(r'href="/training/[a-z-]+/">' + wrap, page)
    assert not re.search(r'href="/ar/(training|events|funding|newsletters)/(?!request/)', page)
    assert "بقية هذا الموقع باللغة الإنجليزية." in page
    # The team's email, never translated, read left to right.
    assert (
        'href="mailto:prevent@westminster.gov.uk" dir="ltr">prevent@westminster.gov.uk</a>' in page
    )


def test_the_bengali_home_page_is_in_bengali(client, content, settings):
    page = client.get("/bn/").text

    assert 'lang="bn" dir="ltr"' in html_tag(page)
    assert '<p class="govuk-body-l">প্রিভেন্ট যুক্তরাজ্যের সন্ত্রাসবাদ প্রতিরোধ কৌশলের অংশ।' in page
    assert '<link rel="alternate" hreflang="ar" href="' + settings.SITE_URL + '/ar/">' in page
    assert '<link rel="alternate" hreflang="x-default" href="' + settings.SITE_URL + '/">' in page


def test_the_english_home_page_reads_as_before_and_offers_both_languages(client, content):
    page = client.get("/").text

    assert (
        '<p class="govuk-body-l">Prevent is part of the UK&#x27;s counter-terrorism strategy.'
        in page
    )
    assert (
        '<p class="govuk-body">Westminster City Council&#x27;s four Prevent officers work with '
        "communities, schools and professionals." in page
    )
    assert 'href="/ar/"' in page
    assert 'href="/bn/"' in page
    # Nothing on an English page is marked as English, and nothing says "Pages in your language".
    assert ENGLISH not in page.split("<main", 1)[1]
    assert "Pages in your language" not in page


# --- Statutory pages: a summary in each language, the rest in English ---------------------------


def test_the_arabic_privacy_notice_has_its_summary_in_arabic_and_the_rest_in_english(
    client, content, settings
):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 90
    page = client.get("/ar/privacy/").text

    assert 'lang="ar" dir="rtl"' in html_tag(page)
    assert '<h1 class="govuk-heading-xl">إشعار الخصوصية</h1>' in page
    assert "مجلس مدينة وستمنستر هو الجهة المتحكّمة في البيانات." in page
    assert "بقية هذه الصفحة متوفرة باللغة الإنجليزية فقط." in page
    # The full notice follows in English, marked so, with its periods from settings in English
    # words and its links to English pages.
    rest = page[page.index('<div lang="en-GB" dir="ltr">') :]
    assert '<h2 class="govuk-heading-l">What we collect</h2>' in rest
    assert "automatically 90 days after we receive them" in rest
    assert 'href="/cookies/"' in rest
    assert "The rest of this page" not in client.get("/privacy/").text


def test_the_bengali_accessibility_statement_has_its_summary_in_bengali(client, content):
    page = client.get("/bn/accessibility/").text

    assert "ওয়েবসাইটের অ্যাক্সেসিবিলিটি বিবৃতি</h1>" in page
    assert "ওয়েবসাইটটি ওয়েব কনটেন্ট অ্যাক্সেসিবিলিটি গাইডলাইনস (WCAG)" in page
    assert (
        '<a class="govuk-link" href="mailto:prevent@westminster.gov.uk">prevent@westminster.gov.uk'
        "</a> ঠিকানায় ইমেল করুন।" in page
    )
    rest = page[page.index('<div lang="en-GB" dir="ltr">') :]
    assert "Compliance status" in rest


def test_the_english_privacy_notice_says_who_the_data_controller_is_once(client, content):
    page = client.get("/privacy/").text

    assert page.count("Westminster City Council is the data controller.") == 1
    assert "To use your rights, or to ask about this notice, email" in page
    assert '<h2 class="govuk-heading-l">What we collect</h2>' in page


def test_the_new_pages_are_labelled_unchecked_until_the_team_marks_them(client, content):
    assert "لم يراجع مترجم مؤهَّل هذه الترجمة بعد." in client.get("/ar/privacy/").text

    TranslationCheck.objects.create(page="privacy", language="ar", checked_by="Example Ltd")

    assert "لم يراجع مترجم مؤهَّل هذه الترجمة بعد." not in client.get("/ar/privacy/").text
    assert "A qualified translator has not checked" in client.get("/ar/").text


def test_the_sitemap_lists_the_home_and_statutory_pages_in_each_language(client, settings):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {url.find("sm:loc", ns).text for url in root.findall("sm:url", ns)}

    for path in ("/", "/ar/", "/bn/", "/ar/privacy/", "/bn/accessibility/"):
        assert settings.SITE_URL + path in locations, path


# --- The team edits them in the admin -----------------------------------------------------------


def test_the_admin_shows_each_language_beside_english_and_lists_every_page(editor_client):
    introduction, url = change_url("home")
    form = editor_client.get(url).text

    for name in ("text_en_gb", "text_ar", "text_bn"):
        assert f'name="{name}"' in form, name
    # Arabic is typed right to left, and each box is in its own language for screen readers.
    assert re.search(r'<textarea [^>]*name="text_ar"[^>]*>', form).group(0).count('dir="rtl"') == 1
    assert 'lang="ar"' in re.search(r'<textarea [^>]*name="text_ar"[^>]*>', form).group(0)
    bengali = re.search(r'<textarea [^>]*name="text_bn"[^>]*>', form).group(0)
    assert 'lang="bn"' in bengali and 'dir="ltr"' in bengali
    listing = editor_client.get(reverse("admin:prevent_site_pageintroduction_changelist")).text
    for name in (
        "Home page",
        "Worried about someone?",
        "Report extremist leaflets, stickers or graffiti",
        "Accessibility statement",
        "Privacy notice",
    ):
        assert name in listing, name


def test_an_edit_in_the_admin_shows_in_each_language(editor_client, client):
    introduction, url = change_url("reports:report")

    response = editor_client.post(
        url,
        change_form(
            introduction,
            text_en_gb="Tell us what you saw.\n\nWe read every report.",
            text_ar="أخبرنا بما رأيت.",
            text_bn="আপনি কী দেখেছেন আমাদের জানান।",
        ),
    )

    assert response.status_code == 302
    english = client.get("/report/").text
    assert '<p class="govuk-body-l">Tell us what you saw.</p>' in english
    assert '<p class="govuk-body">We read every report.</p>' in english
    assert '<p class="govuk-body-l">أخبرنا بما رأيت.</p>' in client.get("/ar/report/").text
    assert (
        '<p class="govuk-body-l">আপনি কী দেখেছেন আমাদের জানান।</p>' in client.get("/bn/report/").text
    )


def test_a_language_left_empty_shows_the_english_marked_english(editor_client, client):
    introduction, url = change_url("resources:help-route-list")

    editor_client.post(url, change_form(introduction, text_ar="نص عربي"))

    page = client.get("/bn/worried-about-someone/").text
    assert f'<p class="govuk-body-l"{ENGLISH}>If you are worried that someone you know' in page
    assert '<p class="govuk-body-l">نص عربي</p>' in client.get("/ar/worried-about-someone/").text


def test_english_is_required_and_a_refused_edit_changes_nothing(editor_client, client):
    introduction, url = change_url("home")

    response = editor_client.post(url, change_form(introduction, text_en_gb="", text_ar="نص"))

    assert response.status_code == 200
    assert "This field is required." in response.text
    introduction.refresh_from_db()
    assert introduction.text_en_gb.startswith("Prevent is part of the UK")
    assert introduction.text_ar.startswith("برنامج Prevent")


def test_markup_typed_into_an_introduction_is_shown_as_text(editor_client, client):
    introduction, url = change_url("home")

    editor_client.post(
        url,
        change_form(introduction, text_ar='<script>alert("x")</script><a href="//evil">هنا</a>'),
    )

    page = client.get("/ar/").text
    assert "<script>alert" not in page and 'href="//evil"' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_editors_change_the_pages_but_neither_add_nor_delete_one(editor_client):
    introduction, _ = change_url("privacy")

    add = editor_client.get(reverse("admin:prevent_site_pageintroduction_add"))
    delete = editor_client.post(
        reverse("admin:prevent_site_pageintroduction_delete", args=[introduction.pk]),
        {"post": "yes"},
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert PageIntroduction.objects.filter(page="privacy").exists()


def test_paragraphs_are_separated_by_blank_lines_and_lines_within_are_joined():
    introduction = PageIntroduction(
        text="First line\nsame paragraph.\n\n \n\nSecond.\r\n\r\nThird."
    )

    assert introduction.paragraphs() == ["First line same paragraph.", "Second.", "Third."]


def test_a_page_whose_introduction_is_gone_still_answers(client):
    PageIntroduction.objects.filter(page="accessibility").delete()

    response = client.get("/ar/accessibility/")

    assert response.status_code == 200
    assert "بيان إمكانية الوصول لموقع فريق Prevent في وستمنستر" in response.text


def test_arabic_search_finds_a_pages_introduction_under_the_pages_arabic_name(client):
    page = client.get("/ar/search/", {"q": "المتحكّمة في البيانات"}).text

    result = re.search(r'<a class="govuk-link" href="/ar/privacy/">([^<]+)</a>', page)
    assert result and result.group(1).strip() == "إشعار الخصوصية"
    # Its extract is the Arabic summary, the words searched for marked.
    assert "الجهة <mark>المتحكّمة</mark> <mark>في</mark> <mark>البيانات</mark>" in page


def test_the_site_wide_pages_are_translated_from_start_up_before_any_address_is_resolved():
    """An email the worker renders before any request resolves an address links to /ar/."""
    code = (
        "import django; django.setup()\n"
        "from django.utils import translation\n"
        "from blocks.templatetags.languages import page_url\n"
        "with translation.override('ar'):\n"
        "    print(page_url('privacy'), page_url('home'), page_url('accessibility'))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "prevent_site.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["/ar/privacy/", "/ar/", "/ar/accessibility/"]
