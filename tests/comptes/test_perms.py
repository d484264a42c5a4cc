import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ceres.comptes import perms
from ceres.comptes.selectors import centre_memberships_for, journal_visible_for, users_visible_for
from ceres.core.journal import journal_record
from tests.centres.factories import CentreFactory, MembreCentreFactory


class TestRequire:
    def test_refusal_carries_the_french_reason(self):
        perms.require(True)
        with pytest.raises(PermissionDenied, match="Seule l'UD du département valide"):
            perms.require(False, "Seule l'UD du département valide la session.")
        with pytest.raises(PermissionDenied, match="Motif un. Motif deux."):
            perms.refuse_if(["Motif un.", "Motif deux."])
        perms.refuse_if([])


class TestRoleScope:
    def test_history_is_for_ud_and_national_users(self, world):
        allowed = {k for k, u in world.users.items() if perms.can_see_history(u)}
        assert allowed == {"admin_national", "agent_ud", "agent_ud_autre"}
        assert not perms.can_see_history(AnonymousUser())

    def test_departements_in_scope(self, world):
        users = world.users
        assert perms.departement_ids_in_scope(users["admin_national"]) is None  # everything
        assert set(perms.departement_ids_in_scope(users["agent_dreets"])) == {
            world.departement.pk,
            world.autre_departement.pk,
        }
        assert perms.departement_ids_in_scope(users["agent_dreets_autre"]) == [world.departement_autre_region.pk]
        assert perms.departement_ids_in_scope(users["agent_ud"]) == [world.departement.pk]
        assert perms.departement_ids_in_scope(users["agent_ud_autre"]) == [world.autre_departement.pk]
        for key in ("gestionnaire_centre", "membre_jury"):
            assert perms.departement_ids_in_scope(users[key]) == []
        assert perms.departement_ids_in_scope(AnonymousUser()) == []

    def test_only_national_admins_write_referentiels(self, world):
        assert [k for k, u in world.users.items() if perms.can_edit_referentiels(u)] == ["admin_national"]

    def test_scope_labels_are_french(self, world):
        assert perms.scope_label(world.users["agent_dreets"]) == "Région Auvergne-Rhône-Alpes"
        assert "département 01" in perms.scope_label(world.users["agent_ud"])
        assert perms.scope_label(world.users["gestionnaire_centre"]) == "Aucun centre rattaché"


class TestSelectors:
    def test_centre_memberships_are_the_users_own(self, world):
        mine = CentreFactory(name="Mon centre")
        MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=mine)
        MembreCentreFactory(user=world.users["gestionnaire_autre_centre"], centre=CentreFactory())
        assert [m.centre for m in centre_memberships_for(world.users["gestionnaire_centre"])] == [mine]
        assert not centre_memberships_for(world.users["agent_ud"]).exists()
        assert not centre_memberships_for(AnonymousUser()).exists()

    def test_users_visible(self, world):
        users = world.users
        assert users_visible_for(users["admin_national"]).count() == 8
        dreets = set(users_visible_for(users["agent_dreets"]).values_list("email", flat=True))
        assert dreets == {"dreets@monde.test", "ud@monde.test", "ud-autre@monde.test"}
        assert list(users_visible_for(users["membre_jury"])) == [users["membre_jury"]]
        assert not users_visible_for(AnonymousUser()).exists()

    def test_journal_visible(self, world):
        journal_record(action="update", obj=world.region, by=world.users["admin_national"])
        assert journal_visible_for(world.users["agent_ud"], world.region).count() == 1
        assert journal_visible_for(world.users["agent_dreets"], world.region).count() == 0
