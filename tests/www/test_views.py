from django.urls import reverse


def test_home_is_public_french_and_dsfr_scripts_carry_the_csp_nonce(client):
    response = client.get(reverse("www:accueil"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    nonce = response.wsgi_request.csp_nonce
    assert f'nonce="{nonce}"' in html
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_dashboard_requires_login(client):
    response = client.get(reverse("www:tableau_de_bord"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("comptes:login"))


def test_header_shows_the_service_name(client):
    html = client.get(reverse("www:accueil")).content.decode()
    assert "fr-header__service-title" in html
    assert "CERES" in html.split("fr-header__service-title", 1)[1][:200]


def test_header_keeps_the_service_name_without_site_config(client):
    from dsfr.models import DsfrConfig

    DsfrConfig.objects.all().delete()
    html = client.get(reverse("www:accueil")).content.decode()
    assert "CERES" in html.split("fr-header__service-title", 1)[1][:200]


def test_pages_stay_in_french_whatever_the_browser_language(client):
    html = client.get(reverse("referentiels:titre_list"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "Home page" not in html
    assert "Accueil" in html


def test_every_page_footer_states_the_accessibility_level_and_links_the_legal_pages(client):
    # Décret n° 2019-768, art. 3 : la mention « Accessibilité : non/partiellement/totalement conforme » partout.
    footer = client.get(reverse("referentiels:titre_list")).content.decode().split('id="footer"', 1)[1]
    assert "Accessibilité : non conforme" in footer
    for name in ("www:accessibilite", "www:mentions_legales", "www:donnees_personnelles"):
        assert f'href="{reverse(name)}"' in footer


def test_accessibility_statement_gives_the_rgaa_state_a_contact_and_the_recourse(client):
    html = client.get(reverse("www:accessibilite")).content.decode()
    assert "non conforme" in html and "RGAA" in html
    assert "Défenseur des droits" in html
