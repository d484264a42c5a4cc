import datetime

import pytest

from ceres.personnes.identite import (
    CERTAIN,
    PROBABLE,
    IdentityFacts,
    blocking_keys,
    compare,
    name_forms,
    normalize_first_names,
    normalize_name,
    phonetic,
    swapped_date,
)

pytestmark = pytest.mark.no_django_db

BIRTH = datetime.date(1980, 5, 1)


def facts(name="Dupont", first="Jean-Pierre", day=BIRTH, usage="", place="69123"):
    return IdentityFacts(birth_name=name, first_names=first, birth_date=day, usage_name=usage, birth_place_code=place)


class TestNormalisation:
    @pytest.mark.parametrize(
        "raw, expected",
        [
            ("DUPONT", "dupont"),
            ("  Dupont   ", "dupont"),
            ("Lefèvre", "lefevre"),
            ("de La Fontaine", "fontaine"),
            ("D'Artagnan", "artagnan"),
            ("Martin-Dubois", "martin dubois"),
            ("Le", "le"),
        ],
    )
    def test_normalize_name(self, raw, expected):
        assert normalize_name(raw) == expected

    def test_particles_glued_or_not_share_a_form(self):
        assert name_forms("Du Pont") & name_forms("Dupont")
        assert name_forms("de la Fontaine") & name_forms("Delafontaine")
        assert name_forms("de la Fontaine") & name_forms("Fontaine")

    def test_first_names(self):
        assert normalize_first_names("Jean-Pierre, Marie  Hélène") == ["jeanpierre", "marie", "helene"]
        assert normalize_first_names("") == []

    def test_phonetic(self):
        assert phonetic("Dupont") == phonetic("Dupond")
        assert phonetic("Lefebvre") == phonetic("Lefèvre")
        assert phonetic("Dupont") != phonetic("Durand")

    def test_swapped_date(self):
        assert swapped_date(datetime.date(1980, 5, 1)) == datetime.date(1980, 1, 5)
        assert swapped_date(datetime.date(1980, 5, 20)) is None
        assert swapped_date(datetime.date(1980, 5, 5)) is None


class TestCompare:
    def test_done_when_example_is_certain(self):
        match = compare(facts("DUPONT", "Jean-Pierre"), facts("dupont", "jean pierre"))
        assert match.level == CERTAIN
        assert "même nom de naissance" in match.reasons

    def test_accents_and_particles_are_certain(self):
        assert compare(facts("Lefèvre", "Hélène"), facts("LEFEVRE", "helene")).level == CERTAIN
        assert compare(facts("de la Fontaine", "Jean"), facts("DELAFONTAINE", "Jean")).level == CERTAIN

    def test_phonetic_is_only_probable(self):
        match = compare(facts("Dupont"), facts("Dupond"))
        assert match.level == PROBABLE
        assert "noms de même prononciation" in match.reasons

    def test_one_letter_typo_is_probable(self):
        assert compare(facts("Bertrand"), facts("Bertarnd")).level == PROBABLE

    def test_day_month_swapped_is_probable(self):
        match = compare(facts(), facts(day=datetime.date(1980, 1, 5)))
        assert match.level == PROBABLE
        assert "dates de naissance avec jour et mois inversés" in match.reasons

    def test_usage_name_typed_as_birth_name_is_probable(self):
        married = facts("Martin", "Sophie", usage="Durand")
        assert compare(married, facts("Durand", "Sophie")).level == PROBABLE

    def test_first_names_in_another_order_is_probable(self):
        assert compare(facts(first="Marie Claire"), facts(first="Claire Marie")).level == PROBABLE

    def test_different_birth_place_is_not_certain(self):
        match = compare(facts(place="69123"), facts(place="75056"))
        assert match.level == PROBABLE
        assert "lieux de naissance différents" in match.reasons

    def test_missing_place_does_not_block_certain(self):
        assert compare(facts(place=""), facts(place="75056")).level == CERTAIN

    def test_no_match(self):
        assert not compare(facts(), facts(day=datetime.date(1981, 5, 1)))
        assert not compare(facts("Dupont", "Jean"), facts("Durand", "Jean"))
        assert not compare(facts("Dupont", "Jean"), facts("Dupont", "Paul"))
        # Two weak signals together are not enough.
        assert not compare(facts("Dupont", "Jean"), facts("Dupond", "Joan"))


class TestBlockingKeys:
    @pytest.mark.parametrize(
        "variant",
        [
            facts("dupont", "jean pierre"),
            facts("Dupond", "Jean-Pierre"),
            facts("Dupnot", "Jean-Pierre"),
            facts("Dupont", "Pierre Jean"),
            facts("Dupont", "Jean-Pierre", day=datetime.date(1980, 1, 5)),
            facts("Durand", "Jean-Pierre", usage="Dupont"),
            # Fuzzy name with swapped day/month, or with first names reordered.
            facts("Dupond", "Jean-Pierre", day=datetime.date(1980, 1, 5)),
            facts("Dupnot", "Jean-Pierre", day=datetime.date(1980, 1, 5)),
            facts("Dupnot", "Pierre Jean"),
            facts("Dupnot", "Pierre, Jean", day=datetime.date(1980, 1, 5)),
            facts("Dupont", "Jaen-Pierre", day=datetime.date(1980, 1, 5)),
        ],
    )
    def test_every_matching_variant_shares_a_key(self, variant):
        original = facts("DUPONT", "Jean-Pierre")
        assert compare(original, variant)
        assert blocking_keys(original) & blocking_keys(variant)

    def test_no_birth_date_no_key(self):
        assert blocking_keys(facts(day=None)) == set()

    def test_keys_fit_the_column(self):
        assert all(len(k) <= 120 for k in blocking_keys(facts("X" * 300)))
