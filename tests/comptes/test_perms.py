import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ceres.comptes import perms
from ceres.comptes.selectors import centre_memberships_for
from tests.centres.factories import CentreFactory, MembreCentreFactory


class TestRequire:
    def test_refusal_carries_the_french_reason(self):
        perms.require(True)
        with pytest.raises(PermissionDenied, match="Seule l'UD du département valide"):
            perms.require(False, "Seule l'UD du département valide la session.")


class TestRoleScope:
    def test_history_is_for_ud_and_national_users(self, world):
        allowed = {k for k, u in world.users.items() if perms.can_see_history(u)}
        assert allowed == {"admin_national", "agent_ud", "agent_ud_autre"}
        assert not perms.can_see_history(AnonymousUser())

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
