from django.urls import reverse

from ceres.comptes.middleware import CurrentOrganisationMiddleware
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory

URL = reverse("comptes:centre_courant")


def gestionnaire_with_two_centres():
    user = UserFactory(gestionnaire_centre=True)
    alpha = CentreFactory(name="Alpha Formation")
    beta = CentreFactory(name="Beta Compétences")
    MembreCentreFactory(user=user, centre=alpha)
    MembreCentreFactory(user=user, centre=beta)
    return user, alpha, beta


class TestCentreCourant:
    def test_first_centre_by_name_is_current_until_the_user_switches(self, client):
        user, alpha, beta = gestionnaire_with_two_centres()
        client.force_login(user)
        page = client.get(reverse("comptes:profil"))
        assert page.wsgi_request.current_organisation == alpha
        html = page.content.decode()
        assert "Changer de centre" in html  # the header switch, shown with several centres

        response = client.post(URL, {"centre": str(beta.public_id), "next": reverse("comptes:profil")})

        assert response.status_code == 302
        assert response["Location"] == reverse("comptes:profil")
        assert client.session[CurrentOrganisationMiddleware.SESSION_KEY] == beta.pk
        page = client.get(reverse("comptes:profil"))
        assert page.wsgi_request.current_organisation == beta
        assert "Centre courant : Beta Compétences." in page.content.decode()

    def test_a_centre_of_which_the_user_is_not_member_is_not_found(self, client):
        user, alpha, _ = gestionnaire_with_two_centres()
        stranger = CentreFactory(name="Gamma")
        client.force_login(user)
        assert client.post(URL, {"centre": str(stranger.public_id)}).status_code == 404
        assert client.post(URL, {"centre": "pas-un-uuid"}).status_code == 404
        assert client.get(reverse("comptes:profil")).wsgi_request.current_organisation == alpha

    def test_unsafe_next_url_falls_back_to_the_dashboard(self, client):
        user, _, beta = gestionnaire_with_two_centres()
        client.force_login(user)
        response = client.post(URL, {"centre": str(beta.public_id), "next": "https://ailleurs.example/"})
        assert response["Location"] == reverse("www:tableau_de_bord")

    def test_other_roles_are_refused_with_a_french_reason(self, client):
        client.force_login(UserFactory(agent_ud=True))
        response = client.post(URL, {"centre": str(CentreFactory().public_id)})
        assert response.status_code == 403
        assert "Seuls les gestionnaires de centre" in response.content.decode()

    def test_single_centre_users_see_no_switch(self, client):
        user = UserFactory(gestionnaire_centre=True)
        MembreCentreFactory(user=user, centre=CentreFactory(name="Unique"))
        client.force_login(user)
        html = client.get(reverse("comptes:profil")).content.decode()
        assert "Changer de centre" not in html
        assert "Unique" in html
