"""« Done when » of issue 18: the script of docs/api.md runs through the API alone (session, two registrations, one
an existing person, jury, results), then the UD validates the session on the pages."""

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ceres.examens.enums import Decision, StatutSession
from ceres.examens.models import Certification, SessionExamen
from tests.api.helpers import centre_key
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory
from tests.comptes.factories import UserFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import CommuneFactory, TitreProfessionnelFactory, UniteDepartementaleFactory

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api" / "exemple_centre.py"


def load_script():
    spec = importlib.util.spec_from_file_location("exemple_centre", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def django_transport(client: Client, on_commit):
    """The script's HTTP calls, sent to the test server instead of a network. Each call is its own transaction in
    production: what a request queues on commit (the convocations task) runs when it ends."""

    def send(method, url, headers, body):
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        extra = {"content_type": "application/json"} if body is not None else {}
        with on_commit(execute=True):
            response = client.generic(method, "/" + path, body or b"", headers=headers, **extra)
        return response.status_code, response.content

    return send


@pytest.fixture
def centre_ready(db):
    titre = TitreProfessionnelFactory(with_ccps=2, end_date=dt.date(2031, 1, 1))
    agrement = AgrementFactory(valide=True, titre=titre, centre__departement__code="01")
    dep = agrement.centre.departement
    UniteDepartementaleFactory(departement=dep, commune=CommuneFactory(name="Bourg-en-Bresse", departement_code="01"))
    for _ in range(2):
        HabilitationFactory(titre=titre, membre=MembreJuryFactory(ud=dep.ud))
    born_in = CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    existing = CandidatFactory(
        birth_name="Dupont", first_names="Jean", birth_date=dt.date(1980, 5, 1), birth_commune=born_in
    )
    _, token = centre_key(centre=agrement.centre)
    return agrement, token, existing, born_in


def test_the_documented_script_prepares_a_session_that_the_ud_validates(
    centre_ready, django_capture_on_commit_callbacks
):
    agrement, token, existing, born_in = centre_ready
    script = load_script()
    ceres = script.Ceres(
        "http://testserver", token, send=django_transport(Client(), django_capture_on_commit_callbacks)
    )
    lines = []
    existing_identity = {
        "civilite": "M",
        "nom_naissance": "DUPONT",
        "prenoms": "Jean",
        "date_naissance": "1980-05-01",
        "commune_naissance": "69123",
    }
    new_identity = {
        "civilite": "MME",
        "nom_naissance": "Exemple",
        "prenoms": "Camille",
        "date_naissance": "1995-04-12",
        "commune_naissance": "69123",
        "courriel": "camille@example.org",
    }
    result = script.preparer_session(ceres, nouveau=new_identity, existant=existing_identity, log=lines.append)

    session = SessionExamen.objects.get(public_id=result["id"])
    assert session.status == StatutSession.RESULTATS_SAISIS, "\n".join(lines)
    inscriptions = {i.candidat.birth_name: i for i in session.inscriptions.select_related("candidat")}
    assert inscriptions["Dupont"].candidat == existing  # the existing file, not a second one
    assert inscriptions["Exemple"].decision == Decision.REUSSITE
    assert inscriptions["Dupont"].decision == Decision.REUSSITE_PARTIELLE
    assert session.jury.count() == 2
    assert any("dossier existant" in line for line in lines)

    # The UD validates on the pages.
    agent = UserFactory(agent_ud=True, ud=session.departement.ud)
    page = Client()
    page.force_login(agent)
    response = page.post(
        reverse("examens:session_validate", args=[session.public_id]), {"decision": "valider", "pv_number": "PV-42"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == StatutSession.VALIDEE
    assert Certification.objects.filter(session=session, kind="titre").count() == 1
    assert json.dumps(result)  # the script's answer is plain JSON
