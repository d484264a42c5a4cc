"""rows.insert writes the row save() writes (bulk printing inserts its editions and journal entries with it)."""

import pytest
from django.forms.models import model_to_dict

from ceres.core.journal import journal_for, journal_record
from ceres.core.rows import insert
from ceres.documents.models import Parchemin
from tests.documents.factories import PrintableCertificationFactory, ud_agent

SET_BY_THE_DATABASE_OR_THE_CLOCK = ("id", "public_id", "created_at", "updated_at", "edition", "nature")


def edition(cert, by, number: int) -> Parchemin:
    return Parchemin(
        certification=cert,
        number="TP-2026-069-000123-K",
        nature="duplicata",
        edition=number,
        reason="perte",
        template="parchemin.typ",
        printed_by=by,
        file="parchemins/2026/ab/abc.pdf",
        sha256="a" * 64,
        signature="dev.signature",
        facts={"titre": "RNCP1", "annee_naissance": 1990, "édition": "D1"},
    )


def test_same_row_as_save_with_key_dates_and_public_id():
    cert = PrintableCertificationFactory()
    by = ud_agent(cert.session)
    saved = edition(cert, by, 1)
    saved.save()
    inserted = insert(edition(cert, by, 2))

    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    assert inserted.created_at and inserted.public_id and inserted.public_id != saved.public_id
    rows = {p.edition: p for p in Parchemin.objects.filter(certification=cert)}
    assert rows[2].pk == inserted.pk and rows[2].public_id == inserted.public_id
    assert rows[2].created_at == inserted.created_at  # the instance holds what was written
    ignored = SET_BY_THE_DATABASE_OR_THE_CLOCK
    assert model_to_dict(rows[2], exclude=ignored) == model_to_dict(rows[1], exclude=ignored)
    assert rows[2].facts == {"titre": "RNCP1", "annee_naissance": 1990, "édition": "D1"}


def test_journal_entries_inserted_and_only_new_rows():
    cert = PrintableCertificationFactory()
    entry = journal_record(action="update", obj=cert, changes={"numéro": [None, "TP-1"]}, operation="number_allocate")
    assert list(journal_for(cert)) == [entry] and journal_for(cert).get().changes == {"numéro": [None, "TP-1"]}
    with pytest.raises(ValueError, match="nouvelle ligne"):
        insert(entry)
