import datetime as dt
import io
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse

from ceres.core.journal import journal_for
from ceres.documents import services, views
from ceres.documents.models import ImpressionLot, Parchemin, StatutLot
from ceres.editique import signature
from ceres.examens.enums import TypeCertification
from tests.comptes.factories import UserFactory
from tests.documents.factories import PrintableCertificationFactory, ud_agent
from tests.editique.test_pdf import text_of
from tests.examens.factories import CertificationFactory, InscriptionFactory
from tests.referentiels.factories import CommuneFactory


def scan_qr(content: bytes) -> str:
    """Decode the QR code of the first page, as a phone would from the printed paper."""
    doc = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        image = doc[0].render(scale=3).to_pil()
    finally:
        doc.close()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    return codes[0].text


def issue():
    cert = PrintableCertificationFactory()
    return services.parchemin_issue(certification=cert, by=ud_agent(cert.session))


def read(parchemin) -> bytes:
    with parchemin.file.open("rb") as fh:
        return fh.read()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


class TestPublicVerification:
    def test_scanned_qr_leads_to_authentique_then_annule(self, client):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        parchemin = services.parchemin_issue(certification=cert, by=agent)
        url = urlsplit(scan_qr(read(parchemin)))
        path = f"{url.path}?{url.query}"
        assert url.path == f"/documents/verifier/{parchemin.number}"

        page = client.get(path).content.decode()
        assert "authentique" in page and "annulé" not in page
        assert cert.titre.intitule in page and "L. M." in page and "1990" in page
        assert "Martin" not in page and "MARTIN" not in page  # full identity hidden

        services.certification_annul(certification=cert, by=agent, reason="Fraude établie par l'enquête")
        page = client.get(path).content.decode()
        assert "annulé" in page

    def test_duplicata_current_original_replaced_annulled_whatever_the_edition(self, client):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent, reason="perte")
        original_url, duplicata_url = scan_qr(read(original)), scan_qr(read(duplicata))
        assert original_url != duplicata_url and "e=O&" in original_url and "e=D1&" in duplicata_url

        def verify(url):
            parts = urlsplit(url)
            return client.get(f"{parts.path}?{parts.query}").content.decode()

        page = verify(duplicata_url)
        assert "Parchemin authentique et valide" in page and "remplacé" not in page
        page = verify(original_url)
        assert "Exemplaire remplacé" in page and "authentique" in page and "et valide" not in page
        assert f"remplacé par le duplicata du {duplicata.created_at:%d/%m/%Y}" in page

        services.certification_annul(certification=cert, by=agent, reason="Fraude établie par l'enquête")
        for url in (original_url, duplicata_url):
            page = verify(url)
            assert "Parchemin annulé" in page and "et valide" not in page

    def test_tampered_edition_refused(self, client):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        original = services.parchemin_issue(certification=cert, by=agent)
        duplicata = services.parchemin_reprint(certification=cert, by=agent, reason="perte")
        url = reverse("documents:verify", args=[cert.number])
        # The replaced original's code, edited to name the current duplicata: refused.
        for edition, token in (("D1", original.signature), ("O", duplicata.signature), ("D2", duplicata.signature)):
            page = client.get(url, {"e": edition, "s": token}).content.decode()
            assert "Signature non reconnue" in page and "authentique" not in page
        # Dropping the edition from the code does not help either.
        page = client.get(url, {"s": duplicata.signature}).content.decode()
        assert "Signature non reconnue" in page

    def test_qr_codes_printed_before_editions_keep_verifying(self, client):
        """Copies signed without an edition (signature version 1, no « e= » in the QR code) share one signature."""
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        copies = [
            services.parchemin_issue(certification=cert, by=agent),
            services.parchemin_reprint(certification=cert, by=agent, reason="perte"),
        ]
        facts = {k: v for k, v in copies[0].facts.items() if k != "edition"}
        token = signature.sign(cert.number, facts)
        Parchemin.objects.filter(pk__in=[p.pk for p in copies]).update(facts=facts, signature=token)
        page = client.get(reverse("documents:verify", args=[cert.number]), {"s": token}).content.decode()
        assert "Parchemin authentique et valide" in page
        forged = client.get(reverse("documents:verify", args=[cert.number]), {"s": token[:-2] + "AA"})
        assert "Signature non reconnue" in forged.content.decode()

    def test_typed_number_reveals_only_that_it_exists_and_its_state(self, client):
        parchemin = issue()
        cert = parchemin.certification
        page = client.get(reverse("documents:verify", args=[parchemin.number])).content.decode()
        assert "Numéro attribué, valide" in page
        for hidden in ("L. M.", "1990", cert.titre.intitule, "Martin", "MARTIN"):
            assert hidden not in page
        services.certification_annul(certification=cert, by=ud_agent(cert.session), reason="Fraude établie")
        page = client.get(reverse("documents:verify", args=[parchemin.number])).content.decode()
        assert "Parchemin annulé" in page and "L. M." not in page and "1990" not in page

    def test_forged_signature(self, client):
        parchemin = issue()
        key_id, _, sig = parchemin.signature.partition(".")
        token = f"{key_id}.{sig[:20]}{'B' if sig[20] == 'A' else 'A'}{sig[21:]}"  # one altered character
        page = client.get(reverse("documents:verify", args=[parchemin.number]), {"s": token}).content.decode()
        assert "Signature non reconnue" in page and "authentique" not in page, page[
            page.find("<h1") : page.find("<h1") + 900
        ]

    def test_unknown_and_invalid_numbers(self, client):
        page = client.get(reverse("documents:verify", args=["TP-2026-001-999999-0"])).content.decode()
        assert "Numéro non valide" in page or "Numéro inconnu" in page
        page = client.get(reverse("documents:verify", args=["n-importe-quoi"])).content.decode()
        assert "Numéro non valide" in page

    def test_full_identity_only_with_birth_name_and_date(self, client):
        parchemin = issue()
        url = reverse("documents:verify", args=[parchemin.number])
        page = client.post(url, {"birth_name": "Dupont", "birth_date": "1990-05-02"}).content.decode()
        assert "ne correspondent pas" in page and "MARTIN" not in page
        page = client.post(url, {"birth_name": "martin", "birth_date": "1990-05-02"}).content.decode()
        assert "MARTIN" in page and "Vieux-Bourg (Ain)" in page
        assert "née le 2 mai 1990" in page  # French long date, agreed with the civility once the identity is known

    def test_birth_place_of_the_birth_date_on_the_parchemin_and_the_public_page(self, client):
        """Born in Oran in 1950: the département of that date, never today's owner of the code 92."""
        cert = PrintableCertificationFactory()
        candidat = cert.candidat
        candidat.birth_commune = CommuneFactory(
            code_insee="92110", name="Oran", departement_code="92", start_date=dt.date(1943, 1, 1),
            end_date=dt.date(1962, 7, 5),
        )  # fmt: skip
        candidat.birth_date = dt.date(1950, 5, 2)
        candidat.compute_derived()
        candidat.save()
        parchemin = services.parchemin_issue(certification=cert, by=ud_agent(cert.session))
        printed = " ".join(text_of(read(parchemin)).split())
        assert "Oran (Algérie, département d" in printed and "Hauts-de-Seine" not in printed
        url = reverse("documents:verify", args=[parchemin.number])
        page = client.post(url, {"birth_name": "martin", "birth_date": "1950-05-02"}).content.decode()
        assert "Oran (Algérie, département d&#x27;Oran)" in page

    def test_search_by_typed_number(self, client):
        parchemin = issue()
        response = client.post(reverse("documents:verify_search"), {"number": parchemin.number.lower()})
        assert response.status_code == 302 and response.url == reverse("documents:verify", args=[parchemin.number])
        response = client.post(reverse("documents:verify_search"), {"number": "TP-2026-001-000001-Z"})
        assert "pas valide" in response.content.decode()

    def test_rate_limited(self, client, monkeypatch):
        monkeypatch.setattr(views, "PAGE_LIMIT", (2, 60))
        url = reverse("documents:verify", args=["TP-2026-001-000001-5"])
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]

    def test_identity_attempts_rate_limited(self, client, monkeypatch):
        monkeypatch.setattr(views, "IDENTITY_LIMIT", (1, 60))
        url = reverse("documents:verify", args=["TP-2026-001-000001-5"])
        data = {"birth_name": "X", "birth_date": "1990-01-01"}
        assert [client.post(url, data).status_code for _ in range(2)] == [200, 429]


