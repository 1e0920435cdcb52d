import importlib

import pytest
from django.urls import reverse

from blocks import richtext
from tests import factories
from training.models import Workshop

pytestmark = pytest.mark.django_db

NASTY = (
    '<h2 style="color:red">Who it is for</h2>'
    "<script>alert('script')</script>"
    "<style>body { display: none }</style>"
    "<p onclick=\"alert('click')\">Staff <strong>and</strong> <em>volunteers</em>"
    "<img src=x onerror=\"alert('img')\">"
    " <a href=\"javascript:alert('link')\">bad link</a>"
    ' <a href="https://www.gov.uk/prevent" target="_blank">good link</a></p>'
    '<iframe src="https://example.com"></iframe>'
    "<ul><li>One</li></ul><ol><li>Two</li></ol><h3>More</h3><h4>Even more</h4>"
)
FORBIDDEN = [
    "<script",
    "alert(",
    "<style",
    "display: none",
    "onclick",
    "onerror",
    "<img",
    "javascript:",
    "<iframe",
    "style=",
    "target=",
]


def assert_clean(html):
    for needle in FORBIDDEN:
        assert needle not in html, needle


def test_sanitiser_keeps_headings_lists_links_bold_and_italic_only():
    html = richtext.sanitise(NASTY)

    assert_clean(html)
    assert "<h2>Who it is for</h2>" in html
    assert "<strong>and</strong> <em>volunteers</em>" in html
    assert '<a href="https://www.gov.uk/prevent" rel="noopener noreferrer">good link</a>' in html
    assert '<a rel="noopener noreferrer">bad link</a>' in html
    assert "<ul><li>One</li></ul><ol><li>Two</li></ol><h3>More</h3><h4>Even more</h4>" in html


def test_body_is_sanitised_when_saved_from_code():
    workshop = factories.make_workshop(body=NASTY)

    workshop.refresh_from_db()
    assert_clean(workshop.body)
    assert "good link" in workshop.body


def workshop_form_data(**fields):
    return {
        "title": "Online radicalisation",
        "short_name": "",
        "slug": "online-radicalisation",
        "summary": "How people are drawn in online.",
        "body": NASTY,
        "who_it_is_for": "",
        "duration": "1 hour",
        "online": "on",
        "cost": "Free",
        "learning_outcomes": "",
        "partner": "",
        "is_active": "on",
        "order": "0",
        "status": "published",
        "publish_at_0": "2024-01-01",
        "publish_at_1": "09:00:00",
        "testimonials-TOTAL_FORMS": "0",
        "testimonials-INITIAL_FORMS": "0",
        "testimonials-MIN_NUM_FORMS": "0",
        "testimonials-MAX_NUM_FORMS": "1000",
    } | fields


def test_scripts_typed_into_the_admin_never_reach_the_page(editor_client, client):
    response = editor_client.post(reverse("admin:training_workshop_add"), workshop_form_data())
    assert response.status_code == 302

    workshop = Workshop.objects.get()
    assert_clean(workshop.body)
    page = client.get(workshop.get_absolute_url())
    assert page.status_code == 200
    assert "good link" in page.text
    assert_clean(page.text.split('id="main-content"')[1].split("</main>")[0])


def test_html_that_bypassed_saving_is_sanitised_again_on_the_page(client):
    workshop = factories.make_workshop()
    # update() skips save(), as a raw SQL fix or a careless import might.
    Workshop.objects.filter(pk=workshop.pk).update(body=NASTY)

    page = client.get(workshop.get_absolute_url())

    main = page.text.split('id="main-content"')[1].split("</main>")[0]
    assert_clean(main)
    assert "good link" in main


