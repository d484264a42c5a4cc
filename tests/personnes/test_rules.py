"""Printable names, birth place text, département of a date, homonymy reasons: pure rules, no database."""

import datetime as dt
from pathlib import Path

import pytest

from ceres.personnes import rules
from ceres.referentiels.territoires import departement_on

pytestmark = pytest.mark.no_django_db


class TestPrintableNames:
    @pytest.mark.parametrize(
        "value",
        ["Lefèvre", "N'Diaye", "D’Angelo", "Müller-Łukasiewicz", "Nguyễn", "Øster Ström", "Şahin", "Ærø", "Groß"],
    )
    def test_latin_letters_with_diacritics_are_accepted(self, value):
        assert rules.name_errors(value, "Le nom") == []

    def test_first_names_take_a_comma(self):
        assert rules.name_errors("Jean-Pierre, Louis", "Les prénoms", first_names=True) == []
        assert rules.name_errors("Jean, Louis", "Le nom") != []

    @pytest.mark.parametrize(
        "value, shown",
        [
            ("Dupont\u202e", "U+202E"),  # right-to-left override
            ("Du\u200bpont", "U+200B"),  # zero-width space
            ("Dupont\x07", "caractère de contrôle"),
            ("Jean 😀", "emoji"),
            ("Иванов", "alphabet cyrillique"),
            ("Παπαδόπουλος", "alphabet grec"),
            ("王", "écriture chinoise"),
            ("Dupont2", "chiffre"),
            ("Dupont!", "« ! »"),
        ],
    )
    def test_unprintable_characters_are_refused_with_a_french_message(self, value, shown):
        [message] = rules.name_errors(value, "Le nom de naissance")
        assert message.startswith("Le nom de naissance contient un caractère non imprimable sur le parchemin")
        assert shown in message

    def test_decomposed_accents_are_composed(self):
        assert rules.clean_name("Le\u0301a") == "Léa"
        assert rules.name_errors("Le\u0301a", "Le prénom") == []

    def test_repertoire_is_what_the_parchemin_font_prints(self):
        """Every accepted letter exists in every Marianne style (and in the free font, which is larger)."""
        dsfr = pytest.importorskip("dsfr")
        ttlib = pytest.importorskip("fontTools.ttLib")
        fonts = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"
        for style in ("Regular", "Bold", "Regular_Italic"):
            cmap = ttlib.TTFont(fonts / f"Marianne-{style}.woff2").getBestCmap()
            assert {ord(c) for c in rules.PRINTABLE_LETTERS} <= set(cmap)


class TestFirstNames:
    def test_first_first_name(self):
        assert rules.first_first_name("Jean-Pierre, Louis") == "Jean-Pierre"
        assert rules.first_first_name("Marie Claire") == "Marie"
        assert rules.first_first_name("") == ""

    def test_display(self):
        assert rules.first_names_display("Marie Claire") == "Marie, Claire"
        assert rules.first_names_display("Jean-Pierre,Louis") == "Jean-Pierre, Louis"


class TestHomonymReason:
    @pytest.mark.parametrize(
        "reason", ["", "x", "ok ok ok", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "homonyme", "rien a dire"]
    )
    def test_trivial_reasons_are_refused(self, reason):
        assert rules.homonym_reason_errors(reason)

    def test_a_real_reason_is_accepted(self):
        assert rules.homonym_reason_errors("Jumeaux : pièces d'identité des deux frères vérifiées") == []


class TestDepartementOfTheDate:
    @pytest.mark.parametrize(
        "code, day, expected",
        [
            ("75", dt.date(1960, 1, 1), "Seine"),
            ("75", dt.date(1968, 1, 1), "Paris"),
            ("78", dt.date(1950, 1, 1), "Seine-et-Oise"),
            ("78", dt.date(1990, 1, 1), "Yvelines"),
            ("92", dt.date(1950, 1, 1), "Algérie, département d'Oran"),
            ("92", dt.date(1958, 1, 1), "Algérie"),
            ("92", dt.date(1980, 1, 1), "Hauts-de-Seine"),
            ("91", dt.date(1961, 1, 1), "Algérie"),
            ("91", dt.date(1975, 1, 1), "Essonne"),
            ("94", dt.date(1950, 1, 1), "Algérie, Territoires du Sud"),
            ("95", dt.date(1950, 1, 1), "Maroc"),
            ("95", dt.date(1970, 1, 1), "Val-d'Oise"),
            ("96", dt.date(1950, 1, 1), "Tunisie"),
            ("20", dt.date(1970, 1, 1), "Corse"),
            ("2A", dt.date(1980, 1, 1), "Corse-du-Sud"),
            ("44", dt.date(1950, 1, 1), "Loire-Inférieure"),
            ("44", dt.date(1960, 1, 1), "Loire-Atlantique"),
            ("22", dt.date(1985, 1, 1), "Côtes-du-Nord"),
            ("17", dt.date(1938, 1, 1), "Charente-Inférieure"),
            ("985", dt.date(1990, 1, 1), "Mayotte"),
            ("971", dt.date(1944, 1, 1), "Guadeloupe"),
            ("01", None, "Ain"),
        ],
    )
    def test_name_of_the_date(self, code, day, expected):
        assert departement_on(code, day) == expected

    def test_birth_place_text(self):
        assert rules.birth_place_text("Oran", "Algérie, département d'Oran") == "Oran (Algérie, département d'Oran)"
        assert rules.birth_place_text("", "Dahomey") == "Dahomey"
