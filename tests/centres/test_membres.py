"""Members management of a centre: its administrators (or the region's DREETS) add and remove accounts."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.centres import rules
from ceres.centres.models import MembreCentre
from ceres.core.journal import journal_for
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def centre(world):
    centre = CentreFactory(departement=world.departement, name="Formapro Ain")
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre, is_admin=True)
    return centre


class TestRules:
    pytestmark = pytest.mark.no_django_db

    def test_add_refusals_say_why(self):
        assert "Aucun compte CERES" in rules.member_add_errors(email="x@y.fr", exists=False)[0]
        assert "désactivé" in rules.member_add_errors(email="x@y.fr", exists=True, is_active=False)[0]
        assert (
            "pas un compte de gestionnaire"
            in rules.member_add_errors(email="x@y.fr", exists=True, is_gestionnaire=False)[0]
        )
        assert "déjà membre" in rules.member_add_errors(email="x@y.fr", exists=True, already=True)[0]
        assert rules.member_add_errors(email="x@y.fr", exists=True) == []

    def test_last_admin_stays_unless_dreets(self):
        assert rules.member_remove_errors(is_admin=True, admins_count=1, by_dreets=False)
        assert rules.member_remove_errors(is_admin=True, admins_count=1, by_dreets=True) == []
        assert rules.member_remove_errors(is_admin=True, admins_count=2, by_dreets=False) == []
        assert rules.member_remove_errors(is_admin=False, admins_count=1, by_dreets=False) == []


class TestMembresPage:
    def test_admin_adds_an_existing_account_by_email(self, client, world, centre):
        collegue = UserFactory(email="collegue@formapro.test", gestionnaire_centre=True)
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:membres", args=[centre.public_id])
        response = client.post(url, {"email": "Collegue@Formapro.test"})
        assert response.status_code == 302
        assert MembreCentre.objects.filter(centre=centre, user=collegue, is_admin=False).exists()
        page = text(client.get(url))
        assert "collegue@formapro.test" in page and "2 membres" in page
        entry = journal_for(centre).get(operation="membre_ajoute")
        assert entry.actor == world.users["gestionnaire_centre"]
        assert entry.changes["membre"] == "collegue@formapro.test"

    def test_unknown_or_wrong_account_is_explained(self, client, world, centre):
        UserFactory(email="jury@exemple.test", membre_jury=True)
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:membres", args=[centre.public_id])
        page = text(client.post(url, {"email": "inconnu@exemple.test"}))
        assert "Aucun compte CERES n'existe pour l'adresse « inconnu@exemple.test »" in page
        page = text(client.post(url, {"email": "jury@exemple.test"}))
        assert "n'est pas un compte de gestionnaire de centre" in page
        assert centre.memberships.count() == 1

    def test_remove_a_member_is_journaled(self, client, world, centre):
        membre = MembreCentreFactory(centre=centre)
        client.force_login(world.users["gestionnaire_centre"])
        response = client.post(reverse("centres:membre_remove", args=[centre.public_id]), {"membre": membre.pk})
        assert response.status_code == 302
        assert not MembreCentre.objects.filter(pk=membre.pk).exists()
        assert journal_for(centre).get(operation="membre_retire").changes["membre"] == membre.user.email

    def test_last_admin_cannot_remove_themselves_but_dreets_can(self, client, world, centre):
        admin = centre.memberships.get()
        url = reverse("centres:membre_remove", args=[centre.public_id])
        client.force_login(world.users["gestionnaire_centre"])
        response = client.post(url, {"membre": admin.pk}, follow=True)
        assert "Le dernier administrateur du centre ne peut pas être retiré" in text(response)
        assert MembreCentre.objects.filter(pk=admin.pk).exists()
        # The DREETS of the region manages members when the centre has no one else to do it.
        client.force_login(world.users["agent_dreets"])
        client.post(url, {"membre": admin.pk})
        assert not centre.memberships.exists()
        client.post(
            reverse("centres:membres", args=[centre.public_id]),
            {"email": world.users["gestionnaire_centre"].email, "is_admin": "on"},
        )
        assert centre.memberships.get().is_admin

    def test_page_explains_instead_of_offering_a_removal_that_would_fail(self, client, world, centre):
        url = reverse("centres:membres", args=[centre.public_id])
        email = world.users["gestionnaire_centre"].email
        client.force_login(world.users["gestionnaire_centre"])
        page = client.get(url)
        assert f"Retirer {email}" not in text(page)
        assert "Le dernier administrateur du centre ne peut pas être retiré" in text(page)
        # A second administrator makes the removal possible; the DREETS may always remove.
        MembreCentreFactory(centre=centre, is_admin=True)
        assert f"Retirer {email}" in text(client.get(url))
        centre.memberships.exclude(user=world.users["gestionnaire_centre"]).delete()
        client.force_login(world.users["agent_dreets"])
        assert f"Retirer {email}" in text(client.get(url))

    def test_plain_member_and_other_centres_cannot_manage(self, client, world, centre):
        membre = MembreCentreFactory(centre=centre)
        client.force_login(membre.user)
        url = reverse("centres:membres", args=[centre.public_id])
        assert client.get(url).status_code == 403
        client.force_login(world.users["gestionnaire_autre_centre"])
        assert client.get(url).status_code == 404
        other = MembreCentreFactory(centre=CentreFactory(departement=world.departement))
        # A membership of another centre cannot be removed through this centre's page.
        client.force_login(world.users["gestionnaire_centre"])
        response = client.post(reverse("centres:membre_remove", args=[centre.public_id]), {"membre": other.pk})
        assert response.status_code == 404

    def test_centre_detail_links_to_members_page(self, client, world, centre):
        client.force_login(world.users["gestionnaire_centre"])
        response = client.get(reverse("centres:centre_detail", args=[centre.public_id]))
        assert reverse("centres:membres", args=[centre.public_id]) in response.content.decode()


class TestAdminSite:
    def test_memberships_are_read_only_in_the_admin_so_every_change_is_journaled(self, client, world, centre):
        staff = UserFactory(admin_national=True, is_staff=True, is_superuser=True)
        client.force_login(staff)
        membre = centre.memberships.get()
        assert client.get(reverse("admin:centres_membrecentre_changelist")).status_code == 200
        assert client.get(reverse("admin:centres_membrecentre_add")).status_code == 403
        delete = client.post(reverse("admin:centres_membrecentre_delete", args=[membre.pk]), {"post": "yes"})
        assert delete.status_code == 403
        assert centre.memberships.filter(pk=membre.pk).exists()
        page = client.get(reverse("admin:centres_centre_change", args=[centre.pk]))
        assert page.status_code == 200
        assert "memberships-0-DELETE" not in page.content.decode()
