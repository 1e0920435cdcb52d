import pytest

from search.models import SearchEntry


@pytest.fixture(autouse=True)
def _only_what_the_test_makes(db):
    """Each test finds only what it makes: the site's own pages, written after migrate, are
    taken out. rebuild_search_index writes them again (tests/search/test_relevance.py)."""
    SearchEntry.objects.filter(content_type=None).delete()
