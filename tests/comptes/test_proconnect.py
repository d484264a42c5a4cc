"""ProConnect end to end against a real OpenID Connect provider (npm oidc-provider, tests/oidc/), started here.

Nothing is mocked: the browser side (provider login and consent pages) is played with requests, the CERES side with
Django's test client; CERES itself calls the provider's token, userinfo and JWKS endpoints over HTTP and checks the
RS256-signed ID token. Install the provider once with `npm ci --prefix tests/oidc` (the CI does it).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.comptes.factories import UserFactory

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "ceres-test", "secret-de-test-uniquement"
REDIRECT_URI = "http://testserver/compte/proconnect/retour/"

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="node absent : fournisseur OIDC local impossible"),
    pytest.mark.skipif(
        not (OIDC_DIR / "node_modules" / "oidc-provider").exists(),
        reason="oidc-provider non installé : lancer `npm ci --prefix tests/oidc`",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider():
    import requests

    port = _free_port()
    env = os.environ | {
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": REDIRECT_URI,
        "NODE_ENV": "development",
    }
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(["node", "provider.js"], cwd=OIDC_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                config = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).json()
                break
            except requests.RequestException:
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail("le fournisseur OIDC s'est arrêté : " + log.read().decode())
                time.sleep(0.2)
        else:
            pytest.fail("le fournisseur OIDC ne répond pas")
        yield config
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture
def proconnect(settings, provider):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = provider["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = provider["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = provider["jwks_uri"]
    settings.OIDC_RP_SCOPES = "openid email"
    settings.AUTHENTICATION_BACKENDS = [
        "ceres.comptes.backends.LoginAttemptsBackend",
        "ceres.comptes.proconnect.ProConnectBackend",
    ]
    return provider


def provider_login(authorize_url: str, login: str) -> str:
    """The agent's browser at the provider: login page, then consent; returns the redirect back to CERES."""
    import requests

    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=5)
        while response.status_code in (302, 303):
            location = urljoin(url, response.headers["Location"])
            if location.startswith(REDIRECT_URI):
                return location
            url = location
            response = browser.get(url, allow_redirects=False, timeout=5)
        form = BeautifulSoup(response.text, "html.parser").find("form")
        assert form is not None, response.text[:500]
        data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
        if "login" in data:
            data.update(login=login, password="peu-importe")
        response = browser.post(urljoin(url, form["action"]), data=data, allow_redirects=False, timeout=5)
        location = urljoin(url, response.headers["Location"])
        if location.startswith(REDIRECT_URI):
            return location
        url = location
    raise AssertionError("pas de retour vers CERES")


def test_a_dreets_agent_logs_in_with_proconnect_and_keeps_the_role_granted_in_ceres(client, proconnect):
    agent = UserFactory(email="agent.dreets@travail.gouv.fr", agent_dreets=True)
    start = client.get(reverse("comptes:proconnect_login"))
    assert start.status_code == 302 and start["Location"].startswith(proconnect["authorization_endpoint"])
    # ProConnect may send the address with capitals: the canonical e-mail matches the account.
    back = provider_login(start["Location"], "Agent.DREETS@travail.gouv.fr")
    parts = urlsplit(back)
    assert "code" in parse_qs(parts.query)
    response = client.get(parts.path, parse_qs(parts.query))
    assert response.status_code == 302, response
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.get(reverse("www:tableau_de_bord")).status_code == 200
    agent.refresh_from_db()
    assert agent.role == "agent_dreets"


@pytest.mark.parametrize("role", ["gestionnaire_centre", "membre_jury", None])
def test_unknown_addresses_and_non_agents_are_refused_in_french(client, proconnect, role):
    if role:
        UserFactory(email="personne@exemple.fr", **{role: True})
    start = client.get(reverse("comptes:proconnect_login"))
    back = provider_login(start["Location"], "personne@exemple.fr")
    parts = urlsplit(back)
    response = client.get(parts.path, parse_qs(parts.query), follow=True)
    assert "_auth_user_id" not in client.session
    assert "Connexion ProConnect refusée" in response.content.decode().replace("&#x27;", "'")


def test_without_configuration_the_proconnect_pages_do_not_exist(client):
    assert client.get(reverse("comptes:proconnect_login")).status_code == 404
    assert "ProConnect" not in client.get(reverse("comptes:login")).content.decode()
