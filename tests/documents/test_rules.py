import datetime

import pytest

from ceres.documents import rules

pytestmark = pytest.mark.no_django_db


class TestTexts:
    def test_duplicata_mention(self):
        assert rules.duplicata_mention(1, datetime.date(2026, 11, 28)) == (
            "DUPLICATA n° 1 — délivré le 28 novembre 2026, annule et remplace l'exemplaire original"
        )
        assert "l'original et les duplicatas précédents" in rules.duplicata_mention(2, datetime.date(2026, 11, 28))

    def test_initials(self):
        assert rules.initials("Léa Anne", "Martin") == "L. M."
        assert rules.initials("", "Martin") == "M."


class TestEditions:
    def test_codes(self):
        assert [rules.edition_code(e) for e in (0, 1, 12)] == ["O", "D1", "D12"]
        assert [rules.edition_from_code(c) for c in ("O", "d3", "D0", "X", "", "D")] == [0, 3, None, None, None, None]

    def test_next_edition(self):
        assert rules.next_edition([]) == 0
        assert rules.next_edition([], paper_original=True) == 1  # the paper original was edition 0
        assert rules.next_edition([0, 1]) == 2

    def test_duplicata_needs_a_printed_copy_and_a_reason(self):
        assert rules.duplicata_refusals(reason="perte", detail="", has_edition=True) == []
        assert rules.duplicata_refusals(reason="", detail="", has_edition=True)
        assert rules.duplicata_refusals(reason="original_papier", detail="", has_edition=True)
        assert rules.duplicata_refusals(reason="autre", detail="court", has_edition=True)
        assert (
            rules.duplicata_refusals(reason="autre", detail="Dégât des eaux chez le titulaire", has_edition=True) == []
        )
        assert rules.duplicata_refusals(reason="perte", detail="", has_edition=False)

    def test_first_print_of_an_old_certification_asks_for_the_paper_original(self):
        assert rules.first_print_refusals(numbered=False, declared=False)
        assert rules.first_print_refusals(numbered=False, declared=True) == []
        assert rules.first_print_refusals(numbered=True, declared=False) == []

    def test_verification_state(self):
        state = rules.verification_state
        assert state(signature_ok=True, annulled=False, current=True) == "authentique"
        assert state(signature_ok=True, annulled=False, current=False) == "remplace"
        assert state(signature_ok=True, annulled=True, current=True) == "annule"
        assert state(signature_ok=True, annulled=True, current=False) == "annule"
        assert state(signature_ok=False, annulled=True, current=False) == "signature_invalide"
        assert state(signature_ok=None, annulled=False, current=False) == "numero_attribue"
        assert state(signature_ok=None, annulled=True, current=False) == "annule"
