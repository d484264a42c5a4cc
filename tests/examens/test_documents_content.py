"""What the recipients read in the PDFs built from real session data (pdfplumber): convocations e-mailed to
candidates and jurors, and the PV de session."""

import datetime as dt

from django.core import mail

from ceres.documents import services as documents
from ceres.editique.pdf import render_pdf
from ceres.examens import services
from ceres.examens.enums import Decision
from tests.documents.factories import validated_session
from tests.editique.test_pdf import text_of
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.referentiels.factories import CommuneFactory


def session_in_lyon():
    session = SessionExamenFactory(
        start_date=dt.date.today() + dt.timedelta(days=30),
        end_date=dt.date.today() + dt.timedelta(days=31),
        convocation_time=dt.time(7, 30),
        start_time=dt.time(8, 15),
    )
    session.convocation_date = session.start_date
    session.save()
    site = session.site
    site.name, site.address, site.postal_code = "Plateau de la Part-Dieu", "12 rue Garibaldi", "69003"
    site.commune = CommuneFactory(name="Lyon", departement_code="69")
    site.save()
    session.titre.intitule = "Cuisinier"
    session.titre.save()
    return session


def french(day: dt.date) -> str:
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day.year}"


def attachments_by_recipient(session, django_capture_on_commit_callbacks) -> dict[str, str]:
    with django_capture_on_commit_callbacks(execute=True):
        services.convocations_request(session=session, by=session.created_by)
    return {m.to[0]: text_of(m.attachments[0][1]) for m in mail.outbox}


class TestConvocationPdfs:
    def test_candidate_and_juror_read_title_dates_place_and_time(self, django_capture_on_commit_callbacks):
        session = session_in_lyon()
        ins = InscriptionFactory(session=session)
        MembreConvoqueFactory(session=session)
        juror = MembreConvoqueFactory(session=session).membre
        texts = attachments_by_recipient(session, django_capture_on_commit_callbacks)
        candidate = texts[ins.candidat.email]
        assert "Cuisinier" in candidate
        assert f"du {french(session.start_date)} au {french(session.end_date)}" in candidate
        assert f"Présentez-vous le {french(session.start_date)} à 07h30" in candidate
        assert "Plateau de la Part-Dieu" in candidate and "12 rue Garibaldi" in candidate
        assert "69003 Lyon" in candidate
        assert f"Début des épreuves (Session titre) {french(session.start_date)} 08h15" in candidate
        juror_text = texts[juror.email]
        assert "Cuisinier" in juror_text and "en qualité de membre du jury" in juror_text
        assert "Plateau de la Part-Dieu" in juror_text and f"{french(session.start_date)} à 07h30" in juror_text
        assert "Dossier professionnel (DP)" in candidate and "Dossier professionnel" not in juror_text

    def test_letter_addressed_with_the_first_first_name_only(self, django_capture_on_commit_callbacks):
        session = session_in_lyon()
        ins = InscriptionFactory(session=session, candidat__first_names="Sophie, Anne", candidat__birth_name="Martin")
        MembreConvoqueFactory(session=session)
        MembreConvoqueFactory(session=session)
        candidate = attachments_by_recipient(session, django_capture_on_commit_callbacks)[ins.candidat.email]
        assert "Madame Sophie MARTIN" in candidate and "Sophie," not in candidate

    def test_juror_letter_addressed_with_the_first_first_name_only(self, django_capture_on_commit_callbacks):
        session = session_in_lyon()
        InscriptionFactory(session=session)
        juror = MembreConvoqueFactory(session=session).membre
        juror.first_names, juror.birth_name, juror.usage_name = "Marie Claire", "Roux", ""
        juror.save()
        MembreConvoqueFactory(session=session)
        letter = attachments_by_recipient(session, django_capture_on_commit_callbacks)[juror.email]
        assert "Marie ROUX" in letter and "Claire" not in letter, letter[:400]


class TestPvPdf:
    def test_pv_reads_title_dates_place_time_jury_and_results(self):
        session = validated_session()
        site = session.site
        site.name = "Plateau de la Part-Dieu"
        site.commune = CommuneFactory(name="Lyon", departement_code="69")
        site.save()
        ins = InscriptionFactory(session=session, decision=Decision.REUSSITE)
        juror = MembreConvoqueFactory(session=session).membre
        text = text_of(render_pdf("pv_session.typ", documents.pv_data(session)))
        assert "Procès-verbal de session" in text and session.titre.intitule in text
        assert "PV n° PV-TEST-1" in text
        assert "Session du 2 mars 2026 au 4 mars 2026, début des épreuves à 08h00" in text
        assert "Lieu des épreuves : Plateau de la Part-Dieu, Lyon" in text
        assert str(juror) in text
        assert ins.candidat.display_name in text and "Réussite" in text
        assert "Fait à Bourg-en-Bresse" in text

    def test_one_day_session_reads_a_single_date(self):
        session = validated_session()
        session.end_date = session.start_date
        session.save()
        text = text_of(render_pdf("pv_session.typ", documents.pv_data(session)))
        assert "Session du 2 mars 2026, début des épreuves à 08h00" in text
