import datetime

import pytest

from ceres.editique import rules

pytestmark = pytest.mark.no_django_db


class TestNumberFormat:
    def test_format_pads_departement_and_sequence(self):
        number = rules.format_number(2026, "69", 123)
        assert number.startswith("TP-2026-069-000123-")
        assert len(number) == len("TP-2026-069-000123-K")

    def test_corsican_and_overseas_departements(self):
        assert rules.format_number(2026, "2A", 1).startswith("TP-2026-02A-000001-")
        assert rules.format_number(2026, "971", 1).startswith("TP-2026-971-000001-")

    def test_generated_numbers_check(self):
        for seq in range(1, 500):
            assert rules.check_number(rules.format_number(2026, "01", seq))

    def test_every_single_substitution_is_detected(self):
        number = rules.format_number(2026, "069", 4567)
        for i, char in enumerate(number):
            if char == "-":
                continue
            for other in rules.ALPHABET:
                if other != char:
                    assert not rules.check_number(number[:i] + other + number[i + 1 :])

    def test_adjacent_transpositions_are_detected(self):
        number = rules.format_number(2026, "069", 4567)
        body = number.replace("-", "")
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                rebuilt = f"{swapped[:2]}-{swapped[2:6]}-{swapped[6:9]}-{swapped[9:15]}-{swapped[15:]}"
                assert not rules.check_number(rebuilt)

    def test_typed_input_is_normalised(self):
        number = rules.format_number(2026, "69", 12)
        assert rules.check_number(" " + number.lower().replace("-", "–") + " ")

    def test_garbage_is_refused(self):
        assert not rules.check_number("")
        assert not rules.check_number("TP-2026-069-123-K")

    def test_invalid_inputs_raise_in_french(self):
        with pytest.raises(ValueError, match="département"):
            rules.format_number(2026, "6", 1)
        with pytest.raises(ValueError, match="séquence"):
            rules.format_number(2026, "69", 0)


class TestFrenchDates:
    def test_french_dates(self):
        assert rules.french_date(datetime.date(2026, 3, 1)) == "1er mars 2026"
        assert rules.french_date(datetime.date(2026, 8, 15)) == "15 août 2026"
