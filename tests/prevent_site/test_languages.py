"""Help in the languages residents read: English at today's addresses, Arabic (right to left) and
Bengali under /ar/ and /bn/, with honest labels on translations nobody has checked yet."""

import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from blocks.models import TranslationCheck
from reports.models import Report
from resources.models import HelpRoute
from tests.factories import make_help_route, make_workshop, report_form_data, request_form_data
from tests.mail import html_part
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db

ACT_EARLY_NUMBER = "0800 011 3764"


@pytest.fixture
def content():
    call_command("load_initial_content", verbosity=0)


def html_tag(page):
    return re.search(r"<html [^>]*>", page).group(0)


def hreflangs(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_arabic_help_page_is_right_to_left_in_arabic_with_the_act_early_number_to_tap(
    client, content, settings
):
    response = client.get("/ar/worried-about-someone/")
    page = response.text

    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    assert 'lang="ar" dir="rtl"' in html_tag(page)
    assert '<h1 class="govuk-heading-xl">هل أنت قلق على شخص ما؟</h1>' in page
    # The help routes' own text, written in the admin, in Arabic too.
    assert "خط دعم ACT Early" in page
    # The number as dialled, never translated, read left to right inside the Arabic text.
    assert f'href="tel:08000113764" dir="ltr">{ACT_EARLY_NUMBER}</a>' in page
    assert 'href="tel:999" dir="ltr">999</a>' in page
    # The mirrored stylesheet.
    assert "/static/css/site-rtl.css" in page and "/static/css/site.css" not in page
    assert hreflangs(page) == {
        "en-GB": settings.SITE_URL + "/worried-about-someone/",
        "ar": settings.SITE_URL + "/ar/worried-about-someone/",
        "bn": settings.SITE_URL + "/bn/worried-about-someone/",
        "x-default": settings.SITE_URL + "/worried-about-someone/",
    }


def test_bengali_help_page_is_left_to_right_in_bengali(client, content):
    page = client.get("/bn/worried-about-someone/").text

    assert 'lang="bn" dir="ltr"' in html_tag(page)
    assert "কাউকে নিয়ে চিন্তিত?" in page
    assert f'href="tel:08000113764">{ACT_EARLY_NUMBER}</a>' in page
    assert "/static/css/site.css" in page
    assert set(hreflangs(page)) == {"en-GB", "ar", "bn", "x-default"}


def test_language_switcher_names_each_language_in_itself_and_the_english_page_links_to_both(
    client, content
):
    page = client.get("/worried-about-someone/").text

    assert 'lang="en-GB" dir="ltr"' in html_tag(page)
    assert (
        '<span class="govuk-language-navigation__text" aria-current="true" lang="en-GB" '
        'dir="ltr">English</span>'
    ) in page
    assert (
        '<a class="govuk-language-navigation__link" href="/ar/worried-about-someone/" '
        'rel="alternate" lang="ar" hreflang="ar" dir="rtl">العربية</a>'
    ) in page
    assert (
        '<a class="govuk-language-navigation__link" href="/bn/worried-about-someone/" '
        'rel="alternate" lang="bn" hreflang="bn" dir="ltr">বাংলা</a>'
    ) in page


def test_english_pages_stay_at_their_addresses_and_ignore_the_browsers_language(client, content):
    assert reverse("resources:help-route-list") == "/worried-about-someone/"
    assert reverse("reports:report") == "/report/"

    response = client.get("/worried-about-someone/", HTTP_ACCEPT_LANGUAGE="ar,bn;q=0.8")

    assert 'lang="en-GB"' in html_tag(response.text)
    assert "Worried about someone?" in response.text
    # One copy of the page for every browser in a front cache (deploy/varnish/).
    assert "Accept-Language" not in response.get("Vary", "")
    assert "django_language" not in response.cookies


def test_a_page_only_in_english_redirects_there_from_a_language_prefix(client, content):
    response = client.get("/ar/newsletters/?page=2")

    assert response.status_code == 302
    assert response["Location"] == "/newsletters/?page=2"
    # And English-only pages offer no other language.
    page = client.get("/newsletters/").text
    assert "govuk-language-navigation" not in page and "hreflang" not in page


def test_the_admin_stays_english(admin_client):
    assert '<html lang="en-gb" dir="ltr">' in admin_client.get("/admin/").text
    assert admin_client.get("/ar/admin/").status_code == 404


def test_a_translation_is_labelled_unchecked_in_both_languages_until_the_team_marks_it(
    client, content
):
    page = client.get("/ar/worried-about-someone/").text
    assert "لم يراجع مترجم مؤهَّل هذه الترجمة بعد." in page
    assert (
        '<p class="govuk-body" lang="en-GB" dir="ltr">A qualified translator has not checked '
        'this translation yet. <a class="govuk-link" href="/worried-about-someone/" '
        'hreflang="en-GB">Read this page in English</a>.</p>'
    ) in page

    TranslationCheck.objects.create(
        page="resources:help-route-list", language="ar", checked_by="Example Translations Ltd"
    )

    assert (
        "A qualified translator has not checked"
        not in client.get("/ar/worried-about-someone/").text
    )
    # Checked in Arabic says nothing about Bengali.
    assert "A qualified translator has not checked" in client.get("/bn/worried-about-someone/").text
    # English pages never carry the notice.
    assert "A qualified translator" not in client.get("/worried-about-someone/").text


def test_text_not_yet_translated_shows_in_english_marked_as_english(client):
    make_help_route(name="Westminster Prevent team", description="Email us.", part="public")

    page = client.get("/ar/worried-about-someone/").text

    assert '<h3 class="govuk-heading-m govuk-!-margin-top-6" lang="en-GB" dir="ltr">' in page
    assert '<p class="govuk-body" lang="en-GB" dir="ltr">Email us.</p>' in page


def test_the_admin_shows_each_language_beside_english(editor_client):
    route = make_help_route()

    form = editor_client.get(reverse("admin:resources_helproute_change", args=[route.pk])).text

    for name in ("name_en_gb", "name_ar", "name_bn", "description_ar", "hours_bn"):
        assert f'name="{name}"' in form, name
    assert re.search(
        r'<input [^>]*name="name_ar"[^>]*dir="rtl"|<input [^>]*dir="rtl"[^>]*name="name_ar"', form
    )
    # Numbers and addresses are the same in every language.
    assert 'name="phone_ar"' not in form and 'name="email_bn"' not in form


def test_the_sitemap_lists_each_translated_page_with_its_alternates(client, settings):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entry = next(
        url
        for url in root.findall("sm:url", ns)
        if url.find("sm:loc", ns).text == settings.SITE_URL + "/ar/report/"
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert alternates == {
        "en-gb": settings.SITE_URL + "/report/",
        "ar": settings.SITE_URL + "/ar/report/",
        "bn": settings.SITE_URL + "/bn/report/",
        "x-default": settings.SITE_URL + "/report/",
    }


# --- The report form in Arabic and Bengali ---------------------------------------------------


def test_the_arabic_report_form_explains_each_problem_in_arabic(client):
    response = client.post("/ar/report/", {})
    page = response.text

    assert response.status_code == 200
    assert '<h2 class="govuk-error-summary__title">توجد مشكلة</h2>' in page
    assert "اختر ما رأيته" in page  # Select what you saw
    assert "أدخل تاريخ رؤيتك له" in page  # Enter the date you saw it
    assert '<span class="govuk-visually-hidden">خطأ:</span>' in page
    assert "<title>خطأ:" in page
    # The date's boxes.
    assert ">اليوم</label>" in page and ">الشهر</label>" in page and ">السنة</label>" in page


def test_a_report_made_in_arabic_reaches_the_team_in_english_with_the_words_as_written(
    client, django_capture_on_commit_callbacks, run_worker, mailoutbox, settings
):
    words = "ملصق عليه شعار كراهية"
    data = report_form_data(description=words)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/report/", data)
    assert response.status_code == 302
    assert response["Location"] == "/ar/report/sent/"
    run_worker()

    report = Report.objects.get()
    assert (report.language, report.description) == ("ar", words)
    done = client.get("/ar/report/sent/").text
    assert "تم إرسال البلاغ" in done and f'<strong dir="ltr">{report.reference}</strong>' in done

    team = next(m for m in mailoutbox if m.to == [settings.TEAM_EMAIL])
    assert team.subject.startswith(f"Report {report.reference}: sticker, ")
    assert "Made in Arabic (العربية)" in team.body
    assert words in team.body
    assert "Still there: Yes" in team.body

    reporter = next(m for m in mailoutbox if m.to == ["sam.patel@example.org"])
    assert reporter.subject == f"تلقّينا بلاغك {report.reference}"
    assert "شكرًا لك على بلاغك" in reporter.body
    assert "12 شهرًا" in reporter.body
    html = html_part(reporter)
    assert '<html lang="ar" dir="rtl">' in html
    # Nothing the reporter typed goes back to the address they gave.
    assert words not in reporter.body


def test_a_report_made_in_english_is_marked_english_and_its_emails_unchanged(
    client, django_capture_on_commit_callbacks, run_worker, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/report/", report_form_data()).status_code == 302
    run_worker()

    assert Report.objects.get().language == "en-gb"
    team = next(m for m in mailoutbox if m.to == [settings.TEAM_EMAIL])
    assert "Made in" not in team.body


def test_the_bengali_report_form_is_in_bengali(client):
    page = client.get("/bn/report/").text

    assert 'lang="bn"' in html_tag(page)
    assert "আপনি কী দেখেছেন?" in page
    assert ">রিপোর্ট পাঠান</button>" in page
    assert HelpRoute.objects.count() == 0  # nothing else needed for the form


def test_content_editors_mark_a_page_checked_in_a_language(editor_client, client, content):
    response = editor_client.post(
        reverse("admin:prevent_site_translationcheck_add"),
        {
            "page": "resources:help-route-list",
            "language": "bn",
            "checked_by": "Example Translations Ltd",
            "checked_on": "2026-12-01",
        },
    )

    assert response.status_code == 302
    assert "A qualified translator" not in client.get("/bn/worried-about-someone/").text
    listing = editor_client.get(reverse("admin:prevent_site_translationcheck_changelist")).text
    assert "Worried about someone?" in listing and "বাংলা" in listing


# --- Search on a translated page ------------------------------------------------------------


def test_arabic_search_finds_arabic_text_then_english_results_labelled_english(client, content):
    response = client.get("/ar/search/", {"q": "الخط الساخن"})
    page = response.text

    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in html_tag(page)
    assert "النتائج باللغة" in page
    assert 'href="/ar/worried-about-someone/#anti-terrorist-hotline"' in page
    # Titled by the route's Arabic name, whatever order modeltranslation keeps the fields in.
    hotline = HelpRoute.objects.get(slug="anti-terrorist-hotline")
    assert re.search(
        r'href="/ar/worried-about-someone/#anti-terrorist-hotline">\s*'
        + re.escape(hotline.name_ar)
        + r"\s*</a>",
        page,
    )
    assert "النتائج باللغة الإنجليزية" in page
    assert "private" in response["Cache-Control"]


def test_a_search_with_no_arabic_match_falls_back_to_english_results_marked_english(
    client, content
):
    page = client.get("/ar/search/", {"q": "WRAP"}).text

    assert "لا يوجد شيء بلغتك يحتوي على الكلمات «WRAP»." in page
    english = page[page.index("النتائج باللغة الإنجليزية") :]
    assert '<ol class="govuk-list app-search-results" lang="en-GB" dir="ltr">' in english
    assert "Workshop to Raise Awareness of Prevent" in english


def test_the_header_search_on_a_translated_page_searches_in_that_language(client, content):
    page = client.get("/bn/worried-about-someone/").text

    assert '<form action="/bn/search/" method="get">' in page
    assert client.get("/bn/search/", {"q": "হটলাইন"}).text.count("app-search-result") >= 1


# --- The training request form in Arabic and Bengali -----------------------------------------


def test_the_arabic_training_form_is_right_to_left_with_the_workshops_marked_english(client):
    make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    page = client.get("/ar/training/request/").text

    assert html_tag(page).count('lang="ar"') == 1 and 'dir="rtl"' in html_tag(page)
    assert '<h1 class="govuk-heading-xl">اطلب تدريبًا</h1>' in page
    assert "ما الورشة التي تريدها؟" in page  # Which workshop would you like?
    assert ">إرسال الطلب</button>" in page  # Send request
    assert ">اليوم</label>" in page  # the date's boxes
    assert (
        '<span lang="en-GB" dir="ltr">Workshop to Raise Awareness of Prevent (WRAP)</span>' in page
    )
    assert ">لست متأكدًا بعد</label>" in page  # Not sure yet


def test_the_english_training_form_marks_nothing_as_english(client):
    make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    page = client.get("/training/request/").text

    assert "Which workshop would you like?" in page
    assert 'lang="en-GB" dir="ltr">Workshop' not in page


def test_the_arabic_training_form_explains_each_problem_in_arabic(client):
    response = client.post("/ar/training/request/", {})
    page = response.text

    assert response.status_code == 200
    assert "<title>خطأ:" in page
    assert "اختر ورشة، أو اختر «لست متأكدًا بعد»" in page
    assert "أدخل اسم مؤسستك" in page
    assert "أكّد أنك قرأت إشعار الخصوصية" in page
    assert "Select a workshop" not in page


def test_a_past_preferred_date_is_refused_in_bengali(client):
    data = request_form_data(
        preferred_date_1_0="1", preferred_date_1_1="1", preferred_date_1_2="2020"
    )
    page = client.post("/bn/training/request/", data).text

    assert 'lang="bn"' in html_tag(page)
    assert "আপনার প্রথম পছন্দের জন্য ভবিষ্যতের একটি তারিখ লিখুন" in page
    assert TrainingRequest.objects.count() == 0


def test_a_training_request_made_in_arabic_reaches_the_team_in_english(
    client, django_capture_on_commit_callbacks, run_worker, mailoutbox, settings
):
    words = "معلمو المدرسة الابتدائية"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/training/request/", request_form_data(who_it_is_for=words))
    assert response.status_code == 302
    assert response["Location"] == "/ar/training/request/done/"
    run_worker()

    training_request = TrainingRequest.objects.get()
    assert (training_request.language, training_request.who_it_is_for) == ("ar", words)
    done = client.get("/ar/training/request/done/").text
    assert "تم إرسال الطلب" in done
    assert f'<strong dir="ltr">{training_request.reference}</strong>' in done
    assert '<strong dir="ltr">amina.khan@example.org</strong>' in done

    team = next(m for m in mailoutbox if m.to == [settings.TEAM_EMAIL])
    assert team.subject.startswith(f"Training request {training_request.reference} from ")
    assert "Made in Arabic (العربية)" in team.body
    assert words in team.body

    requester = next(m for m in mailoutbox if m.to == ["amina.khan@example.org"])
    assert requester.subject == f"تلقّينا طلب التدريب الخاص بك {training_request.reference}"
    assert "شكرًا لك على طلب التدريب." in requester.body
    html = html_part(requester)
    assert '<html lang="ar" dir="rtl">' in html
    assert words not in requester.body


def test_a_training_request_made_in_english_is_marked_english(
    client, django_capture_on_commit_callbacks, run_worker, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/training/request/", request_form_data()).status_code == 302
    run_worker()

    assert TrainingRequest.objects.get().language == "en-gb"
    team = next(m for m in mailoutbox if m.to == [settings.TEAM_EMAIL])
    assert "Made in" not in team.body
    requester = next(m for m in mailoutbox if m.to == ["amina.khan@example.org"])
    assert requester.subject.startswith("We have received your training request")
