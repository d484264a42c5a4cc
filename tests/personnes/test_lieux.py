"""The single birth-place lookup and the geography of matching, on rows of the INSEE history."""

import datetime as dt

import pytest

from ceres.personnes.geographie import Geographie
from ceres.personnes.identite import CERTAIN, PROBABLE, IdentityFacts, compare
from ceres.personnes.lieux import lieu_naissance, lieu_naissance_de, resolve_birth_places
from tests.referentiels.factories import CommuneFactory, PaysFactory

D = dt.date


@pytest.fixture
def history(db):
    """Rows as the COG loader writes them (codes, periods and events of the 2026 files)."""
    rows = {
        "oran": CommuneFactory(code_insee="92110", name="Oran", departement_code="92", start_date=D(1943, 1, 1),
                               end_date=D(1962, 7, 5)),
        "boulogne_75": CommuneFactory(code_insee="75012", name="Boulogne-Billancourt", departement_code="75",
                                      start_date=D(1943, 1, 1), end_date=D(1968, 1, 1), event="departement",
                                      event_successor_code="92012", successor_code="92012",
                                      successor_name="Boulogne-Billancourt"),
        "boulogne_92": CommuneFactory(code_insee="92012", name="Boulogne-Billancourt", departement_code="92",
                                      start_date=D(1968, 1, 1)),
        "arlod": CommuneFactory(arlod=True),
        "bellegarde": CommuneFactory(code_insee="01033", name="Bellegarde-sur-Valserine", start_date=D(1956, 10, 19),
                                     end_date=D(2019, 1, 1), event="nom", event_successor_code="01033",
                                     successor_code="01033", successor_name="Valserhône"),
        "valserhone": CommuneFactory(code_insee="01033", name="Valserhône", start_date=D(2019, 1, 1)),
        "lyon": CommuneFactory(code_insee="69123", name="Lyon", departement_code="69"),
        "lyon3": CommuneFactory(code_insee="69383", name="Lyon 3e Arrondissement", departement_code="69",
                                kind="ARM", parent_code="69123"),
        "lyon5": CommuneFactory(code_insee="69385", name="Lyon 5e Arrondissement", departement_code="69",
                                kind="ARM", parent_code="69123"),
        "dahomey": PaysFactory(code="99327", name="Dahomey", start_date=D(1960, 8, 1), end_date=D(1975, 11, 30)),
        "benin": PaysFactory(code="99327", name="Bénin", start_date=D(1975, 11, 30)),
    }  # fmt: skip
    return rows


class TestBirthPlaceAsNamed:
    def test_issue_examples(self, history):
        assert lieu_naissance_de(commune=history["oran"], le=D(1950, 3, 1)).texte == (
            "Oran (Algérie, département d'Oran)"
        )
        assert lieu_naissance_de(commune=history["oran"], le=D(1958, 3, 1)).texte == "Oran (Algérie)"
        assert lieu_naissance_de(commune=history["boulogne_75"], le=D(1960, 3, 1)).texte == (
            "Boulogne-Billancourt (Seine)"
        )
        assert lieu_naissance_de(commune=history["boulogne_92"], le=D(1980, 3, 1)).texte == (
            "Boulogne-Billancourt (Hauts-de-Seine)"
        )

    def test_a_country_is_named_as_on_the_birth_date(self, history):
        assert lieu_naissance_de(pays=history["benin"], ville="Cotonou", le=D(1970, 1, 1)).texte == (
            "Cotonou (Dahomey)"
        )

    def test_a_later_period_stored_is_named_as_on_the_birth_date(self, history):
        assert lieu_naissance_de(commune=history["valserhone"], le=D(1970, 1, 1)).nom == "Bellegarde-sur-Valserine"


class TestPageOfPersons:
    """A list page names every birth place as on its birth date, in one query per referential (not per file)."""

    def test_resolved_together_as_one_by_one(self, history, django_assert_max_num_queries):
        from tests.candidats.factories import CandidatFactory

        made = [
            CandidatFactory(birth_commune=history["valserhone"], birth_date=D(1970, 1, 1)),
            CandidatFactory(birth_commune=history["valserhone"], birth_date=D(1950, 1, 1)),  # no period then
            CandidatFactory(birth_commune=history["lyon"], birth_date=D(1990, 5, 5)),
            CandidatFactory(abroad=True, birth_country=history["benin"], birth_town_abroad="Cotonou",
                            birth_date=D(1970, 1, 1)),
            CandidatFactory(birth_commune=None, birth_country=None),
        ]  # fmt: skip
        from ceres.candidats.models import Candidat

        expected = [lieu_naissance(c) for c in made]
        page = list(Candidat.objects.select_related("birth_commune", "birth_country").order_by("id"))
        with django_assert_max_num_queries(2):
            resolve_birth_places(page)
            labels = [c.birth_place_label for c in page for _ in range(2)]
        assert labels[::2] == [lieu.texte if lieu else "" for lieu in expected]
        assert labels[::2] == [
            "Bellegarde-sur-Valserine (Ain)",
            "Valserhône (Ain)",
            "Lyon (Rhône)",
            "Cotonou (Dahomey)",
            "",
        ]

    def test_a_changed_birth_place_is_named_again(self, history):
        from tests.candidats.factories import CandidatFactory

        candidat = CandidatFactory(birth_commune=history["valserhone"], birth_date=D(2020, 1, 1))
        assert candidat.birth_place_label == "Valserhône (Ain)"
        candidat.birth_date = D(1970, 1, 1)
        assert candidat.birth_place_label == "Bellegarde-sur-Valserine (Ain)"


def facts(place, day=None, **kw):
    day = day or D(1965, 6, 1)
    values = {"birth_name": "Martin", "first_names": "Paul", "birth_date": day, "birth_place_code": place} | kw
    return IdentityFacts(**values)


class TestSamePlace:
    def test_absorbed_commune_is_the_same_place_either_way(self, history):
        match = compare(facts("01018"), facts("01033"), Geographie())
        assert match.level == CERTAIN
        assert any("Arlod (01018) fusionnée le 01/01/1971" in r for r in match.reasons)
        assert compare(facts("01033"), facts("01018"), Geographie()).level == CERTAIN

    def test_arrondissement_and_its_city(self, history):
        match = compare(facts("69383", D(1980, 1, 1)), facts("69123", D(1980, 1, 1)), Geographie())
        assert match.level == CERTAIN
        assert "Lyon 3e Arrondissement est un arrondissement municipal de Lyon" in match.reasons[-1]

    def test_two_arrondissements_are_two_places(self, history):
        match = compare(facts("69383", D(1980, 1, 1)), facts("69385", D(1980, 1, 1)), Geographie())
        assert match.level == PROBABLE

    def test_code_change_of_1968(self, history):
        assert compare(facts("75012", D(1960, 1, 1)), facts("92012", D(1960, 1, 1)), Geographie()).level == CERTAIN

    def test_without_geography_only_equal_codes_are_one_place(self):
        assert compare(facts("01018"), facts("01033")).level == PROBABLE
