"""Commune / country search service on small data built in the test (the real COG is tested in test_communes_cog)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceres.referentiels.communes import (
    InvalidQuery,
    commune_label,
    parse_date_param,
    period_label,
    search_communes,
    search_pays,
)
from ceres.referentiels.models import Commune
from tests.referentiels.factories import CommuneFactory, DepartementFactory, PaysFactory

COM, ARM, COMD = Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT, Commune.Kind.DELEGUEE


def names(results):
    return [r["nom"] for r in results]


@pytest.fixture
def ain():
    """A few real-looking communes of the Ain, with Arlod merged in 1971 and today part of Valserhône."""
    DepartementFactory(code="01", name="Ain")
    return {
        "abergement": CommuneFactory(
            code_insee="01001", name="L'Abergement-Clémenciat", start_date=dt.date(1943, 1, 1)
        ),
        "arlod": CommuneFactory(arlod=True),
        "bellegarde_com": CommuneFactory(
            code_insee="01033",
            name="Bellegarde-sur-Valserine",
            start_date=dt.date(1956, 10, 19),
            end_date=dt.date(2019, 1, 1),
            successor_code="01033",
            successor_name="Valserhône",
            event=Commune.Event.DELEGUEE,
            event_successor_code="01033",
            event_successor_name="Valserhône",
        ),
        "bellegarde_comd": CommuneFactory(
            code_insee="01033",
            kind=COMD,
            name="Bellegarde-sur-Valserine",
            start_date=dt.date(2019, 1, 1),
            parent_code="01033",
            successor_code="01033",
            successor_name="Valserhône",
        ),
        "valserhone": CommuneFactory(code_insee="01033", name="Valserhône", start_date=dt.date(2019, 1, 1)),
    }


class TestNameMatching:
    def test_abbreviation_and_missing_accents(self):
        CommuneFactory(code_insee="42218", name="Saint-Étienne", departement_code="42")
        CommuneFactory(code_insee="42999", name="Saint-Étienne-de-Test", departement_code="42")
        assert names(search_communes("st etienne")) == ["Saint-Étienne", "Saint-Étienne-de-Test"]
        assert names(search_communes("SAINT ÉTIENNE")) == ["Saint-Étienne", "Saint-Étienne-de-Test"]
        assert names(search_communes("saint-etienne-de")) == ["Saint-Étienne-de-Test"]

    def test_leading_article_and_apostrophe_are_ignored(self, ain):
        assert names(search_communes("abergement clem")) == ["L'Abergement-Clémenciat"]
        assert names(search_communes("l'abergement")) == ["L'Abergement-Clémenciat"]
        assert names(search_communes("L Abergement-Clemenciat")) == ["L'Abergement-Clémenciat"]

    def test_no_match_and_blank_query(self, ain):
        assert search_communes("zzz") == []
        assert search_communes("") == []
        assert search_communes("  - ' ") == []

    def test_by_insee_code_exact_then_prefix(self, ain):
        assert names(search_communes("01018")) == ["Arlod"]
        found = search_communes("0103")
        assert {r["code_insee"] for r in found} == {"01033"}
        assert found[0]["nom"] == "Valserhône"  # the current commune first

    def test_corsican_codes(self):
        CommuneFactory(code_insee="2A004", name="Ajaccio", departement_code="2A", start_date=dt.date(1976, 1, 1))
        assert names(search_communes("2a004")) == ["Ajaccio"]
        assert names(search_communes("2A0")) == ["Ajaccio"]


class TestDates:
    def test_arlod_exists_in_1965_with_its_successor(self, ain):
        [arlod] = search_communes("arlod", on_date=dt.date(1965, 6, 1))
        assert arlod["code_insee"] == "01018"
        assert arlod["commune_actuelle"] == {"code_insee": "01033", "nom": "Valserhône"}
        assert arlod["libelle"] == (
            "Arlod (01018) — fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033),"
            " aujourd'hui Valserhône (01033)"
        )
        assert arlod["evenement"] == {
            "type": "fusion",
            "type_libelle": "Fusion",
            "date": "1971-01-01",
            "commune": {"code_insee": "01033", "nom": "Bellegarde-sur-Valserine"},
            "libelle": "fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033)",
        }
        assert arlod["departement"] == {"code": "01", "nom": "Ain"}
        assert arlod["periode"] == "de 1943 (au moins) au 31/12/1970"
        assert arlod["actuelle"] is False

    def test_arlod_is_gone_in_1990_but_found_without_date(self, ain):
        assert search_communes("arlod", on_date=dt.date(1990, 1, 1)) == []
        assert names(search_communes("arlod")) == ["Arlod"]

    def test_end_date_is_exclusive(self, ain):
        assert names(search_communes("arlod", on_date=dt.date(1970, 12, 31))) == ["Arlod"]
        assert search_communes("arlod", on_date=dt.date(1971, 1, 1)) == []

    def test_name_valid_at_the_date(self, ain):
        in_2000 = search_communes("bellegarde", on_date=dt.date(2000, 1, 1))
        assert [(r["type"], r["statut"]) for r in in_2000] == [
            ("COM", "devenue le 01/01/2019 commune déléguée de Valserhône (01033)")
        ]
        in_2020 = search_communes("bellegarde", on_date=dt.date(2020, 1, 1))
        assert [(r["type"], r["statut"]) for r in in_2020] == [("COMD", "commune déléguée de Valserhône (01033)")]

    def test_parse_date_param(self):
        assert parse_date_param("1965-06-01") == dt.date(1965, 6, 1)
        assert parse_date_param("") is None
        with pytest.raises(InvalidQuery, match="AAAA-MM-JJ"):
            parse_date_param("01/06/1965")


class TestInnerWords:
    def test_end_of_a_name_alone(self, ain):
        assert names(search_communes("clemenciat")) == ["L'Abergement-Clémenciat"]
        assert names(search_communes("clém")) == ["L'Abergement-Clémenciat"]
        assert [(r["nom"], r["type"]) for r in search_communes("valserine", on_date=dt.date(2000, 1, 1))] == [
            ("Bellegarde-sur-Valserine", "COM")
        ]
        assert [r["type"] for r in search_communes("valserine")] == ["COMD", "COM"]  # current first
        assert search_communes("valserine", on_date=dt.date(1950, 1, 1)) == []  # Bellegarde until 1956

    def test_several_inner_words_and_abbreviations(self):
        CommuneFactory(code_insee="77518", name="Villiers-Saint-Georges")
        CommuneFactory(code_insee="59009", name="Villeneuve-d'Ascq")
        assert names(search_communes("st georges")) == ["Villiers-Saint-Georges"]
        assert names(search_communes("georg")) == ["Villiers-Saint-Georges"]
        assert names(search_communes("ascq")) == ["Villeneuve-d'Ascq"]
        assert search_communes("sur") == []  # connectors do not start a key…
        assert names(search_communes("d'ascq")) == ["Villeneuve-d'Ascq"]  # …nor a query on inner words

    def test_whole_name_prefixes_first(self):
        CommuneFactory(code_insee="11001", name="Valserhône-Nord")
        CommuneFactory(code_insee="11002", name="Bellegarde-sur-Valserine")
        CommuneFactory(code_insee="11003", name="Valserine")
        CommuneFactory(code_insee="11004", name="Chézery-Valserine", end_date=dt.date(1962, 1, 1))
        CommuneFactory(code_insee="11005", name="Aval-Valserine-Haute")
        assert names(search_communes("valser")) == [
            "Valserhône-Nord",  # whole names first, alphabetical
            "Valserine",
            "Aval-Valserine-Haute",  # then inner words: current ones alphabetical
            "Bellegarde-sur-Valserine",
            "Chézery-Valserine",  # ancient last
        ]
        assert names(search_communes("valserine")) == [
            "Valserine",
            "Bellegarde-sur-Valserine",  # inner word ending the name: exact, like a whole name
            "Chézery-Valserine",
            "Aval-Valserine-Haute",
        ]

    def test_inner_words_only_when_whole_names_do_not_fill_the_page(self):
        for n in range(5):
            CommuneFactory(code_insee=f"1200{n}", name=f"Valserine-{n}")
        CommuneFactory(code_insee="12010", name="Bellegarde-sur-Valserine")
        with CaptureQueriesContext(connection) as queries:
            assert len(search_communes("valserine", limit=5)) == 5
        assert len(queries) == 1
        assert names(search_communes("valserine", limit=6))[-1] == "Bellegarde-sur-Valserine"

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="plan SQLite")
    def test_inner_word_query_uses_the_word_key_index(self, ain):
        with CaptureQueriesContext(connection) as queries:
            search_communes("clemen", on_date=dt.date(2000, 1, 1))
        word_sql = [q["sql"] for q in queries if '"word_key" >=' in q["sql"]]
        assert word_sql
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + word_sql[0])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "word_key" in plan and "INDEX" in plan, plan


class TestRanking:
    def test_exact_before_prefix_and_current_before_ancient(self):
        CommuneFactory(code_insee="11111", name="Barre-des-Cévennes")
        CommuneFactory(code_insee="11112", name="Barre", end_date=dt.date(1973, 1, 1), start_date=dt.date(1943, 1, 1))
        CommuneFactory(code_insee="11113", name="Barre")
        CommuneFactory(code_insee="11114", name="Barrême-Ancienne", end_date=dt.date(1960, 1, 1))
        CommuneFactory(code_insee="11115", name="Barrême")
        found = search_communes("barre")
        assert [(r["nom"], r["code_insee"]) for r in found] == [
            ("Barre", "11113"),  # exact, current
            ("Barre", "11112"),  # exact, ancient
            ("Barre-des-Cévennes", "11111"),  # prefix, current, alphabetical
            ("Barrême", "11115"),
            ("Barrême-Ancienne", "11114"),  # prefix, ancient
        ]

    def test_limit(self):
        for n in range(30):
            CommuneFactory(code_insee=f"12{n:03d}", name=f"Villeneuve-{n:02d}")
        assert len(search_communes("villeneuve")) == 20
        assert len(search_communes("villeneuve", limit=5)) == 5
        assert len(search_communes("villeneuve", limit=500)) == 30  # capped at 50 anyway

    def test_a_fixed_small_number_of_queries(self, ain):
        with CaptureQueriesContext(connection) as queries:
            search_communes("bellegarde", on_date=dt.date(2000, 1, 1))
        assert len(queries) <= 4

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="plan SQLite")
    def test_prefix_query_uses_the_name_key_index(self, ain):
        with CaptureQueriesContext(connection) as queries:
            search_communes("bell", on_date=dt.date(2000, 1, 1))
        prefix_sql = [q["sql"] for q in queries if '"name_key" >=' in q["sql"]]
        assert prefix_sql
        with connection.cursor() as cursor:
            for sql in prefix_sql:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = " ".join(str(row) for row in cursor.fetchall())
                assert "name_key" in plan and "INDEX" in plan, plan


class TestLabels:
    def test_deleguee_and_arrondissement(self, ain):
        CommuneFactory(code_insee="75056", name="Paris", departement_code="75")
        CommuneFactory(code_insee="75101", kind=ARM, name="Paris 1er Arrondissement", parent_code="75056")
        paris = search_communes("paris")
        assert [r["libelle"] for r in paris] == [
            "Paris (75056) — commune",
            "Paris 1er Arrondissement (75101) — arrondissement municipal de Paris",
        ]
        assert commune_label(ain["bellegarde_comd"]) == (
            "Bellegarde-sur-Valserine (01033) — commune déléguée de Valserhône (01033)"
        )

    def test_vanished_without_successor_in_algeria(self):
        CommuneFactory(
            code_insee="91126",
            name="Boufarik",
            departement_code="91",
            start_date=dt.date(1943, 1, 1),
            end_date=dt.date(1962, 7, 5),
        )
        [boufarik] = search_communes("boufarik")
        assert boufarik["statut"] == "ancienne commune, disparue le 05/07/1962"
        # On its last day (1962) the départements of 1943 were long redrawn: only the territory is certain.
        assert boufarik["departement"]["nom"] == "Algérie"
        [boufarik_1950] = search_communes("boufarik", on_date=dt.date(1950, 1, 1))
        assert boufarik_1950["departement"]["nom"] == "Algérie, département d'Alger"
        assert boufarik["commune_actuelle"] is None

    def test_period_label(self):
        # 01/01/1943 is the COG's first state: the name was already in use, not created that day.
        assert period_label(dt.date(1943, 1, 1), None) == "depuis 1943 (au moins)"
        assert period_label(dt.date(1943, 1, 1), dt.date(1971, 1, 1)) == "de 1943 (au moins) au 31/12/1970"
        assert period_label(None, None) == "depuis 1943 (au moins)"
        assert period_label(dt.date(1965, 1, 1), dt.date(1971, 1, 1)) == "du 01/01/1965 au 31/12/1970"
        assert period_label(dt.date(2019, 1, 1), None) == "depuis le 01/01/2019"


class TestPays:
    def test_name_code_and_date(self):
        PaysFactory(code="99350", name="Maroc", start_date=dt.date(1956, 3, 2))
        PaysFactory(code="99352", name="Algérie", start_date=dt.date(1962, 7, 5))
        PaysFactory(code="98401", name="Madagascar", start_date=dt.date(1943, 1, 1), end_date=dt.date(1960, 6, 26))
        PaysFactory(code="99333", name="Madagascar", start_date=dt.date(1960, 6, 26))
        assert names(search_pays("algerie")) == ["Algérie"]
        assert names(search_pays("99350")) == ["Maroc"]
        assert [r["code_insee"] for r in search_pays("madag")] == ["99333", "98401"]
        assert [r["code_insee"] for r in search_pays("madag", on_date=dt.date(1955, 1, 1))] == ["98401"]
        assert search_pays("maroc", on_date=dt.date(1950, 1, 1)) == []
