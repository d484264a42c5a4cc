"""Sessions through the API: the page rules and their French refusals, duplicates, idempotency, ETag, cursors."""

import datetime as dt

import pytest

from ceres.api.idempotency import REUSED
from ceres.candidats.models import Candidat
from ceres.examens.models import SessionExamen
from ceres.examens.services import creation
from tests.api.helpers import ApiClient, agent_key, centre_admin, centre_key
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import SessionExamenFactory
from tests.referentiels.factories import CommuneFactory, TitreProfessionnelFactory


@pytest.fixture
def centre(db):
    agrement = AgrementFactory(valide=True, titre=TitreProfessionnelFactory(with_ccps=2, end_date=dt.date(2031, 1, 1)))
    user, centre = centre_admin(agrement.centre)
    _, token = centre_key(user=user, centre=centre)
    return agrement, ApiClient(token)


def session_body(agrement, **over):
    day = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    return {"titre": str(agrement.titre.public_id), "site": str(agrement.site.public_id), "debut": day, "fin": day,
            **over}  # fmt: skip


class TestRules:
    def test_refusals_are_the_page_sentences_with_their_field(self, centre):
        agrement, api = centre
        response = api.post("/api/v1/sessions/", session_body(agrement, debut="2030-01-10", fin="2030-01-09"))
        assert response.status_code == 400
        body = response.json()
        assert body["detail"] == "La demande est refusée : voir les erreurs."
        assert body["erreurs"] and all(e["message"] for e in body["erreurs"])

    def test_title_outside_the_agrements(self, centre):
        agrement, api = centre
        other = TitreProfessionnelFactory()
        response = api.post("/api/v1/sessions/", session_body(agrement, titre=str(other.public_id)))
        assert response.json()["erreurs"] == [
            {"champ": "titre", "message": "Le centre n'a aucun agrément pour ce titre."}
        ]

    def test_same_rule_as_the_page_for_end_of_life(self, centre, monkeypatch):
        """The API calls the same service: a refusal added to the service reaches the API unchanged."""
        agrement, api = centre
        calls = []
        real = creation.session_create

        def spy(**kwargs):
            calls.append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr("ceres.api.routers.sessions.services.session_create", spy)
        assert api.post("/api/v1/sessions/", session_body(agrement)).status_code == 201
        assert calls and calls[0]["centre"] == agrement.centre

    def test_malformed_input_is_400_in_french(self, centre):
        _, api = centre
        response = api.post("/api/v1/sessions/", {"debut": "demain"})
        assert response.status_code == 400
        messages = {e["champ"]: e["message"] for e in response.json()["erreurs"]}
        assert messages["debut"] == "Date attendue au format AAAA-MM-JJ." and messages["titre"] == "Champ obligatoire."

    def test_read_only_key_cannot_write(self, centre):
        agrement, _ = centre
        _, token = centre_key(centre=agrement.centre, user=agrement.centre.memberships.first().user, scope="lecture")
        response = ApiClient(token).post("/api/v1/sessions/", session_body(agrement))
        assert response.status_code == 403 and "lecture seule" in response.json()["detail"]


