"""End to end through the web pages: created → registered → jury → convocations → results → UD validation → paths."""

import datetime as dt
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from ceres.documents.models import ImpressionLot, StatutLot
from ceres.examens.enums import StatutSession
from ceres.examens.models import Certification, SessionExamen
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.comptes.factories import PASSWORD, UserFactory
from tests.jurys.factories import HabilitationFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory, UniteDepartementaleFactory

TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def world():
    dep = DepartementFactory(code="01")
    ud = UniteDepartementaleFactory(departement=dep)
    titre = TitreProfessionnelFactory(with_ccps=2, intitule="Assistant de direction")
    centre = CentreFactory(departement=dep)
    site = SiteFactory(centre=centre)
    AgrementFactory(centre=centre, site=site, titre=titre, valide=True)
    gestionnaire = UserFactory(gestionnaire_centre=True, email="gestion@centre.test")
    MembreCentreFactory(user=gestionnaire, centre=centre)
    agent = UserFactory(agent_ud=True, ud=ud, email="agent@ud01.test")
    jurors = [HabilitationFactory(titre=titre).membre for _ in range(2)]
    alice = CandidatFactory(birth_name="Martin", first_names="Alice", birth_date=dt.date(1990, 1, 2))
    bruno = CandidatFactory(birth_name="Durand", first_names="Bruno", birth_date=dt.date(1985, 6, 7))
    return dict(
        titre=titre, site=site, gestionnaire=gestionnaire, agent=agent, jurors=jurors, alice=alice, bruno=bruno
    )


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 0), tick=False)
def test_full_path_through_the_pages(client, world, django_capture_on_commit_callbacks):
    titre, g = world["titre"], world["gestionnaire"]
    ccp1, ccp2 = titre.ccps.order_by("order")
    login(client, g)

    # 1. Creation: opens with today's date at 08:00 and a convocation on the first day at 08:00.
    page = client.get(reverse("examens:session_create"))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", {"name": "start_date"})["value"] == "2026-05-04"
    assert soup.find("input", {"name": "start_time"})["value"] == "08:00"
    assert soup.find("input", {"name": "convocation_date"})["value"] == "2026-05-04"
    assert soup.find("input", {"name": "convocation_time"})["value"] == "08:00"
    form = {
        "titre": titre.pk,
        "type": "titre",
        "site": world["site"].pk,
        "start_date": "2026-05-04",
        "end_date": "2026-05-04",
        "start_time": "08:00",
        "convocation_date": "2026-05-04",
        "convocation_time": "09:00",
        "responsable": g.pk,
        "planned_candidates": 2,
    }
    refused = client.post(reverse("examens:session_create"), form)
    assert refused.status_code == 200 and "postérieure au début des épreuves" in text(refused)
    form["convocation_time"] = "07:30"
    response = client.post(reverse("examens:session_create"), form)
    session = SessionExamen.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "examens:session_detail", args=[session.public_id]
    )

    # 2. Registration through the candidate search.
    url = reverse("examens:inscription_add", args=[session.public_id])
    for c in (world["alice"], world["bruno"]):
        found = client.get(
            url, {"q": c.birth_name, "first_name": c.first_names, "birth_date": c.birth_date.isoformat()}
        )
        assert str(c.public_id) in found.content.decode()
        response = client.post(
            url,
            {
                "candidat": c.public_id,
                "route": "formation_continue",
                "training_start_date": "2025-09-01",
                "identity_checked": "on",
            },
        )
        assert response.status_code == 302, text(response)
    assert session.inscriptions.count() == 2

    # 3. Jury of two habilitated jurors.
    jury_url = reverse("examens:jury", args=[session.public_id])
    page = client.get(jury_url)
    for membre in world["jurors"]:
        assert str(membre.public_id) in page.content.decode()
        client.post(jury_url, {"membre": membre.public_id})
    assert session.jury.count() == 2

    # 4. Convocations e-mailed by the background task.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("examens:convocations_send", args=[session.public_id]))
    assert len(mail.outbox) == 4
    session.refresh_from_db()
    assert session.status == StatutSession.CONVOCATIONS_ENVOYEES
    progress = client.get(reverse("examens:convocations_progress", args=[session.public_id]))
    assert "4 envoyées" in text(progress)

    # 5. The session opens, results are entered, the checklist passes, results go to the UD.
    client.post(reverse("examens:session_transition", args=[session.public_id]), {"target": "en_cours"})
    alice_ins = session.inscriptions.get(candidat=world["alice"])
    bruno_ins = session.inscriptions.get(candidat=world["bruno"])
    results = {
        alice_ins: {f"ccp_{ccp1.pk}": "obtenu", f"ccp_{ccp2.pk}": "obtenu", "entretien_final": "favorable"},
        bruno_ins: {f"ccp_{ccp1.pk}": "obtenu", f"ccp_{ccp2.pk}": "non_obtenu", "entretien_final": "favorable"},
    }
    for ins, data in results.items():
        response = client.post(reverse("examens:resultats", args=[session.public_id, ins.public_id]), data)
        assert response.status_code == 302, text(response)
    detail = client.get(reverse("examens:session_detail", args=[session.public_id]))
    assert "Réussite partielle" in text(detail)
    client.post(reverse("examens:resultats_submit", args=[session.public_id]), {"pv_signed": "on"})
    session.refresh_from_db()
    assert session.status == StatutSession.RESULTATS_SAISIS

    # 6. UD validation (the centre cannot).
    validate_url = reverse("examens:session_validate", args=[session.public_id])
    assert client.get(validate_url).status_code == 403
    client.logout()
    login(client, world["agent"])
    response = client.post(validate_url, {"decision": "valider", "pv_number": "PV-01-2026-0042"})
    assert response.status_code == 302, text(response)
    session.refresh_from_db()
    assert session.status == StatutSession.VALIDEE and session.pv_number == "PV-01-2026-0042"
    assert Certification.objects.filter(kind="titre").count() == 1

    # 6b. From the validated session page the UD prints the session's parchemins (Alice's title, Bruno's CCP
    # certificate) as one PDF, then reprints Alice's parchemin as a duplicata with the same number.
    detail = client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
    assert reverse("documents:session_parchemins", args=[session.public_id]) in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:lot_request", args=[session.public_id]))
    lot = ImpressionLot.objects.get(session=session)
    assert lot.status == StatutLot.TERMINE and lot.done == 2, lot.error
    assert (
        len(PdfReader(io.BytesIO(client.get(reverse("documents:lot_download", args=[lot.public_id])).content)).pages)
        == 2
    )
    title = Certification.objects.get(kind="titre")
    assert (
        "Réimprimer (duplicata) le parchemin"
        in client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
    )
    print_url = reverse("documents:certification_print", args=[title.public_id])
    assert "Confirmer le duplicata n° 1" in text(client.post(print_url, {"reason": "deterioration"}))
    client.post(print_url, {"reason": "deterioration", "confirmed": "True"})
    assert sorted(title.parchemins.values_list("nature", flat=True)) == ["duplicata", "original"]
    assert set(title.parchemins.values_list("number", flat=True)) == {title.number}

    # 7. Titles and CCPs appear in the candidates' paths.
    client.logout()
    login(client, g)
    alice_path = text(client.get(reverse("examens:parcours", args=[world["alice"].public_id])))
    assert "Titre obtenu le 04/05/2026" in alice_path
    bruno_path = text(client.get(reverse("examens:parcours", args=[world["bruno"].public_id])))
    assert "Titre obtenu" not in bruno_path
    assert "CCP restant à obtenir" in bruno_path and ccp2.intitule in bruno_path
    assert ccp1.intitule in bruno_path and "obtenu le 04/05/2026" in bruno_path