class TestSessionPrinting:
    def test_bulk_print_of_a_session(self, client, django_capture_on_commit_callbacks):
        cert = PrintableCertificationFactory()
        session = cert.session
        other = CertificationFactory(
            inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE, awarded_on=cert.awarded_on
        )
        agent = ud_agent(session)
        client.force_login(agent)
        page = client.get(reverse("documents:session_parchemins", args=[session.public_id])).content.decode()
        assert "Imprimer les 2 parchemins non imprimés" in page

        # « other » was awarded before numbering: the UD says whether paper originals were issued.
        assert "Un original papier a-t-il déjà été remis au titulaire ?" in page
        response = client.post(reverse("documents:lot_request", args=[session.public_id]), follow=True)
        assert "avant la numérotation" in response.content.decode() and not ImpressionLot.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("documents:lot_request", args=[session.public_id]), {"paper_original": "non"}
            )
        assert response.status_code == 302
        lot = ImpressionLot.objects.get(session=session)
        assert lot.status == StatutLot.TERMINE and lot.done == lot.total == 2
        other.refresh_from_db()
        assert other.number and other.parchemins.count() == 1

        fragment = client.get(reverse("documents:lot_progress", args=[lot.public_id])).content.decode()
        assert "Terminé" in fragment and "2 documents sur 2" in fragment
        download = client.get(reverse("documents:lot_download", args=[lot.public_id]))
        pdf = download.content
        assert len(pypdfium2.PdfDocument(pdf)) == 2

        page = client.get(reverse("documents:session_parchemins", args=[session.public_id])).content.decode()
        assert "Tous les parchemins de la session ont été imprimés" in page and "Imprimer les 0" not in page

        # Nothing left: a second bulk print is refused with a reason.
        response = client.post(reverse("documents:lot_request", args=[session.public_id]), follow=True)
        assert "déjà été imprimés" in response.content.decode()

    def test_big_session_printed_in_bounded_lots_each_one_file(
        self, client, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(services, "LOT_MAX_DOCUMENTS", 2)
        cert = PrintableCertificationFactory()
        session = cert.session
        for _ in range(2):
            CertificationFactory(
                inscription=InscriptionFactory(session=session),
                kind=TypeCertification.TITRE,
                awarded_on=cert.awarded_on,
            )
        client.force_login(ud_agent(session))
        url = reverse("documents:session_parchemins", args=[session.public_id])
        page = client.get(url).content.decode()
        assert "3 documents restent à imprimer" in page and "Imprimer les 2 suivants" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:lot_request", args=[session.public_id]), {"paper_original": "non"})
        first = ImpressionLot.objects.get(session=session)
        assert first.total == first.done == 2
        assert (
            len(pypdfium2.PdfDocument(client.get(reverse("documents:lot_download", args=[first.public_id])).content))
            == 2
        )
        assert "Imprimer le parchemin non imprimé" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:lot_request", args=[session.public_id]), {"paper_original": "oui"})
        second = ImpressionLot.objects.filter(session=session).exclude(pk=first.pk).get()
        assert second.total == second.done == 1

    def test_one_parchemin_on_demand_then_duplicata_with_reason_and_confirmation(self, client):
        cert = PrintableCertificationFactory()
        client.force_login(ud_agent(cert.session))
        url = reverse("documents:certification_print", args=[cert.public_id])
        client.post(url)  # the original: one click
        assert list(cert.parchemins.values_list("edition", flat=True)) == [0]
        page = client.get(reverse("documents:session_parchemins", args=[cert.session.public_id])).content.decode()
        assert "Réimprimer (duplicata)" in page

        # A duplicata needs a reason…
        page = client.post(url).content.decode()
        assert "Motif du duplicata" in page and cert.parchemins.count() == 1
        # …then a confirmation that says what happens to the copy in circulation.
        page = client.post(url, {"reason": "perte"}).content.decode()
        assert "Confirmer le duplicata n° 1" in page and "remplacé par le duplicata" in page
        assert cert.parchemins.count() == 1
        response = client.post(url, {"reason": "perte", "confirmed": "True"})
        assert response.status_code == 302
        duplicata = cert.parchemins.get(edition=1)
        assert duplicata.reason == "perte" and duplicata.number == cert.number
        page = client.get(reverse("documents:session_parchemins", args=[cert.session.public_id])).content.decode()
        assert "Duplicata n° 1 du" in page and "(perte)" in page and "remplacé" in page

    def test_first_print_of_a_certification_awarded_before_numbering(self, client):
        cert = PrintableCertificationFactory(avant_numerotation=True)
        client.force_login(ud_agent(cert.session))
        url = reverse("documents:certification_print", args=[cert.public_id])
        page = client.get(url).content.decode()
        assert "Un original papier a-t-il déjà été remis au titulaire ?" in page
        assert client.post(url).status_code == 200 and not cert.parchemins.exists()  # the answer is required
        assert client.post(url, {"paper_original": "oui"}).status_code == 302
        parchemin = cert.parchemins.get()
        assert parchemin.edition == 1 and parchemin.reason == "original_papier"

    def test_annul_form_and_lift_by_national_admin_only(self, client):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        client.force_login(agent)
        url = reverse("documents:certification_annul", args=[cert.public_id])
        assert "au moins 10" in client.post(url, {"reason": "court"}).content.decode()
        assert client.post(url, {"reason": "Fraude sur l'identité du candidat"}).status_code == 302
        lift = reverse("documents:annulation_lift", args=[cert.public_id])
        assert client.get(lift).status_code == 403
        client.force_login(UserFactory(admin_national=True))
        assert client.post(lift, {"reason": "Décision du tribunal administratif"}).status_code == 302
        assert not cert.annulations.filter(lifted_at__isnull=True).exists()


class TestInformationalDocuments:
    def test_pv_and_livret(self, client):
        from tests.editique.test_pdf import text_of

        cert = PrintableCertificationFactory()
        client.force_login(ud_agent(cert.session))
        pv = text_of(client.get(reverse("documents:session_pv", args=[cert.session.public_id])).content)
        assert "Procès-verbal de session" in pv and "MARTIN" in pv and "Fait à Bourg-en-Bresse" in pv
        livret = text_of(client.get(reverse("documents:certification_livret", args=[cert.public_id])).content)
        assert "Livret de certification" in livret and "Vieux-Bourg (Ain)" in livret
        assert " , né" not in livret  # no stray space between the holder's name and the comma
        assert cert.titre.ccps.first().intitule in livret


class TestReachableFromSessionsAndMenu:
    def test_validated_session_page_links_to_printing_and_pv(self, client):
        cert = PrintableCertificationFactory()
        ccp = CertificationFactory(
            inscription=InscriptionFactory(session=cert.session),
            kind=TypeCertification.CCP,
            ccp=cert.titre.ccps.first(),
            awarded_on=cert.awarded_on,
        )
        session = cert.session
        client.force_login(ud_agent(session))
        detail = reverse("examens:session_detail", args=[session.public_id])
        page = client.get(detail).content.decode()
        assert reverse("documents:session_parchemins", args=[session.public_id]) in page
        assert reverse("documents:session_pv", args=[session.public_id]) in page
        assert reverse("documents:certification_print", args=[cert.public_id]) in page
        assert reverse("documents:certification_print", args=[ccp.public_id]) in page
        assert "Imprimer le parchemin" in page and f"Imprimer le certificat {ccp.ccp}" in page

        client.post(reverse("documents:certification_print", args=[cert.public_id]))
        assert "Réimprimer (duplicata) le parchemin" in client.get(detail).content.decode()

    def test_centre_sees_the_pv_but_not_the_print_buttons(self, client):
        from tests.examens.test_views import centre_user

        cert = PrintableCertificationFactory()
        client.force_login(centre_user(cert.session.centre))
        page = client.get(reverse("examens:session_detail", args=[cert.session.public_id])).content.decode()
        assert reverse("documents:session_pv", args=[cert.session.public_id]) in page
        assert reverse("documents:certification_print", args=[cert.public_id]) not in page
        assert reverse("documents:session_parchemins", args=[cert.session.public_id]) not in page

    def test_agent_ud_menu_leads_to_validated_sessions_then_parchemins(self, client):
        cert = PrintableCertificationFactory()
        client.force_login(ud_agent(cert.session))
        home = client.get(reverse("examens:session_list")).content.decode()
        assert "Parchemins à imprimer" in home
        listing = client.get(reverse("examens:session_list") + "?status=validee").content.decode()
        assert reverse("documents:session_parchemins", args=[cert.session.public_id]) in listing


class TestPublicUrlsFromConfiguration:
    """QR codes and PDF footers name CERES_PUBLIC_BASE_URL, never the host that served the request (issue 13)."""

    def test_qr_and_footer_use_the_configured_address_not_the_request_host(self, client, settings):
        settings.CERES_PUBLIC_BASE_URL = "https://ceres.example.gouv.fr"
        settings.ALLOWED_HOSTS = ["127.0.0.1"]
        cert = PrintableCertificationFactory()
        client.force_login(ud_agent(cert.session))
        client.post(reverse("documents:certification_print", args=[cert.public_id]), HTTP_HOST="127.0.0.1:8000")
        content = read(cert.parchemins.get())
        payload = scan_qr(content)
        assert payload.startswith(f"https://ceres.example.gouv.fr/documents/verifier/{cert.number}?e=O&s=")
        printed = " ".join(text_of(content).split())
        assert "ceres.example.gouv.fr/documents/verifier/" in printed
        assert "127.0.0.1" not in payload and "127.0.0.1" not in printed


class TestFindingTheVerification:
    def test_home_page_and_footer_link_to_the_verification(self, client):
        page = client.get(reverse("www:accueil")).content.decode()
        url = reverse("documents:verify_search")
        assert page.count(f'href="{url}"') >= 2  # the home page tile and the footer
        assert "Vérifier un diplôme" in page
        assert client.get(url).status_code == 200  # no account needed


class TestSignatory:
    def test_the_ud_sets_who_signs_and_the_parchemin_prints_it_under_the_marianne_block(self, client):
        cert = PrintableCertificationFactory()
        agent = ud_agent(cert.session)
        ud = agent.ud
        client.force_login(agent)
        page = client.get(reverse("documents:session_parchemins", args=[cert.session.public_id])).content.decode()
        url = reverse("documents:signatory", args=[ud.public_id])
        assert url in page and "nom non renseigné" in page
        response = client.post(
            url,
            {"quality": "Pour le ministre et par délégation, la directrice départementale", "name": "Claire Durand"},
        )
        assert response.status_code == 302
        ud.refresh_from_db()
        assert ud.signatory_name == "Claire Durand"
        assert [e.operation for e in journal_for(ud)] == ["signataire"]

        client.post(reverse("documents:certification_print", args=[cert.public_id]))
        printed = " ".join(text_of(read(cert.parchemins.get())).split())
        words = printed.split()
        for word in ("RÉPUBLIQUE", "FRANÇAISE", "Liberté", "Égalité", "Fraternité"):  # the Marianne block, text only
            assert word in words
        assert "la directrice départementale Claire Durand" in printed

    def test_only_its_agents_and_the_national_admin_set_it(self, client):
        cert = PrintableCertificationFactory()
        ud = ud_agent(cert.session).ud
        url = reverse("documents:signatory", args=[ud.public_id])
        client.force_login(UserFactory(agent_ud=True))  # another UD
        assert client.get(url).status_code == 403
        client.force_login(UserFactory(admin_national=True))
        assert client.get(url).status_code == 200
