import pytest
from django.core.management import call_command

from ceres.comptes import demo
from ceres.comptes.enums import Role
from ceres.comptes.models import User
from tests.referentiels.factories import DepartementFactory, RegionFactory, UniteDepartementaleFactory


@pytest.fixture
def territoire():
    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    for code, name in [("01", "Ain"), ("69", "Rhône")]:
        UniteDepartementaleFactory(departement=DepartementFactory(code=code, name=name, region=region))
    return region


class TestDemoAccounts:
    def test_one_account_per_role_with_the_documented_password(self, territoire):
        assert demo.seed() == {"comptes créés": 6, "comptes remis en ordre": 0}
        users = {u.email: u for u in User.objects.all()}
        assert users["admin@ceres.demo"].role == Role.ADMIN_NATIONAL
        assert users["admin@ceres.demo"].is_superuser and users["admin@ceres.demo"].is_staff
        assert users["dreets@ceres.demo"].region == territoire
        assert users["ud01@ceres.demo"].ud.departement.code == "01"
        assert users["ud69@ceres.demo"].ud.departement.code == "69"
        assert users["centre@ceres.demo"].role == Role.GESTIONNAIRE_CENTRE
        assert users["jury@ceres.demo"].role == Role.MEMBRE_JURY
        assert all(u.check_password(demo.DEMO_PASSWORD) for u in users.values())

    def test_second_run_changes_nothing_and_keeps_a_changed_password(self, territoire):
        demo.seed()
        user = User.objects.get(email="ud01@ceres.demo")
        user.set_password("Mon-propre-secret-2026")
        user.save()
        assert demo.seed() == {"comptes créés": 0, "comptes remis en ordre": 0}
        user.refresh_from_db()
        assert user.check_password("Mon-propre-secret-2026")
        assert User.objects.count() == 6

    def test_missing_territory_says_to_load_the_referentiels(self):
        RegionFactory(code="84")
        with pytest.raises(RuntimeError, match="load_referentiels"):
            demo.seed()
        assert not User.objects.exists()

    def test_demo_accounts_can_log_in(self, territoire, client):
        demo.seed()
        response = client.post("/compte/connexion/", {"username": "dreets@ceres.demo", "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302


def test_seed_demo_command_refuses_outside_debug(territoire):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--wet-run")
