import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.centres.enums import TypeCentre
from ceres.core.models import JournalEntry
from ceres.examens.enums import StatutSession
from ceres.examens.models import SessionExamen
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, SessionExamenFactory
from tests.referentiels.factories import TitreProfessionnelFactory, UniteDepartementaleFactory


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def centre_user(centre):
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    return user


def create_form(agrement, user, day):
    return {
        "titre": agrement.titre.pk,
        "type": "titre",
        "site": agrement.site.pk,
        "start_date": day,
        "end_date": day,
        "start_time": "08:00",
        "convocation_date": day,
        "convocation_time": "08:00",
        "responsable": user.pk,
        "planned_candidates": 4,
    }


class TestCreationPage:
    @pytest.fixture(autouse=True)
    def _today(self):
        with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False):
            yield

    def agrement(self, centre_type):
        titre = TitreProfessionnelFactory(start_date=dt.date(2019, 7, 1), end_date=dt.date(2024, 7, 1), with_ccps=1)
        centre = CentreFactory(type=centre_type)
        return AgrementFactory(
            centre=centre,
            site=SiteFactory(centre=centre),
            titre=titre,
            valide=True,
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2024, 6, 30),
        )

    def test_cfa_creates_20_months_after_end_of_life(self, client):
        agrement = self.agrement(TypeCentre.CFA)
        user = centre_user(agrement.centre)
        client.force_login(user)
        response = client.post(reverse("examens:session_create"), create_form(agrement, user, "2026-03-02"))
        assert response.status_code == 302
        assert SessionExamen.objects.get().in_prolongation

    def test_private_organisation_is_told_why(self, client):
        agrement = self.agrement(TypeCentre.ORGANISME_PRIVE)
        user = centre_user(agrement.centre)
        client.force_login(user)
        response = client.post(reverse("examens:session_create"), create_form(agrement, user, "2026-03-02"))
        assert response.status_code == 200
        assert "Seuls les centres de type CFA ou CRP peuvent aller jusqu'à 24 mois" in text(response)
        assert not SessionExamen.objects.exists()


class TestList:
    def test_filters_and_htmx_partial(self, client):
        a = SessionExamenFactory()
        b = SessionExamenFactory(status=StatutSession.VALIDEE, agrement=a.agrement)
        client.force_login(UserFactory(admin_national=True))
        response = client.get(reverse("examens:session_list"), {"status": "validee"}, headers={"HX-Request": "true"})
        assert "<html" not in response.content.decode()
        assert str(b.public_id) in response.content.decode() and str(a.public_id) not in response.content.decode()
        full = client.get(reverse("examens:session_list"))
        assert "<html" in full.content.decode()

    def test_centre_sees_only_its_sessions(self, client):
        mine = SessionExamenFactory()
        other = SessionExamenFactory()
        client.force_login(centre_user(mine.centre))
        body = client.get(reverse("examens:session_list")).content.decode()
        assert str(mine.public_id) in body and str(other.public_id) not in body


class TestValidationPage:
    def test_only_the_sessions_ud(self, client):
        session = SessionExamenFactory(status=StatutSession.RESULTATS_SAISIS)
        url = reverse("examens:session_validate", args=[session.public_id])
        own = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        other = UserFactory(agent_ud=True)
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.force_login(own)
        assert client.get(url).status_code == 200
        response = client.post(url, {"decision": "valider", "pv_number": ""})
        assert "numéro de procès-verbal est obligatoire" in text(response)


class TestParcours:
    def test_reading_a_path_is_journaled(self, client):
        inscription = InscriptionFactory()
        user = centre_user(inscription.session.centre)
        client.force_login(user)
        response = client.get(reverse("examens:parcours", args=[inscription.candidat.public_id]))
        assert response.status_code == 200
        assert JournalEntry.objects.filter(action="view", actor=user, object_id=str(inscription.candidat.public_id))


class TestConvocationProgress:
    def test_page_polls_while_sending_runs(self, client):
        from ceres.examens.models import EnvoiConvocation

        session = SessionExamenFactory()
        EnvoiConvocation.objects.create(session=session, total=10, sent=4)
        client.force_login(centre_user(session.centre))
        body = client.get(reverse("examens:session_detail", args=[session.public_id])).content.decode()
        assert 'hx-trigger="every 2s"' in body and "4 envoyées" in text(
            client.get(reverse("examens:convocations_progress", args=[session.public_id]))
        )


