import datetime as dt

import pytest

from ceres.core.fichiers import parse_date

pytestmark = pytest.mark.no_django_db


def test_dates_typed_in_imported_files():
    assert parse_date(" 31/12/2029 ") == dt.date(2029, 12, 31)
    assert parse_date("2029-12-31") == dt.date(2029, 12, 31)
    assert parse_date("") is None and parse_date(None) is None


def test_unreadable_date_is_refused_with_the_value_as_typed():
    with pytest.raises(ValueError, match="^31-12-2029$"):
        parse_date("31-12-2029")
    assert parse_date("31-12-2029", ("%d/%m/%Y", "%d-%m-%Y")) == dt.date(2029, 12, 31)
