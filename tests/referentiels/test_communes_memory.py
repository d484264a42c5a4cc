"""The in-memory commune index (production default) answers exactly like the SQL search it replaces."""

import datetime as dt

import pytest

from ceres.referentiels import communes
from ceres.referentiels.communes import search_communes
from tests.referentiels.test_communes_search import ain  # noqa: F401 (fixture)

QUERIES = [
    ("arlod", None),
    ("arlod", dt.date(1965, 6, 1)),
    ("arlod", dt.date(1990, 1, 1)),
    ("bellegarde", None),
    ("Bellegarde sur Valserine", dt.date(2000, 1, 1)),
    ("valserine", None),
    ("clemenciat", None),
    ("l'abergement", None),
    ("st", None),
    ("01", None),
    ("01033", dt.date(1960, 1, 1)),
    ("a", None),
    ("zzz", None),
]


@pytest.fixture
def memory(settings):
    settings.CERES_COMMUNES_IN_MEMORY = True
    communes.memory_index_reset()
    yield
    communes.memory_index_reset()


def test_memory_index_gives_the_sql_results(ain, settings, memory, django_assert_num_queries):  # noqa: F811
    settings.CERES_COMMUNES_IN_MEMORY = False
    expected = [search_communes(q, on_date=day) for q, day in QUERIES]
    settings.CERES_COMMUNES_IN_MEMORY = True
    with django_assert_num_queries(2):  # the index is read once (communes, inner words)
        found = [search_communes(q, on_date=day) for q, day in QUERIES]
    assert found == expected
    assert any(expected)


def test_memory_index_is_rebuilt_after_its_lifetime(ain, settings, memory, django_assert_num_queries):  # noqa: F811
    search_communes("arlod")
    settings.CERES_COMMUNES_MEMORY_TTL = 0  # rebuilt at each read: whole names, then inner words
    with django_assert_num_queries(4):
        search_communes("arlod")
