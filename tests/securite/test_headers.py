import html

from django.urls import reverse

from tests.comptes.factories import UserFactory


def test_authenticated_pages_are_never_stored(client):
    # Before: no Cache-Control on pages with personal data (back button on a shared computer, proxies).
    client.force_login(UserFactory(agent_ud=True))
    response = client.get(reverse("comptes:profil"))
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_carry_the_permissions_policy_and_keep_their_caching(client):
    response = client.get("/api/v1/communes/", {"q": "lyon"})
    assert "microphone=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_long_query_string_gets_a_french_400(client):
    client.force_login(UserFactory(admin_national=True))
    response = client.get(reverse("centres:centre_list"), {"q": "x" * 100_000})
    assert response.status_code == 400
    assert "Un paramètre de l'adresse est trop long." in html.unescape(response.content.decode())


def test_the_api_answers_bad_input_in_json_and_french(client):
    response = client.get("/api/v1/communes/", {"q": "lyon", "date": "2024-02-30"})
    assert response.status_code == 400
    assert "erreur" in response.json()
