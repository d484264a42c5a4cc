import datetime

import pytest

from ceres.documents import rules

pytestmark = pytest.mark.no_django_db


class TestTexts:
    def test_reprint_mention(self):
        assert rules.reprint_mention(datetime.date(2026, 11, 28)).startswith(
            "DUPLICATA — réimprimé le 28 novembre 2026"
        )

    def test_initials(self):
        assert rules.initials("Léa Anne", "Martin") == "L. M."
        assert rules.initials("", "Martin") == "M."
