"""The whole-session results grid with the keyboard only (Debian Chromium driven by Playwright): Tab goes from cell
to cell along the row then to the next row, letters choose in the lists, Enter saves."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceres.examens.enums import StatutSession
from ceres.examens.models import MembreConvoque
from tests.browser import browser_marks, chromium_page
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, SessionExamenFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory, UniteDepartementaleFactory

pytestmark = browser_marks


@pytest.fixture
def grid(transactional_db, live_server):
    """Data and login written BEFORE Playwright starts its event loop (tests/browser.py)."""
    dep = DepartementFactory(code="01")
    ud = UniteDepartementaleFactory(departement=dep)
    centre = CentreFactory(departement=dep)
    titre = TitreProfessionnelFactory(with_ccps=2, intitule="Assistant de direction")
    agrement = AgrementFactory(centre=centre, site=SiteFactory(centre=centre), titre=titre, valide=True)
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    today = timezone.localdate()
    session = SessionExamenFactory(
        agrement=agrement, responsable=user, start_date=today - dt.timedelta(days=1), status=StatutSession.EN_COURS
    )
    for _ in range(2):
        membre = MembreJuryFactory(ud=ud)
        HabilitationFactory(membre=membre, titre=titre)
        MembreConvoque.objects.create(session=session, membre=membre, convocation_sent_at=timezone.now())
    for name in ("Arnaud", "Blanc"):
        InscriptionFactory(session=session, candidat=CandidatFactory(birth_name=name, first_names="Léa"))
    client = Client()
    client.force_login(user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    return live_server.url + reverse("examens:resultats_grille", args=[session.public_id]), cookie


def test_the_grid_is_filled_and_saved_with_the_keyboard_only(grid, live_server):
    url, cookie = grid
    with chromium_page(cookies=[{**cookie, "url": live_server.url}]) as page:
        page.goto(url)
        page.locator("tbody select").first.focus()  # where Tab leads from the page's first field
        # Arnaud: CCP1 and CCP2 obtained, favourable, then past « absence » and « incidents » to the next row;
        # Blanc: CCP1 obtained, CCP2 not obtained, favourable, then into « Incidents ».
        keys = ["o", "Tab", "o", "Tab", "f", "Tab", "Tab", "Tab"] + ["o", "Tab", "n", "Tab", "f", "Tab", "Tab"]
        for key in keys:
            page.keyboard.press(key)
        page.keyboard.type("Retard de 10 minutes")
        with page.expect_navigation():  # the POST, then the redirect back to the grid
            page.keyboard.press("Enter")
        page.get_by_text("Résultats enregistrés").wait_for()
        assert "Résultats enregistrés pour 2 candidats." in page.inner_text("main")
        rows = page.locator("tbody tr")
        assert "Réussite" in rows.nth(0).inner_text() and "Réussite partielle" not in rows.nth(0).inner_text()
        assert "Réussite partielle" in rows.nth(1).inner_text()
        assert rows.nth(1).locator("input").input_value() == "Retard de 10 minutes"
