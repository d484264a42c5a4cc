"""Account changes made in the admin site are journaled: who gave which role or scope to whom."""

from django.urls import reverse

from ceres.core.journal import journal_for
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import UniteDepartementaleFactory


def test_role_change_in_the_admin_is_journaled_with_before_and_after(client):
    staff = UserFactory(admin_national=True, is_staff=True, is_superuser=True)
    agent = UserFactory(email="agent@ceres.test", first_name="Camille", last_name="Martin")
    ud = UniteDepartementaleFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:comptes_user_change", args=[agent.pk]),
        {
            "email": "agent@ceres.test",
            "first_name": "Camille",
            "last_name": "Martin",
            "role": "agent_ud",
            "ud": ud.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = journal_for(agent).get()
    assert entry.actor == staff
    assert entry.changes["role"] == {"avant": "", "après": "agent_ud"}
    assert entry.changes["ud"]["après"] == ud.pk
    assert "password" not in entry.changes
