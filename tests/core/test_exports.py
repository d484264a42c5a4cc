import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from ceres.core.exports import csv_response, csv_text, inert
from ceres.core.listes import Colonne, xlsx_file

pytestmark = pytest.mark.no_django_db

HOSTILE = ['=HYPERLINK("http://evil.test","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_cells_starting_like_a_formula_are_neutralised(value):
    assert inert(value) == "'" + value


@pytest.mark.parametrize("value", ["Dupont", "Jean-Pierre", "a=b", "", None, 42])
def test_ordinary_cells_are_unchanged(value):
    assert inert(value) == ("" if value is None else str(value))


def test_csv_every_cell_header_included():
    rows = list(csv.reader(io.StringIO(csv_text(["=titre"], [[v] for v in HOSTILE])), delimiter=";"))
    assert rows[0] == ["'=titre"]
    assert all(row[0].startswith("'") for row in rows[1:])


def test_csv_response_is_a_download_with_bom():
    response = csv_response('jures "a".csv', ["Nom"], [["=1"]])
    assert response["Content-Disposition"] == 'attachment; filename="jures--a-.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffNom")


def test_xlsx_text_cells_are_never_formulas_and_values_stay_typed():
    columns = [
        Colonne("Nom", lambda v: v),
        Colonne("Né le", lambda v: datetime.date(1980, 5, 1)),
        Colonne("Note", lambda v: 12),
    ]
    with xlsx_file(columns, HOSTILE, title="Export") as handle:
        data = handle.read()
    sheet = load_workbook(io.BytesIO(data)).active
    for row, value in zip(sheet.iter_rows(min_row=2), HOSTILE, strict=True):
        assert row[0].value == value.replace("\r", "\n")  # XML stores a lone CR as a line feed
        assert row[0].data_type == "s"
        assert row[0].quotePrefix
        assert row[1].value == datetime.datetime(1980, 5, 1)
        assert row[2].value == 12
    import zipfile

    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
