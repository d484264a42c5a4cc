"""List exports: every list page gives its filtered rows in CSV and XLSX, inert in a spreadsheet."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ceres.core.models import JournalEntry
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import CentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, SessionExamenFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory


def _content(response):
    """Read a streamed response the way a WSGI server does: the test client closes it after the last chunk, with
    Django's close_old_connections unplugged. Never call response.close() by hand in a test: it fires
    request_finished with close_old_connections plugged, which drops the connection of the test's transaction
    (autocommit off) — on PostgreSQL the next query fails with « the connection is closed » (SQLite's in-memory
    test database ignores the close)."""
    return b"".join(response.streaming_content)


def _xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = _content(response)
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def _csv_lines(response):
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the accents
    return text[1:].splitlines()


def test_juror_list_exports_filtered_rows_with_neutralised_cells(client):
    ud_agent = UserFactory(agent_ud=True)
    hostile = MembreJuryFactory(ud=ud_agent.ud, birth_name="Martin", employer_name='=HYPERLINK("http://x","y")')
    HabilitationFactory(membre=hostile)
    MembreJuryFactory(ud=ud_agent.ud, birth_name="Bernard")
    MembreJuryFactory(birth_name="Martin")  # another UD: out of scope
    client.force_login(ud_agent)
    url = reverse("jurys:membre_list")

    rows, sheet = _xlsx_rows(client.get(url, {"q": "mart", "export": "xlsx"}))
    assert rows[0][:3] == ["Civilité", "Nom de naissance", "Nom d'usage"]
    assert [r[1] for r in rows[1:]] == ["Martin"]  # the filter and the scope hold
    employer = sheet.cell(row=2, column=6)
    assert employer.value == '=HYPERLINK("http://x","y")' and employer.data_type == "s" and employer.quotePrefix
    assert hostile.habilitations.get().titre.display_name in rows[1][-1]

    lines = _csv_lines(client.get(url, {"export": "csv"}))
    assert len(lines) == 3 and lines[0].startswith("Civilité;")
    assert "'=HYPERLINK" in "".join(lines)
    exports = JournalEntry.objects.filter(operation="export_membres-jury")
    assert exports.count() == 2 and exports.first().actor == ud_agent


def test_session_list_exports_sessions_and_their_registrations(client):
    session = SessionExamenFactory()
    InscriptionFactory(session=session, candidat=CandidatFactory(birth_name="Durand"))
    SessionExamenFactory()  # another centre
    user = UserFactory(gestionnaire_centre=True)
    from tests.centres.factories import MembreCentreFactory

    MembreCentreFactory(user=user, centre=session.centre)
    client.force_login(user)
    url = reverse("examens:session_list")
    rows, _ = _xlsx_rows(client.get(url, {"export": "xlsx"}))
    assert len(rows) == 2 and rows[1][0] == session.titre.display_name
    lines = _csv_lines(client.get(url, {"lignes": "inscriptions", "export": "csv"}))
    assert len(lines) == 2 and "Durand" in lines[1]
    assert JournalEntry.objects.filter(operation="export_inscriptions-resultats").exists()


def test_centre_candidate_and_agrement_lists_export_both_formats(client):
    admin = UserFactory(admin_national=True)
    CentreFactory(name="Formapro")
    CandidatFactory(birth_name="Petit")
    client.force_login(admin)
    for name in ("centres:centre_list", "centres:agrement_list", "candidats:list"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(name), {"export": fmt})
            assert response.status_code == 200, (name, fmt)
            assert "attachment;" in response["Content-Disposition"], (name, fmt)
            assert _content(response), (name, fmt)  # read to the end: the temporary file is closed
    # A name filter reads two index ranges (not a QuerySet): the export follows it.
    lines = _csv_lines(client.get(reverse("candidats:list"), {"q": "pet", "export": "csv"}))
    assert len(lines) == 2 and "Petit" in lines[1]
    html = client.get(reverse("centres:centre_list")).content.decode()
    assert "Exporter en CSV" in html and "Exporter en XLSX" in html


@pytest.mark.django_db(transaction=True)
def test_csv_export_streams_after_the_request_transaction_as_a_wsgi_server_serves_it(client, monkeypatch):
    """The production path, not the test client's: Django's WSGI handler returns the response once the view's
    transaction has committed, the server iterates the CSV (the rows are read then, in chunks, by a cursor that
    outlives that transaction) and only then calls close(), which fires request_finished."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    from ceres.core import listes

    monkeypatch.setattr(listes, "CHUNK", 2)  # several chunks with a few rows
    ud_agent = UserFactory(agent_ud=True)
    for name in ("Martin", "Bernard", "Petit", "Durand", "Leroy"):
        MembreJuryFactory(ud=ud_agent.ud, birth_name=name)
    client.force_login(ud_agent)
    environ = RequestFactory()._base_environ(
        PATH_INFO=reverse("jurys:membre_list"),
        QUERY_STRING="export=csv",
        HTTP_COOKIE=client.cookies.output(header="", sep=";"),
    )
    started = []
    body = WSGIHandler()(environ, lambda status, headers: started.append(status))
    try:
        text = b"".join(body).decode("utf-8")
    finally:
        body.close()
    assert started == ["200 OK"]
    names = sorted(line.split(";")[1] for line in text[1:].splitlines()[1:])
    assert names == ["Bernard", "Durand", "Leroy", "Martin", "Petit"]
    assert JournalEntry.objects.filter(operation="export_membres-jury", actor=ud_agent).count() == 1


