"""« Tout sélectionner » on the UD's sessions waiting for validation (Debian Chromium driven by Playwright)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ceres.examens.enums import StatutSession
from tests.browser import browser_marks, chromium_page
from tests.comptes.factories import UserFactory
from tests.examens.factories import SessionExamenFactory
from tests.referentiels.factories import DepartementFactory, UniteDepartementaleFactory

pytestmark = browser_marks


@pytest.fixture
def agent_cookie(transactional_db, live_server):
    """Data and login written BEFORE Playwright starts its event loop (tests/browser.py)."""
    dep = DepartementFactory(code="01")
    for _ in range(3):
        SessionExamenFactory(status=StatutSession.RESULTATS_SAISIS)
    client = Client()
    client.force_login(UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=dep)))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_select_all_checks_every_row_and_says_how_many(agent_cookie, live_server):
    with chromium_page(cookies=[{**agent_cookie, "url": live_server.url}]) as page:
        page.goto(live_server.url + reverse("examens:validations"))
        boxes = page.locator('input[name="sessions"]')
        assert boxes.count() == 3
        select_all = page.get_by_label("Tout sélectionner (sessions de cette page)")
        select_all.focus()
        page.keyboard.press("Space")
        assert [boxes.nth(i).is_checked() for i in range(3)] == [True, True, True]
        assert page.locator("[data-ceres-selection-count]").inner_text() == "3 lignes sélectionnées"
        boxes.nth(1).focus()
        page.keyboard.press("Space")
        assert select_all.evaluate("box => box.indeterminate") and not select_all.is_checked()
        assert page.locator("[data-ceres-selection-count]").inner_text() == "2 lignes sélectionnées"
        select_all.focus()
        page.keyboard.press("Space")
        assert [boxes.nth(i).is_checked() for i in range(3)] == [True, True, True]
