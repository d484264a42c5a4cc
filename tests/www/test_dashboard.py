"""The dashboard shows, per role, how many things wait and links to the list holding exactly those rows."""

import datetime as dt

from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.examens.enums import StatutSession
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import MembreConvoqueFactory, SessionExamenFactory
from tests.referentiels.factories import DepartementFactory, RegionFactory, UniteDepartementaleFactory


def cards(client, user) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    response = client.get(reverse("www:tableau_de_bord"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    result = {}
    for tile in soup.select("[data-testid=carte-tableau-de-bord]"):
        link = tile.select_one(".fr-tile__title a")
        result[link.get_text(strip=True)] = (
            int(tile.select_one(".fr-tile__detail").get_text(strip=True)),
            link["href"],
        )
    return result


class TestDashboard:
    def test_dreets_sees_the_requests_of_its_region_only(self, client):
        region = RegionFactory()
        mine = CentreFactory(departement=DepartementFactory(region=region))
        AgrementFactory.create_batch(2, centre=mine)
        AgrementFactory(centre=mine, valide=True)
        AgrementFactory(centre=CentreFactory())  # another region: not counted
        count, url = cards(client, UserFactory(agent_dreets=True, region=region))["Demandes d'agrément à instruire"]
        assert count == 2
        listed = client.get(url)
        assert listed.status_code == 200
        assert listed.content.decode().count(mine.name) >= 2

    def test_ud_sees_sessions_to_validate_in_its_departement(self, client):
        ud = UniteDepartementaleFactory()
        session = SessionExamenFactory(status=StatutSession.RESULTATS_SAISIS)
        session.departement = ud.departement
        session.save(update_fields=["departement"])
        SessionExamenFactory(status=StatutSession.RESULTATS_SAISIS)  # another département
        SessionExamenFactory()  # in preparation
        result = cards(client, UserFactory(agent_ud=True, ud=ud))
        count, url = result["Sessions à valider"]
        assert count == 1
        assert "status=resultats_saisis" in url
        assert result["Doublons de candidats à traiter"][0] == 0

    def test_centre_sees_its_sessions_in_preparation(self, client):
        user = UserFactory(gestionnaire_centre=True)
        session = SessionExamenFactory()
        MembreCentreFactory(user=user, centre=session.centre)
        SessionExamenFactory()  # another centre
        result = cards(client, user)
        assert result["Sessions en préparation"][0] == 1
        assert result["Sessions renvoyées au centre"][0] == 0
        # All the user's centres are counted: the link goes to the list of all of them, not the current centre's.
        assert result["Agréments qui prennent fin bientôt"][1] == reverse("centres:agrement_alerts")
        assert "Demandes d'agrément à instruire" not in result

    def test_juror_sees_upcoming_convocations_not_past_nor_cancelled(self, client):
        convocation = MembreConvoqueFactory()
        user = UserFactory(membre_jury=True)
        membre = convocation.membre
        membre.user = user
        membre.save(update_fields=["user"])
        past = SessionExamenFactory(start_date=dt.date(2020, 3, 2), titre=convocation.session.titre)
        MembreConvoqueFactory(session=past, membre=membre)
        cancelled = SessionExamenFactory(status=StatutSession.ANNULEE)
        MembreConvoqueFactory(session=cancelled, membre=membre)
        result = cards(client, user)
        assert result["Convocations à venir"] == (1, reverse("jurys:mon_espace"))
        html = client.get(reverse("www:tableau_de_bord")).content.decode()
        assert "Vos prochaines convocations" in html
        assert convocation.session.start_date.strftime("%d/%m/%Y") in html

    def test_user_without_role_gets_no_card_and_no_error(self, client):
        assert cards(client, UserFactory()) == {}

    def test_query_count_does_not_grow_with_data(self, client, django_assert_max_num_queries):
        region = RegionFactory()
        centre = CentreFactory(departement=DepartementFactory(region=region))
        AgrementFactory.create_batch(5, centre=centre)
        user = UserFactory(agent_dreets=True, region=region)
        client.force_login(user)
        with django_assert_max_num_queries(15):
            client.get(reverse("www:tableau_de_bord"))
