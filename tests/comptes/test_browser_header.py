"""Header in a real browser (Debian Chromium + Playwright, 1280 px): the tools fit, the centre switch modal works,
the DSFR sub-menus open, and nothing is blocked by the CSP (no console error)."""

import pytest

from tests.browser import browser_marks, chromium_page
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import PASSWORD, UserFactory

pytestmark = browser_marks

LONG_NAME = "Association régionale pour la formation professionnelle des adultes du Grand Lyon et de l'Ain"


@pytest.fixture
def gestionnaire(transactional_db):
    user = UserFactory(gestionnaire_centre=True, first_name="Céline", last_name="Formatrice-Delaroche")
    MembreCentreFactory(user=user, centre=CentreFactory(name=LONG_NAME))
    MembreCentreFactory(user=user, centre=CentreFactory(name="Beta Compétences"))
    return user


@pytest.fixture
def page(gestionnaire, live_server):
    """A Chromium page at 1280 px, opened after the data fixtures (see tests/browser.py)."""
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        yield page


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