def test_emptied_editor_counts_as_an_empty_body(editor_client):
    issue = factories.make_issue()
    response = editor_client.post(
        reverse("admin:newsletters_section_add"),
        {
            "issue": issue.pk,
            "order": 0,
            "heading": "Prevent news",
            "slug": "prevent-news",
            "body": "<p></p>",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == ["This field is required."]


def test_admin_edits_bodies_in_the_rich_text_editor(editor_client):
    workshop = factories.make_workshop()

    response = editor_client.get(reverse("admin:training_workshop_change", args=[workshop.pk]))

    assert "data-django-prose-editor-configurable" in response.text
    assert "django_prose_editor/editor.js" in response.text
    assert "&quot;Heading&quot;:{&quot;levels&quot;:[2,3,4]}" in response.text
    # No HTML source view: editors never type markup.
    assert "&quot;HTML&quot;" not in response.text


def test_section_editor_offers_headings_3_and_4_only_under_the_sections_own_h2(editor_client):
    issue = factories.make_issue()
    factories.make_section(issue)

    for url in (
        reverse("admin:newsletters_section_add"),
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
    ):
        response = editor_client.get(url)
        assert "&quot;Heading&quot;:{&quot;levels&quot;:[3,4]}" in response.text, url
        assert "&quot;levels&quot;:[2,3,4]" not in response.text, url


def test_a_level_2_heading_in_a_section_is_stored_as_level_3(editor_client):
    issue = factories.make_issue()
    response = editor_client.post(
        reverse("admin:newsletters_section_add"),
        {
            "issue": issue.pk,
            "order": 0,
            "heading": "Prevent news",
            "slug": "prevent-news",
            "body": "<h2>Independent review</h2><p>News.</p><h3>Local profile</h3>",
        },
    )
    assert response.status_code == 302
    section = issue.sections.get()
    assert section.body == "<h3>Independent review</h3><p>News.</p><h3>Local profile</h3>"
    # Saved from code, too; a workshop's own body keeps its level 2 headings.
    section.body = "<h2 style='color:red'>Heading</h2>"
    section.save()
    assert section.body == "<h3>Heading</h3>"
    assert factories.make_workshop(body="<h2>Who it is for</h2>").body == "<h2>Who it is for</h2>"


def test_migration_moves_level_2_headings_already_in_sections_down_to_level_3():
    from django.apps import apps

    from newsletters.models import Section

    migration = importlib.import_module("newsletters.migrations.0004_section_headings_from_h3")
    section = factories.make_section(factories.make_issue())
    Section.objects.filter(pk=section.pk).update(body="<h2>Old</h2><p>Text</p><h3>Kept</h3>")

    migration.move_section_headings_down(apps, None)

    section.refresh_from_db()
    assert section.body == "<h3>Old</h3><p>Text</p><h3>Kept</h3>"


def test_contents_entries_show_entities_once_and_anchors_are_unique():
    from blocks import richtext

    body = (
        "<h3>Gangs &amp; Exploitation</h3><p>a</p><h3>News</h3><p>b</p>"
        "<h3>News</h3><p>c</p><h3>!!!</h3>"
    )
    entries = richtext.subheadings(body, "sec")
    assert entries == [
        ("sec-gangs-exploitation", "Gangs & Exploitation"),
        ("sec-news", "News"),
        ("sec-news-2", "News"),
        ("sec-heading", "!!!"),
    ]
    rendered = richtext.render(body, "sec")
    for anchor, _text in entries:
        assert rendered.count(f'id="{anchor}"') == 1


def test_first_paragraph_text_skips_headings_and_empty_paragraphs_and_drops_markup():
    html = (
        "<h3>A sub-heading</h3><p> </p><p>Fish &amp; <strong>chips</strong>"
        "<script>alert(1)</script>\n  today.</p><p>Second.</p>"
    )
    assert richtext.first_paragraph_text(html) == "Fish & chips today."
    assert richtext.first_paragraph_text("<h3>Only a heading</h3>") == ""


def test_plain_text_keeps_paragraphs_and_list_items_apart_and_decodes_entities():
    html = "<h2>Q&amp;A</h2><p>One<br>two</p><ul><li>Tea &amp; cake</li><li>5 &lt; 6</li></ul>"
    assert richtext.plain_text(html) == "Q&A\n\nOne\ntwo\n\n- Tea & cake\n- 5 < 6"
