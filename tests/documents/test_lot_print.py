"""Bulk printing on the real path (issue 13): one compile per chunk, per-document files cut from it, queries bounded
per document, documents printed meanwhile skipped and reported, a lot resumable without a second number or file."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ceres.documents import services, tasks
from ceres.documents.models import ImpressionLot, Parchemin, StatutLot
from ceres.editique import pdf
from ceres.editique.models import Compteur
from ceres.editique.numbering import number_allocate
from ceres.examens.enums import TypeCertification
from tests.documents.factories import ud_agent, validated_session
from tests.documents.test_views import scan_qr
from tests.editique.test_pdf import text_of
from tests.examens.factories import CertificationFactory, InscriptionFactory

PER_DOCUMENT = 6  # lock, edition, journal, lot counter (+ the savepoint pair of the test's outer transaction)
PER_CHUNK = 16  # the chunk's certifications read at once with what they print, the UD, « Fait à »


def session_with(count: int, *, numbered: bool = True):
    session = validated_session()
    certs = []
    for _ in range(count):
        cert = CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
        if numbered:  # numbered at the session's validation, as today
            cert.number = number_allocate(year=cert.awarded_on.year, departement_code=session.departement.code)
            cert.save(update_fields=["number"])
        certs.append(cert)
    return session, certs


def new_lot(session, **kwargs) -> ImpressionLot:
    total = len(services.lot_batch(session))
    return ImpressionLot.objects.create(session=session, requested_by=ud_agent(session), total=total, **kwargs)


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


@pytest.fixture
def compiles(monkeypatch):
    """Counts the Typst compiles."""
    calls = []
    real = pdf._compile

    def counting(template_name, items, **kwargs):
        calls.append(len(items))
        return real(template_name, items, **kwargs)

    monkeypatch.setattr(pdf, "_compile", counting)
    return calls


def test_one_compile_per_chunk_each_document_its_own_file(monkeypatch, compiles):
    monkeypatch.setattr(services, "LOT_CHUNK", 3)
    session, certs = session_with(7)
    lot = new_lot(session)
    tasks.print_session_lot.call(lot.pk)
    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE and lot.done == 7 and lot.skipped == [], lot.error
    assert compiles == [3, 3, 1]  # one compile per chunk, nothing rendered twice
    numbers = []
    for parchemin in Parchemin.objects.filter(lot=lot).order_by("created_at", "pk"):
        content = read(parchemin.file)
        assert len(PdfReader(io.BytesIO(content)).pages) == 1
        assert parchemin.number in text_of(content)
        assert f"/documents/verifier/{parchemin.number}?e=O&s=" in scan_qr(content)  # its own QR code
        numbers.append(parchemin.number)
    # The lot's one file: every page, in print order, gathered from the chunks.
    whole = PdfReader(io.BytesIO(read(lot.file)))
    assert [page.extract_text().split("N° unique d’identification")[1].split()[0] for page in whole.pages] == numbers


def test_queries_per_document_are_bounded(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(services, "LOT_CHUNK", 4)

    def queries(count):
        lot = new_lot(session_with(count)[0])
        with CaptureQueriesContext(connection) as captured:
            tasks.print_session_lot.call(lot.pk)
        lot.refresh_from_db()
        assert lot.done == count, lot.error
        return len(captured)

    # No query per document beyond its own writes: 4 more documents (one more chunk) cost what they write.
    assert queries(8) - queries(4) <= 4 * PER_DOCUMENT + PER_CHUNK
    lot = new_lot(session_with(12)[0])
    with django_assert_max_num_queries(12 * PER_DOCUMENT + 3 * PER_CHUNK + 12):
        tasks.print_session_lot.call(lot.pk)


def test_document_printed_meanwhile_is_skipped_and_reported_not_blocking(client, monkeypatch):
    session, certs = session_with(4)
    agent = ud_agent(session)
    real = services.render_parts

    def someone_prints_one_meanwhile(template_name, items):
        services.parchemin_issue(certification=certs[1], by=agent)  # the same document, printed at the unit
        return real(template_name, items)

    monkeypatch.setattr(services, "render_parts", someone_prints_one_meanwhile)
    lot = new_lot(session)
    tasks.print_session_lot.call(lot.pk)
    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE and lot.done == 3, lot.error
    assert len(lot.skipped) == 1 and certs[1].candidat.display_name in lot.skipped[0]
    assert certs[1].parchemins.count() == 1 and not certs[1].parchemins.filter(lot=lot).exists()  # not twice
    assert len(PdfReader(io.BytesIO(read(lot.file))).pages) == 3
    client.force_login(lot.requested_by)
    fragment = client.get(reverse("documents:lot_progress", args=[lot.public_id])).content.decode()
    assert "1 document non imprimé par ce lot" in fragment and certs[1].candidat.display_name in fragment


def test_interrupted_lot_resumes_without_a_second_number_or_file(monkeypatch):
    """Old session (numbers allocated by the lot): the worker dies while storing the third document."""
    monkeypatch.setattr(services, "LOT_CHUNK", 4)
    session, certs = session_with(6, numbered=False)
    lot = new_lot(session, paper_original=False)
    real = services.store_once
    stored = []

    def dies_at_the_third(content, **kwargs):
        if len(stored) == 2:
            raise OSError("disque plein")
        stored.append(content)
        return real(content, **kwargs)

    monkeypatch.setattr(services, "store_once", dies_at_the_third)
    tasks.print_session_lot.call(lot.pk)
    lot.refresh_from_db()
    assert lot.status == StatutLot.ECHEC and lot.done == 2 and "disque plein" in lot.error
    numbered = {c.pk: c.number for c in type(certs[0]).objects.filter(pk__in=[c.pk for c in certs]) if c.number}
    assert len(numbered) == 4  # the first chunk's numbers, committed before its compile

    monkeypatch.setattr(services, "store_once", real)
    lot.status = StatutLot.EN_COURS  # what the takeover of a dead worker resumes (tests/jobs: the kill -9 run)
    lot.save(update_fields=["status"])
    tasks.print_session_lot.call(lot.pk)
    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE and lot.done == 6, lot.error
    printed = Parchemin.objects.filter(lot=lot)
    assert printed.count() == 6 and printed.values("certification").distinct().count() == 6
    for cert in certs:
        cert.refresh_from_db()
        assert numbered.get(cert.pk, cert.number) == cert.number  # a number allocated once keeps its value
    assert Compteur.objects.get().last_value == 6  # six numbers, none lost, none twice
    assert len(set(printed.values_list("file", flat=True))) == 6
    assert len(PdfReader(io.BytesIO(read(lot.file))).pages) == 6  # pages of both runs in one file
