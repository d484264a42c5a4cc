"""The in-memory commune index (production default) answers exactly like the SQL search it replaces."""

import datetime as dt

import pytest

from ceres.referentiels import communes
from ceres.referentiels.communes import search_communes
from tests.referentiels.factories import CommuneFactory
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
    with django_assert_num_queries(3):  # the index is read once (its stamp, communes, inner words)
        found = [search_communes(q, on_date=day) for q, day in QUERIES]
    assert found == expected
    assert any(expected)


def test_memory_index_is_checked_after_its_lifetime(ain, settings, memory, django_assert_num_queries):  # noqa: F811
    search_communes("arlod")
    settings.CERES_COMMUNES_MEMORY_TTL = 0  # checked at each read
    with django_assert_num_queries(2):  # unchanged: the stamp only, at each read (whole names, inner words)
        assert search_communes("arlod")[0]["nom"] == "Arlod"
    CommuneFactory(code_insee="01019", name="Arlodbis")  # what a load of the referentials writes
    with django_assert_num_queries(5):  # changed: read again (stamp, communes, words), then checked again
        assert [c["nom"] for c in search_communes("arlod")] == ["Arlod", "Arlodbis"]


def test_a_renamed_commune_is_seen_after_the_lifetime(ain, settings, memory):  # noqa: F811
    search_communes("arlod")
    ain["valserhone"].name, ain["valserhone"].name_key = "Valsernouveau", "valsernouveau"
    ain["valserhone"].save()
    assert search_communes("valsernouveau") == []  # within the lifetime: the index of the start
    settings.CERES_COMMUNES_MEMORY_TTL = 0
    assert [c["nom"] for c in search_communes("valsernouveau")] == ["Valsernouveau"]
