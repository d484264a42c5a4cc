"""Header in a real browser (Debian Chromium + Playwright, 1280 px): the tools fit, the centre switch modal works,
the DSFR sub-menus open, and nothing is blocked by the CSP (no console error)."""

from pathlib import Path

import pytest

from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import PASSWORD, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium absent (/usr/bin/chromium) : apt install chromium"),
]

LONG_NAME = "Association régionale pour la formation professionnelle des adultes du Grand Lyon et de l'Ain"


@pytest.fixture
def gestionnaire(transactional_db):
    user = UserFactory(gestionnaire_centre=True, first_name="Céline", last_name="Formatrice-Delaroche")
    MembreCentreFactory(user=user, centre=CentreFactory(name=LONG_NAME))
    MembreCentreFactory(user=user, centre=CentreFactory(name="Beta Compétences"))
    return user


@pytest.fixture
def page(gestionnaire, live_server):
    """Data fixtures come first: they must be written before Playwright starts its event loop in this thread
    (see tests/referentiels/test_browser_communes.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def test_centre_user_header_fits_and_switches_centre(page, live_server, gestionnaire):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/compte/connexion/")
    page.fill("input[name=username]", gestionnaire.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tableau-de-bord/")

    # Nothing sticks out of the 1280 px window, and the tools stay on one line.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    tools = page.locator(".fr-header__tools-links > ul > li")
    tops = {round(tools.nth(i).bounding_box()["y"]) for i in range(tools.count())}
    assert len(tops) == 1, tops
    assert page.locator(".fr-header__tools-links").get_by_text("Céline", exact=True).is_visible()

    switch = page.locator(".fr-header__tools-links button[aria-controls=ceres-modal-centre]")
    assert switch.get_attribute("title").startswith(f"Centre courant : {LONG_NAME}")
    switch.click()
    modal = page.locator("#ceres-modal-centre")
    modal.get_by_text("Beta Compétences").click()
    modal.get_by_role("button", name="Changer de centre").click()
    page.wait_for_load_state()
    assert switch.inner_text().strip() == "Beta Compétences"

    # A DSFR sub-menu of the main menu opens on click.
    page.locator("#fr-navigation button", has_text="Centres et agréments").click()
    page.locator("#menu-centres").get_by_role("link", name="Mes centres").wait_for(state="visible")
    assert not errors, errors
