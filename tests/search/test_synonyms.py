"""Synonyms the team adds in the admin, from the "Searches" page: the next search uses them,
both ways round."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from search.models import SearchLog, Synonym
from tests.factories import make_link, make_workshop

pytestmark = pytest.mark.django_db

SUMMARY = "/admin/search/searchlog/"


def titles(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    found = re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]*">(.*?)</a>', html
    )
    return [re.sub(r"</?mark>", "", title) for title in found]


def test_a_synonym_added_from_the_searches_page_is_used_by_the_next_search(client, editor_client):
    make_link(title="Female genital mutilation guidance", description="Multi-agency guidance.")
    assert titles(client, "cutting") == []
    SearchLog.objects.create(term="cutting", results=0)

    summary = editor_client.get(SUMMARY).content.decode()
    add = re.search(
        r'<a href="([^"]*)">Add a synonym<span class="visually-hidden"> for “cutting”', summary
    )
    assert add, summary
    form = editor_client.get(add.group(1).replace("&amp;", "&")).content.decode()
    assert 'value="cutting"' in form
    response = editor_client.post(
        "/admin/search/synonym/add/",
        {"term": "Cutting ", "alternatives": "female genital mutilation"},
    )
    assert response.status_code == 302

    assert titles(client, "cutting") == ["Female genital mutilation guidance"]
    # And the other way round.
    make_link(title="Cutting: the law", description="What the law says.")
    assert "Cutting: the law" in titles(client, "female genital mutilation")


def test_a_changed_or_deleted_synonym_takes_effect_at_once(client):
    make_workshop(title="Knitting circle", summary="For residents.")
    synonym = Synonym.objects.create(term="yarn club", alternatives="knitting")
    assert titles(client, "yarn club") == ["Knitting circle"]
    synonym.alternatives = "crochet"
    synonym.save()
    assert titles(client, "yarn club") == []
    synonym.alternatives = "crochet, knitting"
    synonym.save()
    assert titles(client, "yarn club") == ["Knitting circle"]
    synonym.delete()
    assert titles(client, "yarn club") == []


def test_the_starting_list_has_the_newsletters_abbreviations():
    terms = set(Synonym.objects.values_list("term", flat=True))
    assert {"wrap", "channel", "contest", "fe", "incel", "eah"} <= terms


def test_staff_who_may_only_read_the_searches_get_no_link_to_add_a_synonym(django_user_model):
    user = django_user_model.objects.create_user("reader", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_searchlog"))
    reader = Client()
    reader.force_login(user)
    SearchLog.objects.create(term="xylophone", results=0)
    html = reader.get(SUMMARY).content.decode()
    assert "xylophone" in html
    assert "Add a synonym" not in html


def test_a_term_that_already_has_synonyms_is_refused_whatever_its_capitals(admin_client):
    response = admin_client.post(
        "/admin/search/synonym/add/", {"term": " FGM", "alternatives": "cutting"}
    )
    assert response.status_code == 200
    assert "Synonym with this Term already exists." in response.content.decode()
    assert Synonym.objects.filter(term="fgm").count() == 1
