import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError

from ceres.core.journal import journal_for
from ceres.documents import services, signature
from ceres.documents.models import NatureImpression, Parchemin
from ceres.documents.rules import check_number
from ceres.examens.enums import StatutSession, TypeCertification
from ceres.examens.models import SessionExamen
from tests.comptes.factories import UserFactory
from tests.documents.factories import PrintableCertificationFactory
from tests.referentiels.factories import UniteDepartementaleFactory


def words_of(content: bytes):
    with pdfplumber.open(io.BytesIO(content)) as doc:
        page = doc.pages[0]
        text = " ".join(page.extract_text().split())
        return page.width, page.height, page.extract_words(), text


def read(parchemin) -> bytes:
    with parchemin.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def agent():
    return UserFactory(agent_ud=True)


class TestParcheminIssue:
    def test_parchemin_prints_the_required_facts(self, agent):
        cert = PrintableCertificationFactory()
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

    def test_file_stored_with_its_sha256_and_journaled(self, agent):
        import hashlib

        parchemin = services.parchemin_issue(certification=PrintableCertificationFactory(), by=agent)
        assert hashlib.sha256(read(parchemin)).hexdigest() == parchemin.sha256
        assert [e.operation for e in journal_for(parchemin)] == ["parchemin_issue"]
        assert [e.operation for e in journal_for(parchemin.certification)] == ["number_allocate"]

    def test_second_original_refused(self, agent):
        cert = PrintableCertificationFactory()
        services.parchemin_issue(certification=cert, by=agent)
        with pytest.raises(ValidationError, match="réimpression"):
            services.parchemin_issue(certification=cert, by=agent)

    def test_reprint_keeps_the_number_and_says_duplicata(self, agent):
        cert = PrintableCertificationFactory()
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent)
        assert duplicata.number == original.number
        assert duplicata.nature == NatureImpression.DUPLICATA
        assert duplicata.file.name != original.file.name
        assert duplicata.sha256 != original.sha256
        assert "DUPLICATA — réimprimé le" in words_of(read(duplicata))[3]
        assert "DUPLICATA" not in words_of(read(original))[3]  # the issued file is untouched

    def test_reprint_of_an_old_session_allocates_once(self, agent):
        cert = PrintableCertificationFactory()
        first = services.parchemin_reprint(certification=cert, by=agent)
        second = services.parchemin_reprint(certification=cert, by=agent)
        assert first.number == second.number
        assert Parchemin.objects.filter(certification=cert).count() == 2

    def test_qr_signature_covers_the_printed_facts(self, agent):
        parchemin = services.parchemin_issue(certification=PrintableCertificationFactory(), by=agent)
        assert parchemin.facts["initiales"] == "L. M." and parchemin.facts["annee_naissance"] == 1990
        assert signature.verify(parchemin.number, parchemin.signature, parchemin.facts)

    def test_ccp_certificate(self, agent):
        cert = PrintableCertificationFactory(kind=TypeCertification.CCP)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        text = words_of(read(parchemin))[3]
        assert "CERTIFICAT DE COMPÉTENCES PROFESSIONNELLES" in text
        assert cert.ccp.intitule in text

    def test_unvalidated_session_refused(self, agent):
        cert = PrintableCertificationFactory()
        SessionExamen.objects.filter(pk=cert.session_id).update(status=StatutSession.RESULTATS_SAISIS)
        with pytest.raises(ValidationError, match="pas validée"):
            services.parchemin_issue(certification=cert, by=agent)


class TestAnnulment:
    def test_annul_then_lift(self, agent):
        cert = PrintableCertificationFactory()
        other_ud = agent
        agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=cert.session.departement))
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
