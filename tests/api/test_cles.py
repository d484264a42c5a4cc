"""API keys: created by a centre administrator (or a State agent, read-only), hashed, shown once, revoked, journaled,
rate-limited."""

import hashlib

import pytest
from django.urls import reverse

from ceres.api.enums import PorteeCle
from ceres.api.models import CleApi
from ceres.core.models import JournalEntry
from tests.api.helpers import ApiClient, agent_key, centre_admin, centre_key
from tests.centres.factories import AgrementFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory


class TestKeyPage:
    def test_centre_admin_creates_a_key_shown_once(self, client):
        user, centre = centre_admin()
        client.force_login(user)
        url = reverse("cles_api:list")
        response = client.post(url, {"name": "Logiciel Formagest", "scope": "ecriture", "centre": centre.pk})
        assert response.status_code == 200
        token = response.context["token"]
        assert token.startswith("ceres_") and token in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        cle = CleApi.objects.get()
        assert cle.secret_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(CleApi.objects.values().get())
        # Shown once: the list page never shows it again.
        page = client.get(url).content.decode()
        assert token not in page and "Logiciel Formagest" in page and f"ceres_{cle.prefix}_" in page
        entry = JournalEntry.objects.get(operation="cle_api_create")
        assert entry.actor == user and entry.changes["portée"] == "Lecture et écriture"

    def test_plain_member_may_not_create_a_key(self, client):
        user, centre = centre_admin()
        member = UserFactory(gestionnaire_centre=True)
        MembreCentreFactory(user=member, centre=centre, is_admin=False)
        client.force_login(member)
        response = client.get(reverse("cles_api:list"))
        assert response.status_code == 403

    def test_ud_agent_gets_read_only_keys(self, client):
        agent = UserFactory(agent_ud=True)
        client.force_login(agent)
        response = client.post(reverse("cles_api:list"), {"name": "Pilotage", "scope": "ecriture"})
        assert response.status_code == 200
        assert not CleApi.objects.exists()  # write refused by the form's choices
        client.post(reverse("cles_api:list"), {"name": "Pilotage", "scope": "lecture"})
        assert CleApi.objects.get().scope == PorteeCle.LECTURE

    def test_revoked_key_stops_working(self, client):
        user, centre = centre_admin()
        cle, token = centre_key(user=user, centre=centre)
        api = ApiClient(token)
        assert api.get("/api/v1/agrements/").status_code == 200
        client.force_login(user)
        response = client.post(reverse("cles_api:revoke", args=[cle.public_id]), {"reason": "fuite"})
        assert response.status_code == 302
        assert api.get("/api/v1/agrements/").status_code == 401
        assert JournalEntry.objects.get(operation="cle_api_revoke").reason == "fuite"
        assert "Révoquée le" in client.get(reverse("cles_api:list")).content.decode()


class TestAuthentication:
    def test_missing_unknown_or_malformed_key_is_401_in_french(self, db):
        for token in (None, "ceres_00000000_inconnue", "autre-chose"):
            response = ApiClient(token).get("/api/v1/agrements/")
            assert response.status_code == 401
            assert "Clé d'API absente" in response.json()["detail"]
            assert response["WWW-Authenticate"] == "Bearer"

    def test_key_stops_when_its_creator_leaves_the_centre(self, db):
        user, centre = centre_admin()
        _, token = centre_key(user=user, centre=centre)
        user.centre_memberships.all().delete()
        assert ApiClient(token).get("/api/v1/agrements/").status_code == 401

    def test_rate_limit_answers_429_with_retry_after(self, db, settings):
        settings.CERES_API_RATE_LIMIT = 3
        _, token = centre_key()
        api = ApiClient(token)
        statuses = [api.get("/api/v1/agrements/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = api.get("/api/v1/agrements/")
        assert response["Retry-After"] == "60" and "Trop de requêtes" in response.json()["detail"]


class TestScope:
    def test_centre_key_sees_its_centre_only(self, db):
        user, centre = centre_admin()
        other = AgrementFactory(valide=True)
        MembreCentreFactory(user=user, centre=other.centre, is_admin=True)  # same person, another centre
        mine = AgrementFactory(valide=True, centre=centre, site__centre=centre)
        _, token = centre_key(user=user, centre=centre)
        body = ApiClient(token).get("/api/v1/agrements/").json()
        assert [a["id"] for a in body["results"]] == [str(mine.public_id)]
        assert ApiClient(token).get(f"/api/v1/agrements/{other.public_id}/").status_code == 404

    def test_ud_key_reads_its_departement(self, db):
        agrement = AgrementFactory(valide=True)
        elsewhere = AgrementFactory(valide=True)
        agent = UserFactory(agent_ud=True, ud__departement=agrement.centre.departement)
        _, token = agent_key(agent)
        body = ApiClient(token).get("/api/v1/agrements/").json()
        assert [a["id"] for a in body["results"]] == [str(agrement.public_id)]
        assert str(elsewhere.public_id) not in str(body)


@pytest.mark.parametrize("scope", [PorteeCle.LECTURE, PorteeCle.ECRITURE])
def test_state_agent_without_organisation_has_no_key(db, scope):
    from django.core.exceptions import ValidationError

    from ceres.api import services

    with pytest.raises(ValidationError):
        services.cle_create(name="x", scope=scope, by=UserFactory(membre_jury=True))
