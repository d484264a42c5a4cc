"""Issue 3 acceptance: each account sees only its scope, and acting outside it is refused (not just hidden links)."""

from django.test import Client
from django.urls import reverse

from ceres.examens.enums import StatutSession
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.referentiels.factories import TitreProfessionnelFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_awaiting_validation(world):
    centre = CentreFactory(departement=world.departement)
    agrement = AgrementFactory(
        centre=centre, site=SiteFactory(centre=centre), titre=TitreProfessionnelFactory(with_ccps=2), valide=True
    )
    session = SessionExamenFactory(agrement=agrement, status=StatutSession.RESULTATS_SAISIS)
    InscriptionFactory(session=session)
    MembreConvoqueFactory(session=session)  # validation re-checks the jury: two habilitated members
    MembreConvoqueFactory(session=session)
    return session


class TestValidationOutsideTheDepartement:
    def test_ud_agent_of_another_departement_cannot_validate(self, world):
        session = session_awaiting_validation(world)
        url = reverse("examens:session_validate", args=[session.public_id])
        data = {"decision": "valider", "pv_number": "PV-2026-99"}
        # Same region, other département: the session is outside their scope, it does not exist for them.
        response = client_for(world.users["agent_ud_autre"]).post(url, data)
        assert response.status_code == 404
        session.refresh_from_db()
        assert session.status == StatutSession.RESULTATS_SAISIS and session.pv_number == ""

    def test_ud_agent_of_another_departement_cannot_send_it_back(self, world):
        session = session_awaiting_validation(world)
        url = reverse("examens:session_return", args=[session.public_id])
        response = client_for(world.users["agent_ud_autre"]).post(url, {"reason": "Non"})
        assert response.status_code == 404
        session.refresh_from_db()
        assert session.status == StatutSession.RESULTATS_SAISIS

    def test_national_administrator_sees_but_cannot_validate(self, world):
        session = session_awaiting_validation(world)
        url = reverse("examens:session_validate", args=[session.public_id])
        response = client_for(world.users["admin_national"]).post(url, {"decision": "valider", "pv_number": "PV-1"})
        assert response.status_code == 403
        session.refresh_from_db()
        assert session.status == StatutSession.RESULTATS_SAISIS

    def test_ud_agent_of_the_departement_validates(self, world):
        session = session_awaiting_validation(world)
        url = reverse("examens:session_validate", args=[session.public_id])
        response = client_for(world.users["agent_ud"]).post(url, {"decision": "valider", "pv_number": "PV-2026-01"})
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.status == StatutSession.VALIDEE and session.pv_number == "PV-2026-01"


def test_centre_user_opening_another_centres_session_gets_404(world):
    session = session_awaiting_validation(world)
    other = CentreFactory(departement=world.departement)
    MembreCentreFactory(user=world.users["gestionnaire_autre_centre"], centre=other)
    response = client_for(world.users["gestionnaire_autre_centre"]).get(
        reverse("examens:session_detail", args=[session.public_id])
    )
    assert response.status_code == 404