def test_duplicates_list_exports_the_pairs_in_scope(client):
    from ceres.candidats import services as candidats_services
    from ceres.candidats.selectors import doublons_detect
    from tests.referentiels.factories import CommuneFactory, DepartementFactory, UniteDepartementaleFactory

    ud = UniteDepartementaleFactory(departement=DepartementFactory(code="69", name="Rhône"))
    lyon = CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    born = datetime.date(1980, 5, 1)
    CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=born, commune=lyon)
    CandidatFactory(birth_name="=Dupond", first_names="Jean", birth_date=born, commune=lyon)
    candidats_services.doublons_store(list(doublons_detect()))
    agent = UserFactory(agent_ud=True, ud=ud)
    client.force_login(agent)
    url = reverse("candidats:doublons")
    assert "Exporter en XLSX" in client.get(url).content.decode()

    rows, sheet = _xlsx_rows(client.get(url, {"export": "xlsx"}))
    assert len(rows) == 2 and rows[0][:3] == ["Niveau", "Statut", "N° dossier A"]
    names = {rows[1][3], rows[1][9]}
    assert names == {"Dupont", "=Dupond"}
    hostile = next(cell for cell in sheet[2] if cell.value == "=Dupond")
    assert hostile.data_type == "s" and hostile.quotePrefix
    lines = _csv_lines(client.get(url, {"export": "csv"}))
    assert len(lines) == 2 and "'=Dupond" in lines[1]
    assert JournalEntry.objects.filter(operation="export_doublons", actor=agent).count() == 2

    other_ud = UserFactory(agent_ud=True)  # another département: neither file is in its scope
    client.force_login(other_ud)
    assert len(_csv_lines(client.get(url, {"export": "csv"}))) == 1


def test_print_log_exports_the_printed_copies_of_the_filters(client):
    from ceres.documents import services as documents_services
    from tests.documents.factories import PrintableCertificationFactory, ud_agent

    cert = PrintableCertificationFactory()
    agent = ud_agent(cert.session)
    original = documents_services.parchemin_issue(certification=cert, by=agent)
    duplicata = documents_services.parchemin_reprint(certification=cert, by=agent, reason="deterioration")
    client.force_login(agent)
    url = reverse("documents:impressions")

    rows, _ = _xlsx_rows(client.get(url, {"export": "xlsx"}))
    assert rows[0][:3] == ["Imprimé le", "Numéro unique", "Édition"]
    assert [(r[1], r[2]) for r in rows[1:]] == [(duplicata.number, "Duplicata n° 1"), (original.number, "Original")]
    assert rows[0][-1] == "Motif du duplicata" and rows[1][-1] == "Détérioration"
    assert rows[1][5] == cert.candidat.display_name
    lines = _csv_lines(client.get(url, {"nature": "original", "export": "csv"}))
    assert len(lines) == 2 and ";Original;" in lines[1]
    assert JournalEntry.objects.filter(operation="export_impressions", actor=agent).count() == 2
