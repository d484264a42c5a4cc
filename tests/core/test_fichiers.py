import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ceres.core import fichiers
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


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_reads_like_its_csv_export():
    data = _workbook(
        [
            ["nom", "date", "cp"],
            ["Zoé", dt.datetime(1990, 5, 2), 1000.0],
            [None, None, None],  # blank row: skipped, line numbers stay the sheet's
            ["Léo", "02/05/1991", "01000"],
            ["Ana", "x", "1", "de trop"],
        ]
    )
    errors, rows, ragged = fichiers.read_columns(
        data, {"nom": ("nom",), "date": ("date",), "cp": ("cp",)}, ("nom",), xlsx=True
    )
    assert errors == []
    assert rows == [
        (2, {"nom": "Zoé", "date": "02/05/1990", "cp": "1000"}),
        (4, {"nom": "Léo", "date": "02/05/1991", "cp": "01000"}),
    ]
    assert [line for line, _ in ragged] == [5] and "au-delà des 3 colonnes" in ragged[0][1]
    # Without xlsx=True a workbook stays refused as before (VALCE, reprise des jurys).
    assert fichiers.read_columns(data, {"nom": ("nom",)}, ("nom",))[0] == [
        "Le fichier est un classeur (xlsx, ods) et non un CSV : enregistrez-le au format CSV."
    ]
