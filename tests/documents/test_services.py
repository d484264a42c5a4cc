import datetime as dt
import io

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ceres.core.journal import journal_for
from ceres.documents import services
from ceres.documents.models import ImpressionLot, NatureImpression, Parchemin, StatutLot
from ceres.editique import signature
from ceres.editique.models import Compteur
from ceres.editique.rules import check_number
from ceres.examens.enums import StatutSession, TypeCertification
from ceres.examens.models import SessionExamen, results_correction
from tests.comptes.factories import UserFactory
from tests.documents.factories import PrintableCertificationFactory, ud_agent
from tests.examens.factories import CertificationFactory


def words_of(content: bytes):
    with pdfplumber.open(io.BytesIO(content)) as doc:
        page = doc.pages[0]
        text = " ".join(page.extract_text().split())
        return page.width, page.height, page.extract_words(), text


def read(parchemin) -> bytes:
    with parchemin.file.open("rb") as fh:
        return fh.read()


class TestParcheminIssue:
    def test_parchemin_prints_the_required_facts(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        cert.refresh_from_db()
        assert check_number(cert.number)
        assert parchemin.number == cert.number and parchemin.edition == 0
        width, height, words, text = words_of(read(parchemin))
        number_word = next(w for w in words if w["text"] == cert.number)
        assert number_word["x0"] > width / 2 and number_word["bottom"] < height / 5  # top-right corner
        nsf = cert.titre.nsf_codes.first().code
        assert f"NSF : {nsf}" in text
        assert "Vieux-Bourg (Ain)" in text  # name of the commune on the birth date, not today's
        assert "Bourg-Nouveau" not in text
        assert "Fait à Bourg-en-Bresse, le" in text
        assert cert.titre.intitule in text and "MARTIN" in text
        assert "DUPLICATA" not in text

    def test_file_stored_with_its_sha256_and_journaled(self):
        import hashlib

        cert = PrintableCertificationFactory()

        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        assert hashlib.sha256(read(parchemin)).hexdigest() == parchemin.sha256
        assert [e.operation for e in journal_for(parchemin)] == ["parchemin_issue"]

    def test_second_original_refused(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        services.parchemin_issue(certification=cert, by=agent)
        with pytest.raises(ValidationError, match="duplicata"):
            services.parchemin_issue(certification=cert, by=agent)

    def test_reprint_keeps_the_number_and_says_duplicata(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent, reason="perte")
        assert duplicata.number == original.number
        assert duplicata.nature == NatureImpression.DUPLICATA and duplicata.edition == 1
        assert duplicata.file.name != original.file.name
        assert duplicata.sha256 != original.sha256
        assert "DUPLICATA n° 1 — délivré le" in words_of(read(duplicata))[3]
        assert "DUPLICATA" not in words_of(read(original))[3]  # the issued file is untouched
        second = services.parchemin_reprint(
            certification=cert, by=agent, reason="autre", reason_detail="Dégât des eaux chez le titulaire"
        )
        assert second.edition == 2 and "DUPLICATA n° 2" in words_of(read(second))[3]
        journal = journal_for(second)[0]
        assert journal.operation == "parchemin_reprint" and "Dégât des eaux" in str(journal.changes)

    def test_duplicata_requires_a_printed_copy_and_a_reason(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        with pytest.raises(ValidationError, match="imprimez d'abord l'original"):
            services.parchemin_reprint(certification=cert, by=agent, reason="perte")
        services.parchemin_issue(certification=cert, by=agent)
        for reason, detail in (("", ""), ("original_papier", ""), ("autre", "court"), ("inconnu", "")):
            with pytest.raises(ValidationError):
                services.parchemin_reprint(certification=cert, by=agent, reason=reason, reason_detail=detail)
        assert cert.parchemins.count() == 1

    def test_qr_signatures_differ_per_edition(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent, reason="deterioration")
        assert original.signature != duplicata.signature
        assert original.facts["edition"] == "O" and duplicata.facts["edition"] == "D1"
        assert signature.verify(cert.number, duplicata.signature, duplicata.facts)
        assert not signature.verify(cert.number, original.signature, duplicata.facts)


class TestSessionValidatedBeforeNumbering:
    """At the first print the UD states whether a paper original was issued before (release note, issue 13)."""

    def test_the_answer_is_required(self):
        cert = PrintableCertificationFactory(avant_numerotation=True)
        with pytest.raises(ValidationError, match="avant la numérotation"):
            services.parchemin_issue(certification=cert, by=ud_agent(cert.session))
        cert.refresh_from_db()
        assert not cert.number and not cert.parchemins.exists()

    def test_never_issued_on_paper_the_print_is_the_original(self):
        cert = PrintableCertificationFactory(avant_numerotation=True)
        parchemin = services.parchemin_issue(certification=cert, by=ud_agent(cert.session), paper_original=False)
        cert.refresh_from_db()
        assert parchemin.edition == 0 and parchemin.nature == NatureImpression.ORIGINAL
        assert cert.number.startswith("TP-2026-")  # the year of the award
        assert "DUPLICATA" not in words_of(read(parchemin))[3]
        assert {e.operation for e in journal_for(cert)} == {"declaration_original", "number_allocate"}

    def test_paper_original_issued_the_print_is_a_duplicata_with_the_new_number(self):
        cert = PrintableCertificationFactory(avant_numerotation=True, awarded_on=dt.date(2019, 6, 14))
        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent, paper_original=True)
        cert.refresh_from_db()
        assert parchemin.edition == 1 and parchemin.nature == NatureImpression.DUPLICATA
        assert parchemin.reason == "original_papier" and parchemin.number == cert.number
        assert cert.number.startswith("TP-2019-")  # the number keeps the year of the award
        text = words_of(read(parchemin))[3]
        assert "DUPLICATA n° 1" in text and cert.number in text
        # The answer is recorded once: the next copy is duplicata n° 2, whatever is passed.
        assert services.parchemin_reprint(certification=cert, by=agent, reason="perte").edition == 2

    def test_qr_signature_covers_the_printed_facts(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        assert parchemin.facts["initiales"] == "L. M." and parchemin.facts["annee_naissance"] == 1990
        assert signature.verify(parchemin.number, parchemin.signature, parchemin.facts)

    def test_ccp_certificate(self):
        cert = PrintableCertificationFactory(kind=TypeCertification.CCP)
        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        text = words_of(read(parchemin))[3]
        assert "CERTIFICAT DE COMPÉTENCES PROFESSIONNELLES" in text
        assert cert.ccp.intitule in text

    def test_unvalidated_session_refused(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        # An impossible state since validation is final (PostgreSQL refuses it outside a correction).
        with transaction.atomic(), results_correction():
            SessionExamen.objects.filter(pk=cert.session_id).update(status=StatutSession.RESULTATS_SAISIS)
        with pytest.raises(ValidationError, match="pas validée"):
            services.parchemin_issue(certification=cert, by=agent)


class TestAnnulment:
    def test_annul_then_lift(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        other_ud = UserFactory(agent_ud=True)
        with pytest.raises(ValidationError, match="unité départementale de la session"):
            services.certification_annul(certification=cert, by=other_ud, reason="Fraude constatée")
        with pytest.raises(ValidationError, match="motif"):
            services.certification_annul(certification=cert, by=agent, reason="")
        services.certification_annul(certification=cert, by=agent, reason="Fraude constatée au dossier")
        with pytest.raises(ValidationError, match="annulé"):
            services.parchemin_issue(certification=cert, by=agent)
        with pytest.raises(ValidationError, match="administrateur national"):
            services.annulation_lift(certification=cert, by=agent, reason="Erreur de saisie de l'UD")
        admin = UserFactory(admin_national=True)
        services.annulation_lift(certification=cert, by=admin, reason="Erreur de saisie de l'UD")
        assert services.parchemin_issue(certification=cert, by=agent)
        ops = [e.operation for e in journal_for(cert)]
        assert "parchemin_annul" in ops and "parchemin_annul_lift" in ops


class TestOnlyTheSessionUdPrints:
    """The views check the right to print; the services refuse too (task, commands, future API)."""

    def assert_nothing_written(self, cert):
        cert.refresh_from_db()
        assert not cert.number  # no number allocated
        assert not Parchemin.objects.exists()
        assert not Compteur.objects.exists()
        assert not ImpressionLot.objects.exists()

    def test_ud_agent_of_another_departement_is_refused(self):
        cert = PrintableCertificationFactory(avant_numerotation=True)
        other_ud = UserFactory(agent_ud=True)
        assert other_ud.ud.departement_id != cert.session.departement_id
        with pytest.raises(PermissionDenied, match="unité départementale de la session"):
            services.parchemin_issue(certification=cert, by=other_ud, paper_original=False)
        with pytest.raises(PermissionDenied, match="unité départementale de la session"):
            services.parchemin_reprint(certification=cert, by=other_ud, reason="perte")
        with pytest.raises(PermissionDenied, match="unité départementale de la session"):
            services.lot_request(session=cert.session, by=other_ud)
        self.assert_nothing_written(cert)

    def test_other_roles_and_no_user_are_refused(self):
        cert = PrintableCertificationFactory(avant_numerotation=True)
        region = cert.session.departement.region
        for by in (None, UserFactory(admin_national=True), UserFactory(agent_dreets=True, region=region)):
            with pytest.raises(PermissionDenied):
                services.parchemin_issue(certification=cert, by=by, paper_original=False)
        self.assert_nothing_written(cert)

    def test_bulk_print_checks_the_agent_who_asked_for_the_lot(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        lot = ImpressionLot.objects.create(session=cert.session, requested_by=agent, total=1)
        # Printed on behalf of someone else, or for a lot of another session: refused.
        with pytest.raises(PermissionDenied, match="agent qui l'a demandée"):
            services.parchemin_issue(certification=cert, by=ud_agent(cert.session), lot=lot)
        other = CertificationFactory(kind=TypeCertification.TITRE)  # another session
        with pytest.raises(PermissionDenied, match="session de cette impression"):
            services.parchemin_issue(certification=other, by=agent, lot=lot)
        # The agent moved to another UD since asking: the worker no longer prints for them.
        agent_moved = UserFactory(agent_ud=True)
        moved_lot = ImpressionLot.objects.create(session=cert.session, requested_by=agent_moved, total=1)
        with pytest.raises(PermissionDenied, match="unité départementale de la session"):
            services.parchemin_issue(certification=cert, by=None, lot=moved_lot)
        assert not Parchemin.objects.exists()
        # Without a user, the worker prints as the agent who asked for the lot.
        parchemin = services.parchemin_issue(certification=cert, by=None, lot=lot)
        assert parchemin.printed_by == agent and parchemin.lot == lot

    def test_bulk_print_task_of_an_agent_no_longer_allowed_fails_visibly(self):
        from ceres.documents.tasks import print_session_lot

        cert = PrintableCertificationFactory()
        lot = ImpressionLot.objects.create(session=cert.session, requested_by=UserFactory(agent_ud=True), total=1)
        print_session_lot.call(lot.pk)
        lot.refresh_from_db()
        assert lot.status == StatutLot.ECHEC
        assert "unité départementale de la session" in lot.error
        assert not Parchemin.objects.exists()
