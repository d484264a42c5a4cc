import datetime as dt

import pytest

from ceres.referentiels import rules
from ceres.referentiels.rules import Statut

pytestmark = pytest.mark.no_django_db


class TestCodes:
    @pytest.mark.parametrize("raw", ["326 t", "326T", " 326-t ", "326t"])
    def test_nsf_normalised(self, raw):
        assert rules.normalize_nsf(raw) == "326t"

    @pytest.mark.parametrize("raw", ["RNCP38667", "rncp 38667", "\tRNCP38667", "38667"])
    def test_rncp_normalised(self, raw):
        assert rules.normalize_rncp(raw) == "RNCP38667"

    def test_rncp_validation(self):
        assert rules.rncp_problems("RNCP435") == []
        assert rules.rncp_problems("RS5678") == []
        assert rules.rncp_problems("RNCP12") == [
            "Le numéro « RNCP12 » n'est pas un numéro RNCP valide (RNCP suivi de 3 à 5 chiffres, ex. RNCP38667)."
        ]

    @pytest.mark.parametrize(
        ("raw", "level"),
        [("NIV5", 5), ("NIV3", 3), ("Niveau 6", 6), ("7", 7), ("V", 3), ("IV", 4), ("III", 5), ("II", 6), ("I", 7)],
    )
    def test_levels(self, raw, level):
        assert rules.parse_niveau(raw) == level

    @pytest.mark.parametrize("raw", ["", "NIV2", "NIV8", "VI", "bac"])
    def test_unknown_levels(self, raw):
        assert rules.parse_niveau(raw) is None


class TestPrintable:
    def test_complete_title_is_printable(self):
        assert rules.titre_printable_problems("Assistant de direction", 5, ["324p"]) == []

    def test_every_missing_piece_is_explained(self):
        problems = rules.titre_printable_problems("", None, [])
        assert len(problems) == 3
        assert any("Intitulé manquant" in p for p in problems)
        assert any("Niveau manquant" in p for p in problems)
        assert any("Code NSF manquant" in p for p in problems)

    def test_level_out_of_range(self):
        assert rules.titre_printable_problems("X", 2, ["324p"]) == [
            "Niveau 2 invalide : il doit être compris entre 3 et 7."
        ]


class TestCycleDeVie:
    def cycle(self, start, end, today):
        return rules.titre_cycle_de_vie(start, end, today, prolongation_months=12, prolongation_cfa_crp_months=24)

    def test_active(self):
        assert self.cycle(dt.date(2024, 7, 29), dt.date(2029, 7, 29), dt.date(2026, 11, 28)).statut == Statut.ACTIF

    def test_end_date_is_excluded(self):
        assert self.cycle(None, dt.date(2025, 9, 1), dt.date(2025, 9, 1)).statut == Statut.PROLONGATION

    def test_tai_in_prolongation_for_cfa_crp_only(self):
        cycle = self.cycle(None, dt.date(2025, 9, 1), dt.date(2026, 11, 28))
        assert cycle.statut == Statut.PROLONGATION
        # Last days (inclusive), counted from the title's last valid day 31/08/2025 (docs/decisions/0003).
        assert cycle.prolongation_end == dt.date(2026, 8, 31)
        assert cycle.prolongation_cfa_crp_end == dt.date(2027, 8, 31)

    def test_prolongation_last_day_is_included_and_counted_from_the_last_valid_day(self):
        assert self.cycle(None, dt.date(2028, 2, 29), dt.date(2030, 2, 28)).statut == Statut.PROLONGATION
        assert self.cycle(None, dt.date(2028, 2, 29), dt.date(2030, 3, 1)).statut == Statut.TERMINE

    @pytest.mark.parametrize(
        "today", [dt.date(2026, 3, 1), dt.date(2026, 2, 28), dt.date(2028, 2, 29), dt.date(2027, 7, 31)]
    )
    @pytest.mark.parametrize("months", [12, 24])
    def test_sql_cutoff_mirrors_the_rule(self, today, months):
        cutoff = rules.prolongation_cutoff(today, months)
        for offset in range(-5, 6):
            end = cutoff + dt.timedelta(days=offset)
            still = rules.last_day_after_end_of_life(end, months) >= today
            assert still == (end > cutoff), (end, cutoff)

    def test_ended(self):
        assert self.cycle(dt.date(2016, 2, 22), dt.date(2021, 2, 22), dt.date(2026, 11, 28)).statut == Statut.TERMINE

    def test_upcoming_and_unknown(self):
        assert self.cycle(dt.date(2027, 1, 1), None, dt.date(2026, 11, 28)).statut == Statut.A_VENIR
        assert self.cycle(None, None, dt.date(2026, 11, 28)).label == "Dates inconnues"