class TestJuryRecheck:
    def test_registering_the_trainee_of_a_juror_warns(self, client):
        from tests.candidats.factories import CandidatFactory
        from tests.examens.factories import MembreConvoqueFactory

        session = SessionExamenFactory()
        row = MembreConvoqueFactory(session=session)
        MembreConvoqueFactory(session=session)
        user = centre_user(session.centre)
        client.force_login(user)
        candidat = CandidatFactory()
        # The juror trained this candidate: declared through the inscription's trainer (set by the service caller).
        InscriptionFactory(session=session, trainer=row.membre, candidat=candidat)
        response = client.post(
            reverse("examens:session_update", args=[session.public_id]),
            {
                "site": session.site.pk,
                "start_date": session.start_date,
                "end_date": session.end_date,
                "start_time": "08:00",
                "convocation_date": session.start_date,
                "convocation_time": "08:00",
                "responsable": user.pk,
                "planned_candidates": 3,
            },
            follow=True,
        )
        assert "ne peut plus siéger" in text(response)
        assert f"ce juré a formé ou accompagné {candidat}, inscrit(e) à la session" in text(response)


class TestDetailWording:
    def test_state_buttons_name_the_action_and_a_one_day_session_reads_one_date(self, client):
        session = SessionExamenFactory(status=StatutSession.CONVOCATIONS_ENVOYEES)
        client.force_login(centre_user(session.centre))
        page = BeautifulSoup(
            client.get(reverse("examens:session_detail", args=[session.public_id])).content, "html.parser"
        )
        buttons = [b.get_text(strip=True) for b in page.select("main form button, main a.fr-btn")]
        assert "Annuler la session" in buttons and "Ouvrir la session (épreuves en cours)" in buttons
        assert "Annulée" not in buttons
        # Cancelling asks first: the button leads to its confirmation page.
        assert page.find("a", string="Annuler la session")["href"] == reverse(
            "examens:session_cancel", args=[session.public_id]
        )
        assert f"Le {session.start_date:%d/%m/%Y}, début des épreuves" in page.get_text(" ", strip=True)

    def test_validated_session_without_sending_shows_no_convocation_section(self, client):
        session = SessionExamenFactory(validee=True)
        client.force_login(UserFactory(admin_national=True))
        content = text(client.get(reverse("examens:session_detail", args=[session.public_id])))
        assert "Aucune convocation envoyée" not in content


class TestHostileJuryPost:
    @pytest.mark.parametrize("value", ["not-a-uuid", "1", "", "a\x00b", "x" * 5000, "'; DROP TABLE x; --"])
    def test_a_non_uuid_juror_id_is_refused_without_500(self, client, value):
        # Before: every post of a non-UUID juror id answered 500.
        session = SessionExamenFactory()
        client.raise_request_exception = False
        client.force_login(centre_user(session.centre))
        response = client.post(reverse("examens:jury", args=[session.public_id]), {"membre": value}, follow=True)
        assert response.status_code in (200, 400)
        body = text(response)
        assert "Choisissez un membre de jury dans la liste." in body or "caractère nul" in body


class TestJurorSessionPage:
    def test_a_juror_sees_the_candidates_names_only(self, client):
        # Before: the juror's session page showed each candidate's access route and the convocation errors.
        from tests.examens.factories import MembreConvoqueFactory
        from tests.jurys.factories import MembreJuryFactory

        session = SessionExamenFactory()
        InscriptionFactory(
            session=session,
            candidat__birth_name="Martin",
            convocation_error="Adresse martin@exemple.test refusée par le serveur",
        )
        juror = UserFactory(membre_jury=True)
        MembreConvoqueFactory(session=session, membre=MembreJuryFactory(user=juror))
        client.force_login(juror)
        page = text(client.get(reverse("examens:session_detail", args=[session.public_id])))
        assert "MARTIN" in page.upper()
        assert "Voie d'accès" not in page and "Formation continue" not in page
        assert "refusée par le serveur" not in page and "échec" not in page
        client.force_login(centre_user(session.centre))
        page = text(client.get(reverse("examens:session_detail", args=[session.public_id])))
        assert "Voie d'accès" in page and "refusée par le serveur" in page
