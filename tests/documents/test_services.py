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
        assert check_number(cert.number)  # allocated at the first print (session validated before numbering)
        assert parchemin.number == cert.number
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
        assert [e.operation for e in journal_for(parchemin.certification)] == ["number_allocate"]

    def test_second_original_refused(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        services.parchemin_issue(certification=cert, by=agent)
        with pytest.raises(ValidationError, match="réimpression"):
            services.parchemin_issue(certification=cert, by=agent)

    def test_reprint_keeps_the_number_and_says_duplicata(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent)
        assert duplicata.number == original.number
        assert duplicata.nature == NatureImpression.DUPLICATA
        assert duplicata.file.name != original.file.name
        assert duplicata.sha256 != original.sha256
        assert "DUPLICATA — réimprimé le" in words_of(read(duplicata))[3]
        assert "DUPLICATA" not in words_of(read(original))[3]  # the issued file is untouched

    def test_reprint_of_an_old_session_allocates_once(self):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        first = services.parchemin_reprint(certification=cert, by=agent)
        second = services.parchemin_reprint(certification=cert, by=agent)
        assert first.number == second.number
        assert Parchemin.objects.filter(certification=cert).count() == 2

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
        cert = PrintableCertificationFactory()
        other_ud = UserFactory(agent_ud=True)
        assert other_ud.ud.departement_id != cert.session.departement_id
        for print_it in (services.parchemin_issue, services.parchemin_reprint):
            with pytest.raises(PermissionDenied, match="unité départementale de la session"):
                print_it(certification=cert, by=other_ud)
        with pytest.raises(PermissionDenied, match="unité départementale de la session"):
            services.lot_request(session=cert.session, by=other_ud)
        self.assert_nothing_written(cert)

    def test_other_roles_and_no_user_are_refused(self):
        cert = PrintableCertificationFactory()
        region = cert.session.departement.region
        for by in (None, UserFactory(admin_national=True), UserFactory(agent_dreets=True, region=region)):
            with pytest.raises(PermissionDenied):
                services.parchemin_issue(certification=cert, by=by)
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
