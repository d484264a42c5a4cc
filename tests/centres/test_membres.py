"""Members management of a centre: its administrators (or the region's DREETS) add and remove accounts."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from ceres.centres import rules, services
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

    def test_invite_refusals_never_depend_on_an_account(self):
        assert "déjà membre" in rules.member_invite_errors(email="x@y.fr", already_member=True, pending=False)[0]
        assert "déjà en attente" in rules.member_invite_errors(email="x@y.fr", already_member=False, pending=True)[0]
        assert rules.member_invite_errors(email="x@y.fr", already_member=False, pending=False) == []

    def test_only_a_pending_invitation_of_an_active_manager_is_answered(self):
        assert rules.invitation_answer_errors(pending=False, is_gestionnaire=True, is_active=True)
        assert rules.invitation_answer_errors(pending=True, is_gestionnaire=False, is_active=True)
        assert rules.invitation_answer_errors(pending=True, is_gestionnaire=True, is_active=True) == []

    def test_last_admin_stays_unless_dreets(self):
        assert rules.member_remove_errors(is_admin=True, admins_count=1, by_dreets=False)
        assert rules.member_remove_errors(is_admin=True, admins_count=1, by_dreets=True) == []
        assert rules.member_remove_errors(is_admin=True, admins_count=2, by_dreets=False) == []
        assert rules.member_remove_errors(is_admin=False, admins_count=1, by_dreets=False) == []


class TestMembresPage:
    def test_admin_invites_and_the_invited_person_accepts(
        self, client, world, centre, django_capture_on_commit_callbacks
    ):
        collegue = UserFactory(email="collegue@formapro.test", gestionnaire_centre=True)
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:membres", args=[centre.public_id])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": "Collegue@Formapro.test"}, follow=True)
        assert "Invitation enregistrée pour « collegue@formapro.test »" in text(response)
        # Not a member before accepting: no one is added to a centre without consent.
        assert not MembreCentre.objects.filter(centre=centre, user=collegue).exists()
        assert [m.to for m in mail.outbox] == [["collegue@formapro.test"]]
        assert "/centres/invitations/" in mail.outbox[0].body

        client.force_login(collegue)
        page = client.get(reverse("centres:mes_invitations"))
        assert "Formapro Ain" in text(page)
        invitation = centre.invitations.get()
        client.post(reverse("centres:mes_invitations"), {"invitation": invitation.public_id, "reponse": "accepter"})
        assert MembreCentre.objects.filter(centre=centre, user=collegue, is_admin=False).exists()
        operations = list(journal_for(centre).values_list("operation", flat=True))
        assert {"membre_invite", "invitation_acceptee", "membre_ajoute"} <= set(operations)
        assert journal_for(centre).get(operation="membre_ajoute").actor == collegue

    def test_the_invited_person_may_refuse(self, client, world, centre):
        collegue = UserFactory(email="collegue@formapro.test", gestionnaire_centre=True)
        services.membre_centre_invite(centre=centre, email=collegue.email, by=world.users["gestionnaire_centre"])
        client.force_login(collegue)
        invitation = centre.invitations.get()
        client.post(reverse("centres:mes_invitations"), {"invitation": invitation.public_id, "reponse": "refuser"})
        assert not MembreCentre.objects.filter(centre=centre, user=collegue).exists()
        assert "Aucune invitation en attente" in text(client.get(reverse("centres:mes_invitations")))

    def test_nobody_else_answers_an_invitation(self, client, world, centre):
        UserFactory(email="collegue@formapro.test", gestionnaire_centre=True)
        services.membre_centre_invite(
            centre=centre, email="collegue@formapro.test", by=world.users["gestionnaire_centre"]
        )
        intrus = world.users["gestionnaire_autre_centre"]
        client.force_login(intrus)
        invitation = centre.invitations.get()
        response = client.post(
            reverse("centres:mes_invitations"), {"invitation": invitation.public_id, "reponse": "accepter"}
        )
        assert response.status_code == 404
        assert not MembreCentre.objects.filter(centre=centre, user=intrus).exists()

    def test_the_answer_is_the_same_whether_an_account_exists_and_whatever_its_role(
        self, client, world, centre, django_capture_on_commit_callbacks
    ):
        # Before: « Aucun compte CERES n'existe… », « n'est pas un compte de gestionnaire… » told the centre which
        # addresses have an account and their role.
        UserFactory(email="jury@exemple.test", membre_jury=True)
        UserFactory(email="agent@exemple.test", agent_ud=True)
        UserFactory(email="gestionnaire@exemple.test", gestionnaire_centre=True)
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:membres", args=[centre.public_id])
        answers = set()
        for email in ["inconnu@exemple.test", "jury@exemple.test", "agent@exemple.test", "gestionnaire@exemple.test"]:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, {"email": email}, follow=True)
            answers.add(" ".join(str(m) for m in response.context["messages"]).replace(email, "ADRESSE"))
        assert len(answers) == 1
        assert centre.memberships.count() == 1
        # Only the centre manager's account is e-mailed.
        assert [m.to for m in mail.outbox] == [["gestionnaire@exemple.test"]]

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
        client.force_login(world.users["gestionnaire_centre"])
        invitation = centre.invitations.get(status="en_attente")
        client.post(reverse("centres:mes_invitations"), {"invitation": invitation.public_id, "reponse": "accepter"})
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
