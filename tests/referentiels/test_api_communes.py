"""Public JSON endpoints /api/v1/communes/ and /api/v1/pays/ (no login, read-only)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.referentiels.factories import CommuneFactory, PaysFactory

ARLOD_STATUT = "fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033), aujourd'hui Valserhône (01033)"


@pytest.fixture
def arlod():
    return CommuneFactory(arlod=True)


class TestCommunesApi:
    def test_anonymous_gets_json_results(self, client, arlod):
        response = client.get(reverse("api:communes"), {"q": "arlod", "date": "1965-06-01"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["count"] == 1
        result = body["results"][0]
        assert result["nom"] == "Arlod"
        assert result["code_insee"] == "01018"
        assert result["date_debut"] == "1943-01-01"
        assert result["date_fin"] == "1971-01-01"
        assert result["commune_actuelle"] == {"code_insee": "01033", "nom": "Valserhône"}
        assert result["libelle"] == f"Arlod (01018) — {ARLOD_STATUT}"
        assert result["evenement"]["date"] == "1971-01-01"
        assert result["evenement"]["commune"] == {"code_insee": "01033", "nom": "Bellegarde-sur-Valserine"}

    def test_date_filters(self, client, arlod):
        response = client.get("/api/v1/communes/?q=arlod&date=1990-01-01")
        assert response.json() == {"results": [], "count": 0}

    @pytest.mark.parametrize("bad", ["1965-13-01", "01/06/1965", "hier"])
    def test_bad_date_is_a_400_with_a_french_message(self, client, bad):
        response = client.get(reverse("api:communes"), {"q": "arlod", "date": bad})
        assert response.status_code == 400
        assert "n'est pas valide" in response.json()["erreur"]
        assert "AAAA-MM-JJ" in response.json()["erreur"]

    @pytest.mark.parametrize("bad", ["0", "abc", "1000"])
    def test_bad_limit_is_a_400(self, client, bad):
        response = client.get(reverse("api:communes"), {"q": "a", "limit": bad})
        assert response.status_code == 400
        assert "limit" in response.json()["erreur"]

    def test_limit(self, client):
        for n in range(5):
            CommuneFactory(code_insee=f"12{n:03d}", name=f"Villeneuve-{n}")
        assert client.get(reverse("api:communes"), {"q": "villeneuve", "limit": "2"}).json()["count"] == 2

    def test_empty_query(self, client, arlod):
        assert client.get(reverse("api:communes")).json() == {"results": [], "count": 0}

    def test_read_only(self, client, arlod):
        assert client.post(reverse("api:communes"), {"q": "arlod"}).status_code == 405
        assert client.delete(reverse("api:communes")).status_code == 405


class TestPaysApi:
    def test_search(self, client):
        PaysFactory(code="99350", name="Maroc", official_name="Royaume du Maroc", start_date=dt.date(1956, 3, 2))
        body = client.get(reverse("api:pays"), {"q": "maroc"}).json()
        assert body["count"] == 1
        assert body["results"][0]["nom_officiel"] == "Royaume du Maroc"
        assert client.get(reverse("api:pays"), {"q": "maroc", "date": "1950-01-01"}).json()["count"] == 0
        assert client.get(reverse("api:pays"), {"q": "maroc", "date": "x"}).status_code == 400


class TestHostileInput:
    """What a centre's software or a curious visitor may send: always a French answer, never a 500."""

    @pytest.mark.parametrize("url_name", ["api:communes", "api:pays"])
    @pytest.mark.parametrize(
        "q", ["a\x00b", "\x00", "%", "_", "%a%", "a_b", "' OR 1=1 --", "😀", "\u202eoyl", "ｘ" * 300, "x" * 5000]
    )
    def test_odd_queries_answer_200(self, client, url_name, q, arlod):
        response = client.get(reverse(url_name), {"q": q})
        assert response.status_code == 200
        assert response.json() == {"results": [], "count": 0}

    def test_wildcards_are_plain_characters(self, client, arlod):
        CommuneFactory(code_insee="01999", name="Ar%lod")
        assert [r["nom"] for r in client.get(reverse("api:communes"), {"q": "ar%"}).json()["results"]] == ["Ar%lod"]

    def test_full_width_and_control_characters_are_folded(self, client, arlod):
        for q in ["ＡＲＬＯＤ", "０１０１８", "\tarlod\n", "\x00arlod"]:
            body = client.get(reverse("api:communes"), {"q": q}).json()
            assert [r["code_insee"] for r in body["results"]] == ["01018"], q

    def test_long_query_is_cut_not_refused(self, client, arlod):
        body = client.get(reverse("api:communes"), {"q": "arlod" + " " * 95 + "x" * 500}).json()
        assert [r["nom"] for r in body["results"]] == ["Arlod"]

    @pytest.mark.parametrize("bad", ["+5", " 5", "٥", "5.0", "-1", "51"])
    def test_limit_must_be_plain_digits_within_bounds(self, client, bad):
        response = client.get(reverse("api:communes"), {"q": "a", "limit": bad})
        assert response.status_code == 400
        assert response.json()["erreur"] == "Le paramètre « limit » doit être un nombre entier entre 1 et 50."

    @pytest.mark.parametrize("bad", ["0000-01-01", "2026-02-30", "1965-06-01T00:00", "1" * 300])
    def test_malformed_dates_are_400(self, client, bad):
        response = client.get(reverse("api:pays"), {"q": "maroc", "date": bad})
        assert response.status_code == 400
        assert "AAAA-MM-JJ" in response.json()["erreur"]

    def test_date_before_1943_uses_the_first_known_state(self, client, arlod):
        """A juror born in 1938 at Arlod: the COG starts on 01/01/1943, its closest description."""
        body = client.get(reverse("api:communes"), {"q": "arlod", "date": "1938-05-02"}).json()
        assert [r["nom"] for r in body["results"]] == ["Arlod"]

    def test_date_in_the_future_gives_todays_names(self, client, arlod):
        CommuneFactory(code_insee="01033", name="Valserhône", start_date=dt.date(2019, 1, 1))
        body = client.get(reverse("api:communes"), {"q": "val", "date": "2100-01-01"}).json()
        assert [r["nom"] for r in body["results"]] == ["Valserhône"]


