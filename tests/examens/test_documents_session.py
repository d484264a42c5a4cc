"""Every document a session needs, as PDF from the same engine (issue 13): convocations one by one and to post (the
address in the window of a DL envelope), attendance sheets per day, the PV, and the signed PV deposited."""

import datetime as dt
import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from ceres.core.journal import journal_for
from ceres.examens.enums import StatutSession
from tests.comptes.factories import UserFactory
from tests.documents.factories import ud_agent
from tests.editique.test_pdf import text_of
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.examens.test_views import centre_user
from tests.referentiels.factories import CommuneFactory, UniteDepartementaleFactory

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def session():
    session = SessionExamenFactory(start_date=dt.date(2026, 5, 4), end_date=dt.date(2026, 5, 5))
    UniteDepartementaleFactory(departement=session.departement)
    commune = CommuneFactory(name="Bourg-en-Bresse", departement_code="01")
    InscriptionFactory(
        session=session,
        candidat__birth_name="Martin",
        candidat__first_names="Léa",
        candidat__email="",
        candidat__address="3 rue Neuve",
        candidat__postal_code="01000",
        candidat__commune=commune,
    )
    InscriptionFactory(session=session, candidat__birth_name="Bernard", candidat__email="b@example.org")
    juror = MembreConvoqueFactory(session=session).membre
    juror.birth_name, juror.email = "Petit", ""
    juror.save()
    return session


def pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


class TestConvocations:
    def test_a_candidate_without_email_is_handed_a_printed_convocation(self, client, session):
        client.force_login(centre_user(session.centre))
        detail = client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
        martin = session.inscriptions.get(candidat__birth_name="Martin")
        url = reverse("examens:convocation_candidat", args=[session.public_id, martin.public_id])
        assert url in detail and "Sans adresse e-mail : à remettre ou à envoyer par courrier" in detail
        text = " ".join(pages(client.get(url)))
        assert "Convocation à la session d’examen" in text and "MARTIN" in text and "3 rue Neuve" in text
        assert [e.operation for e in journal_for(martin.candidat)] == ["convocation_pdf"]

        juror = session.jury.get()
        url = reverse("examens:convocation_jure", args=[session.public_id, juror.membre.public_id])
        assert url in detail
        assert "en qualité de membre du jury" in " ".join(pages(client.get(url)))

    def test_postal_batch_addressed_for_a_dl_window_envelope(self, client, session):
        client.force_login(ud_agent(session))
        url = reverse("examens:convocations_mailing", args=[session.public_id])
        detail = client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
        assert url in detail and "2 destinataires sans adresse e-mail" in detail
        texts = pages(client.get(url))  # those the e-mail sending cannot reach: Martin and the juror Petit
        assert len(texts) == 2 and "MARTIN" in texts[0] and "PETIT" in texts[1] and "Convocation du jury" in texts[1]
        assert len(pages(client.get(url, {"tous": "1"}))) == 3
        # The address block in the window: from 100 mm from the left edge, 45 mm from the top, 90 × 35 mm.
        with pdfplumber.open(io.BytesIO(client.get(url).content)) as doc:
            words = doc.pages[0].extract_words()
        address = [w for w in words if w["text"] in ("MARTIN", "Neuve", "01000") and w["top"] < 100 * MM]
        assert sorted(w["text"] for w in address) == ["01000", "MARTIN", "Neuve"]  # the letter's body is lower
        for word in address:
            assert 100 * MM <= word["x0"] and word["x1"] <= 190 * MM
            assert 45 * MM <= word["top"] and word["bottom"] <= 80 * MM

    def test_only_the_centre_and_the_ud_print_them(self, client, session):
        url = reverse("examens:convocations_mailing", args=[session.public_id])
        client.force_login(UserFactory(agent_dreets=True, region=session.departement.region))
        assert client.get(url).status_code == 403
        client.force_login(UserFactory(gestionnaire_centre=True))  # another centre
        assert client.get(url).status_code == 404


def test_attendance_sheet_for_each_day(client, session):
    client.force_login(centre_user(session.centre))
    url = reverse("examens:emargement", args=[session.public_id])
    assert url in client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
    texts = pages(client.get(url))
    assert len(texts) == 2  # a two-day session
    assert "Feuille d’émargement" in texts[0] and "Jour 1 sur 2 : 4 mai 2026" in texts[0]
    assert "Jour 2 sur 2 : 5 mai 2026" in texts[1]
    for text in texts:
        assert "MARTIN Léa" in text or "MARTIN" in text
        assert "Signature (matin)" in text and "PETIT" in text


class TestPv:
    def test_printed_from_the_opening_of_the_session(self, client, session):
        client.force_login(centre_user(session.centre))
        pv = reverse("documents:session_pv", args=[session.public_id])
        assert client.get(pv).status_code == 403  # in preparation: no result yet
        assert pv not in client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
        session.status = StatutSession.EN_COURS
        session.save(update_fields=["status"])
        assert pv in client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
        assert "Procès-verbal de session" in text_of(client.get(pv).content)

    def test_signed_pv_deposited_and_kept_with_the_session(self, client, session, settings):
        settings.CERES_PV_MAX_BYTES = 2000
        session.status = StatutSession.EN_COURS
        session.save(update_fields=["status"])
        client.force_login(centre_user(session.centre))
        url = reverse("examens:pv_signe_upload", args=[session.public_id])
        detail_url = reverse("examens:session_detail", args=[session.public_id])

        def deposit(name, content):
            upload = SimpleUploadedFile(name, content, content_type="application/pdf")
            return client.post(url, {"file": upload}, follow=True).content.decode()

        assert "pas un PDF" in deposit("pv.pdf", b"<html>pas un pdf</html>")  # the name is not enough
        assert "dépasse" in deposit("pv.pdf", b"%PDF-1.7\n" + b"0" * 3000)
        assert not session.pv_signes.exists()
        page = deposit("pv-signe.pdf", b"%PDF-1.7\n% scan\n%%EOF\n")
        assert "PV signé déposé" in page
        pv = session.pv_signes.get()
        assert pv.original_name == "pv-signe.pdf" and pv.size == 22
        assert f"PV signé déposé le {pv.created_at:%d/%m/%Y}" in client.get(detail_url).content.decode()
        download = client.get(reverse("examens:pv_signe_download", args=[session.public_id, pv.public_id]))
        assert download.content == b"%PDF-1.7\n% scan\n%%EOF\n"
        assert "pv_signe_depot" in [e.operation for e in journal_for(session)]
        client.force_login(UserFactory(agent_dreets=True, region=session.departement.region))
        assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7")}).status_code == 403
