"""Commune search page in a real browser (Debian Chromium driven by Playwright): the autocomplete uses the API."""

import datetime as dt

import pytest

from tests.browser import browser_marks, chromium_page
from tests.referentiels.factories import CommuneFactory

pytestmark = browser_marks


@pytest.fixture
def arlod(transactional_db):
    CommuneFactory(code_insee="01033", name="Valserhône", start_date=dt.date(2019, 1, 1))
    return CommuneFactory(
        code_insee="01018",
        name="Arlod",
        start_date=dt.date(1943, 1, 1),
        end_date=dt.date(1971, 1, 1),
        successor_code="01033",
        successor_name="Valserhône",
    )


@pytest.fixture
def page(arlod, live_server):
    """A Chromium page, opened after the data fixtures (see tests/browser.py)."""
    with chromium_page() as page:
        yield page


def test_type_arlod_with_a_date_and_see_its_successor(page, live_server, arlod):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/referentiels/communes/")
    page.fill("#id_date", "1965-06-01")
    page.locator("#id_q").press_sequentially("arlod", delay=30)

    option = page.get_by_role("option", name="Arlod (01018)")
    option.wait_for()
    assert "aujourd'hui Valserhône (01033)" in option.inner_text()

    option.click()  # shows the full results of the chosen commune
    page.wait_for_url("**/referentiels/communes/?*q=01018*")
    row = page.locator("tbody tr").first
    assert "Ancienne commune, aujourd'hui Valserhône (01033)" in row.inner_text()
    assert not errors, errors  # no CSP violation, no script error


def test_no_proposal_when_arlod_no_longer_exists(page, live_server, arlod):
    page.goto(f"{live_server.url}/referentiels/communes/")
    page.fill("#id_date", "1990-01-01")
    page.locator("#id_q").press_sequentially("arlod", delay=30)
    page.locator("[data-ceres-status]").filter(has_text="Aucun résultat").wait_for(state="attached")
    assert page.get_by_role("option").count() == 0


def test_keyboard_only_choice(page, live_server, arlod):
    """Arrow keys move through the proposals (announced by aria-activedescendant), Escape closes them, the Down arrow
    opens them again, Enter chooses (here: shows the chosen commune's results)."""
    page.goto(f"{live_server.url}/referentiels/communes/")
    page.fill("#id_date", "1965-06-01")
    combo = page.locator("#id_q")
    combo.press_sequentially("arlod", delay=30)
    page.get_by_role("option", name="Arlod (01018)").wait_for()
    status = page.locator("[data-ceres-status]")
    assert status.inner_text() == "1 proposition : flèches haut et bas pour parcourir, Entrée pour choisir."
    combo.press("ArrowDown")
    assert combo.get_attribute("aria-expanded") == "true"
    assert combo.get_attribute("aria-activedescendant") == "id_q-option-0"
    assert page.locator("#id_q-option-0").get_attribute("aria-selected") == "true"
    combo.press("Escape")
    assert combo.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("option", name="Arlod (01018)").is_visible()
    combo.press("ArrowDown")
    assert combo.get_attribute("aria-activedescendant") == "id_q-option-0"
    combo.press("Enter")
    page.wait_for_url("**/referentiels/communes/?*q=01018*")
    assert "Arlod" in page.locator("tbody tr").first.inner_text()