class TestIdempotencyAndCaching:
    def test_same_key_replays_the_first_answer(self, centre):
        agrement, api = centre
        headers = {"Idempotency-Key": "cle-1"}
        first = api.post("/api/v1/sessions/", session_body(agrement), headers=headers)
        again = api.post("/api/v1/sessions/", session_body(agrement), headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
        assert SessionExamen.objects.count() == 1
        other = api.post("/api/v1/sessions/", session_body(agrement, candidats_prevus=3), headers=headers)
        assert other.status_code == 422 and other.json()["detail"] == REUSED

    def test_etag_gives_304_until_a_change(self, centre):
        agrement, api = centre
        api.post("/api/v1/sessions/", session_body(agrement))
        first = api.get("/api/v1/sessions/")
        assert api.get("/api/v1/sessions/", headers={"If-None-Match": first["ETag"]}).status_code == 304
        api.post("/api/v1/sessions/", session_body(agrement))
        assert api.get("/api/v1/sessions/", headers={"If-None-Match": first["ETag"]}).status_code == 200

    def test_cursor_pages_and_filters(self, centre):
        agrement, api = centre
        for days in (20, 21, 22):
            day = (dt.date.today() + dt.timedelta(days=days)).isoformat()
            api.post("/api/v1/sessions/", session_body(agrement, debut=day, fin=day))
        page = api.get("/api/v1/sessions/", {"taille": 2}).json()
        rest = api.get("/api/v1/sessions/", {"taille": 2, "curseur": page["suivant"]}).json()
        assert len(page["results"]) == 2 and len(rest["results"]) == 1 and rest["suivant"] is None
        later = (dt.date.today() + dt.timedelta(days=21)).isoformat()
        assert len(api.get("/api/v1/sessions/", {"debut_apres": later}).json()["results"]) == 2
        assert api.get("/api/v1/sessions/", {"curseur": "n'importe quoi"}).status_code == 400


class TestRegistration:
    def registration(self, api, session, candidat):
        return api.post(
            f"/api/v1/sessions/{session['id']}/inscriptions/",
            {"candidat": candidat, "voie_acces": "formation_continue", "debut_formation": "2025-09-01"},
        )

    def test_certain_duplicate_registers_the_existing_file(self, centre):
        agrement, api = centre
        lyon = CommuneFactory(code_insee="69123", name="Lyon")
        existing = CandidatFactory(
            birth_name="Martin", first_names="Léa", birth_date=dt.date(1990, 5, 2), birth_commune=lyon
        )
        session = api.post("/api/v1/sessions/", session_body(agrement)).json()
        identity = {"civilite": "MME", "nom_naissance": "MARTIN", "prenoms": "Léa", "date_naissance": "1990-05-02",
                    "commune_naissance": "69123"}  # fmt: skip
        # A file opened elsewhere: the centre must attest it saw the person's identity document (issue #16).
        refused = self.registration(api, session, identity)
        assert refused.status_code == 400
        assert "pièce d'identité" in refused.json()["erreurs"][0]["message"]
        response = api.post(
            f"/api/v1/sessions/{session['id']}/inscriptions/",
            {"candidat": identity, "voie_acces": "formation_continue", "debut_formation": "2025-09-01",
             "identite_verifiee": True},
        )  # fmt: skip
        assert response.status_code == 201, response.content
        assert response.json()["dossier_existant"] is True
        assert response.json()["candidat"]["numero"] == existing.numero
        assert Candidat.objects.count() == 1

    def test_probable_duplicates_are_listed_to_choose(self, centre):
        agrement, api = centre
        lyon = CommuneFactory(code_insee="69123", name="Lyon")
        CandidatFactory(birth_name="Martin", first_names="Léa", birth_date=dt.date(1990, 5, 2), birth_commune=lyon)
        session = api.post("/api/v1/sessions/", session_body(agrement)).json()
        # Same person? A typo in the name, same birth date: CERES does not decide alone.
        identity = {"civilite": "MME", "nom_naissance": "MARTINN", "prenoms": "Léa", "date_naissance": "1990-05-02",
                    "commune_naissance": "69123"}  # fmt: skip
        response = self.registration(api, session, identity)
        assert response.status_code == 409
        assert response.json()["dossiers"][0]["nom_naissance"] == "Martin"
        confirmed = self.registration(api, session, {**identity, "confirmer_nouveau_dossier": True})
        assert confirmed.status_code == 201 and confirmed.json()["dossier_existant"] is False


class TestStateScope:
    def test_ud_reads_the_sessions_of_its_departement_only(self, db):
        mine = SessionExamenFactory()
        elsewhere = SessionExamenFactory(agrement__centre__departement__code="75")
        from tests.referentiels.factories import UniteDepartementaleFactory

        agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=mine.departement))
        api = ApiClient(agent_key(agent)[1])
        assert [s["id"] for s in api.get("/api/v1/sessions/").json()["results"]] == [str(mine.public_id)]
        assert api.get(f"/api/v1/sessions/{elsewhere.public_id}/").status_code == 404
        assert api.patch(f"/api/v1/sessions/{mine.public_id}/", {"candidats_prevus": 3}).status_code == 403
