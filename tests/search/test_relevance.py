"""Relevance: searches a resident, a teacher or the team would type, written from the July 2023
newsletter and from how people ask (words the pages do not use, questions, American spellings,
typos, names, phone numbers, the site's services), each with the address a person would want
among the first three results. Run on SQLite and on PostgreSQL, as .ci/run does both.

A search that finds nothing but offers "Did you mean …?" is followed, as a person would.
"""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

_result_link = re.compile(r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]*)"')
_suggestion = re.compile(r'Did you mean <a class="govuk-link" href="([^"]*)"')

HELP = "/worried-about-someone/"
WRAP = "/training/workshop-to-raise-awareness-of-prevent/"
GROOMING = "/training/online-grooming-for-parents-and-carers/"
INCEL = "/training/incel-ideology-and-extreme-misogyny/"
NEURODIVERSITY = "/training/neurodiversity-and-extremism/"
FE_WEBINAR = "/events/prevent-planning-webinar-fe-skills-providers-2023-10-18/"
WORSHIP = "/funding/places-of-worship-security-funding-scheme/"
MOSQUES = "/funding/protective-security-for-mosques-scheme/"
STATISTICS = "/resources/#individuals-referred-to-prevent-april-2021-to-march-2022"
PREVENT_NEWS = "/newsletters/july-2023/#prevent-news"
SAFE_ONLINE = "/staying-safe-online/"

SEARCHES = [
    # Teachers and professionals looking for training, in their words.
    ("WRAP training", WRAP),
    ("wrap course", WRAP),
    ("prevent awareness training for staff", WRAP),
    ("book training for my school", "/training/request/"),
    ("request a workshop", "/training/request/"),
    ("FE colleges prevent duty", FE_WEBINAR),
    ("further education webinar", FE_WEBINAR),
    ("autism and radicalisation", NEURODIVERSITY),
    ("ADHD extremism training", NEURODIVERSITY),
    ("incels", INCEL),
    ("manosphere", INCEL),
    ("misogyny course", INCEL),
    ("online grooming parents", GROOMING),
    # Residents who are worried, or have seen something.
    ("worried about my son", HELP),
    ("someone I know is being radicalised", HELP),
    ("concern about a pupil", HELP),
    ("report stickers", "/report/"),
    ("graffiti on my street", "/report/"),
    ("racist leaflet", "/report/"),
    ("how do I report graffiti?", "/report/"),
    ("0800 011 3764", HELP + "#act-early-support-line"),
    ("08000113764", HELP + "#act-early-support-line"),
    ("ACT Early", HELP + "#act-early"),
    ("anti terrorist hotline", HELP + "#anti-terrorist-hotline"),
    ("keep my child safe online", "/resources/#helping-parents-keep-their-children-safe-online"),
    # Covering one's tracks, asked by someone afraid of being found out.
    ("delete my browsing history", SAFE_ONLINE),
    ("private browsing", SAFE_ONLINE),
    ("incognito mode", SAFE_ONLINE),
    ("exit this page", SAFE_ONLINE),
    ("someone checks my phone", SAFE_ONLINE),
    ("hide that I looked at this website", SAFE_ONLINE),
    ("using a shared computer", SAFE_ONLINE),
    # Community groups looking for what others have done.
    ("community projects", "/community-projects/"),
    ("projects in my area", "/community-projects/"),
    # Signing up.
    ("subscribe", "/newsletters/subscribe/"),
    ("email updates", "/newsletters/subscribe/"),
    ("newsletter sign up", "/newsletters/subscribe/"),
    # American spellings.
    ("radicalization online", "/resources/#internet-and-radicalisation-pathways-gnet"),
    (
        "Prevent program statistics",
        "/resources/#individuals-referred-to-prevent-april-2021-to-march-2022",
    ),
    # Funding, in the words of a faith group.
    ("mosque security funding", MOSQUES),
    ("church security grant", WORSHIP),
    ("money for places of worship", WORSHIP),
    # The newsletter's abbreviations and news.
    ("CONTEST strategy", PREVENT_NEWS),
    ("counter terrorism strategy", PREVENT_NEWS),
    ("EAH", "/resources/#educate-against-hate"),
    ("Educate Against Hate", "/resources/#educate-against-hate"),
    # Names.
    ("Kiran Malik", "/team/#kiran-malik"),
    ("julie", "/team/#julie-knotts"),
    ("abdul yusuf prevent", "/team/#abdul-yusuf"),
    ("who is in the prevent team", "/team/"),
    # Contacts and the statutory pages.
    ("children's services phone number", "/contacts/#childrens-services"),
    ("adult social care", "/contacts/#adult-social-care"),
    ("accessibility", "/accessibility/"),
    ("how do you use my data", "/privacy/"),
    ("cookies", "/cookies/"),
    # Topics and audiences.
    ("far right extremism", "/topics/extreme-right-wing-terrorism/"),
    ("islamism", "/topics/islamist-extremism/"),
    ("advice for parents", "/for/parents-and-carers/"),
    ("teachers", "/for/schools-and-colleges/"),
    # Typos, through "Did you mean …?".
    ("grroming", GROOMING),
    ("misogny", INCEL),
    ("neurodiversty", NEURODIVERSITY),
]


@pytest.fixture
def july_2023():
    call_command("load_initial_content", stdout=io.StringIO())
    call_command("rebuild_search_index", stdout=io.StringIO())


def first_three(client, q):
    page = client.get("/search/", {"q": q}).content.decode()
    links = _result_link.findall(page)
    if not links and (suggestion := _suggestion.search(page)):
        page = client.get("/search/" + suggestion.group(1).replace("&amp;", "&")).content.decode()
        links = _result_link.findall(page)
    return links[:3]


def test_there_are_at_least_forty_searches():
    assert len(SEARCHES) >= 40


@pytest.mark.parametrize(("q", "expected"), SEARCHES)
def test_what_people_type_finds_what_they_mean(client, july_2023, q, expected):
    assert expected in first_three(client, q)


def test_wrap_training_finds_the_wrap_workshop_first(client, july_2023):
    assert first_three(client, "WRAP training")[0] == WRAP


def test_a_misspelt_word_is_offered_the_word_the_site_uses(client, july_2023):
    page = client.get("/search/", {"q": "grroming"}).content.decode()
    assert 'Did you mean <a class="govuk-link" href="?q=grooming">grooming</a>?' in page
    # A word the site has is not "corrected".
    assert "Did you mean" not in client.get("/search/", {"q": "grooming"}).content.decode()