class TestOpenDataHeaders:
    @pytest.mark.parametrize("url_name", ["api:communes", "api:pays"])
    def test_results_are_cacheable_by_anyone(self, client, url_name):
        response = client.get(reverse(url_name), {"q": "a"})
        assert response["Cache-Control"] == "public, max-age=3600"

    @pytest.mark.parametrize("params", [{"q": "a"}, {"date": "x"}])
    def test_readable_from_other_sites(self, client, params):
        """Open data: a centre's web page may call it (no cookie is sent cross-origin without credentials)."""
        response = client.get(reverse("api:communes"), params, headers={"Origin": "https://centre.example"})
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response

    def test_errors_are_not_cached(self, client):
        response = client.get(reverse("api:communes"), {"date": "x"})
        assert "public" not in response.get("Cache-Control", "")


class TestJsonShape:
    """Communes and countries share the keys a client reads first (id, nom, code_insee, statut, dates, libelle)."""

    SHARED = {"id", "nom", "code_insee", "statut", "date_debut", "date_fin", "periode", "libelle"}

    def test_shared_keys(self, client, arlod):
        PaysFactory(code="99350", name="Maroc", official_name="Royaume du Maroc")
        commune = client.get(reverse("api:communes"), {"q": "arlod"}).json()["results"][0]
        pays = client.get(reverse("api:pays"), {"q": "maroc"}).json()["results"][0]
        assert self.SHARED <= set(commune) and self.SHARED <= set(pays)
        assert commune["actuelle"] is False and pays["actuel"] is True
