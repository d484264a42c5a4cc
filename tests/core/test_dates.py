import datetime

import pytest

from ceres.core.dates import add_months, fr_date

pytestmark = pytest.mark.no_django_db


def test_add_months_clamps_to_the_last_day_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2028, 8, 1), 24) == datetime.date(2030, 8, 1)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


def test_fr_date():
    assert fr_date(datetime.date(2030, 8, 1)) == "01/08/2030"
    assert fr_date(None, "?") == "?"
