"""The centre's session creation page in a real browser (Debian Chromium driven by Playwright): the defaults of the
release note (start today at 08:00, convocation on the first day at 08:00) are what the user sees and submits."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_page
from tests.centres.factories import AgrementFactory, CentreFactory, SiteFactory
from tests.examens.test_views import centre_user
from tests.referentiels.factories import TitreProfessionnelFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium absent (/usr/bin/chromium) : apt install chromium"),
]


@pytest.fixture
def centre_login(transactional_db, live_server):
    """A centre user with a valid agrément, logged in through Django's test client (no login form, no axes)."""
    titre = TitreProfessionnelFactory(intitule="Cuisinier")
    centre = CentreFactory()
    agrement = AgrementFactory(centre=centre, site=SiteFactory(centre=centre), titre=titre, valide=True)
    user = centre_user(centre)
    client = Client()
    client.force_login(user)
    return agrement, client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def page(centre_login, live_server):
    """Data and login are written BEFORE Playwright starts its event loop in this thread (see the communes browser
    test: ORM calls under that loop would leave a connection open that PostgreSQL refuses to drop)."""
    from playwright.sync_api import sync_playwright

    _, session_key = centre_login
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR")
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def test_new_session_opens_today_at_8_with_convocation_on_the_first_day(page, live_server, centre_login):
    agrement, _ = centre_login
    today = timezone.localdate()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/sessions/nouvelle/")

    assert page.input_value("#id_start_date") == today.isoformat()
    assert page.input_value("#id_end_date") == today.isoformat()
    assert page.input_value("#id_start_time") == "08:00"
    assert page.input_value("#id_convocation_date") == today.isoformat()
    assert page.input_value("#id_convocation_time") == "08:00"
    assert "Initialisée au premier jour à 08h00" in page.locator("main").inner_text()

    page.select_option("#id_titre", str(agrement.titre.pk))
    page.select_option("#id_type", "titre")
    page.select_option("#id_site", str(agrement.site.pk))
    # A convocation after the start of the tests is refused, with the reason.
    page.fill("#id_convocation_time", "09:30")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    refusal = page.locator("main").inner_text()
    assert (
        f"La convocation ({today:%d/%m/%Y} à 09:30) ne peut pas être postérieure au début des épreuves "
        f"({today:%d/%m/%Y} à 08:00) : les candidats doivent être présents avant le début des épreuves." in refusal
    ), refusal
    assert page.input_value("#id_convocation_time") == "09:30"  # what the user typed is kept

    page.fill("#id_convocation_time", "07:30")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/sessions/*-*/")
    detail = page.locator("main").inner_text()
    assert "La session a été créée." in page.content()
    assert f"Convocation : {today:%d/%m/%Y} à 07:30" in detail
    assert f"Le {today:%d/%m/%Y}, début des épreuves à 08:00" in detail  # one-day session: one date
    assert not errors, errors  # no CSP violation, no script error


def test_changing_only_the_dates_moves_the_convocation_and_the_letter(
    live_server, centre_login, django_capture_on_commit_callbacks
):
    """Issue 11, done when: create a session, change only its dates, save — in the browser the convocation follows
    the first day without reload until the user sets it, and the candidate's letter says the new first day at 08h00.
    ORM work happens before and after the browser (see tests/browser.py)."""
    agrement, session_key = centre_login
    first_day = timezone.localdate() + datetime.timedelta(days=43)
    moved = first_day + datetime.timedelta(days=7)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}
    errors = []
    with chromium_page(cookies=[cookie]) as page:
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(f"{live_server.url}/sessions/nouvelle/")
        page.select_option("#id_titre", str(agrement.titre.pk))
        page.select_option("#id_type", "titre")
        page.select_option("#id_site", str(agrement.site.pk))
        page.fill("#id_start_date", first_day.isoformat())
        # Moved in the page, before any submission: first day at 08:00, and the last day is not before the first.
        assert page.input_value("#id_convocation_date") == first_day.isoformat()
        assert page.input_value("#id_convocation_time") == "08:00"
        assert page.input_value("#id_end_date") == first_day.isoformat()
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/sessions/*-*/")
        detail = page.locator("main").inner_text()
        assert f"Convocation : {first_day:%d/%m/%Y} à 08:00 (premier jour de la session)" in detail, detail

        # The created session, then only its dates changed on its edit page: the convocation moves before saving.
        page.get_by_role("link", name="Modifier la session").click()
        page.fill("#id_start_date", moved.isoformat())
        assert page.input_value("#id_convocation_date") == moved.isoformat()
        assert page.input_value("#id_convocation_time") == "08:00"
        assert page.input_value("#id_end_date") == moved.isoformat()
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/sessions/*-*/")
        detail = page.locator("main").inner_text()
        assert f"Convocation : {moved:%d/%m/%Y} à 08:00 (premier jour de la session)" in detail, detail

        page.get_by_role("link", name="Modifier la session").click()
        # Tests starting before 08:00: the untouched convocation comes with them.
        page.fill("#id_start_time", "07:15")
        assert page.input_value("#id_convocation_time") == "07:15"
        page.fill("#id_start_time", "08:00")
        assert page.input_value("#id_convocation_time") == "08:00"
        # Once set by the user, a change of dates leaves it where the user put it.
        page.fill("#id_convocation_time", "07:30")
        page.fill("#id_start_date", (moved + datetime.timedelta(days=1)).isoformat())
        assert page.input_value("#id_convocation_date") == moved.isoformat()
        assert page.input_value("#id_convocation_time") == "07:30"
    assert not errors, errors

    from ceres.examens import services
    from ceres.examens.models import SessionExamen
    from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory
    from tests.examens.test_sessions_round2 import french, pdf_text

    session = SessionExamen.objects.get()
    candidate = InscriptionFactory(session=session).candidat
    MembreConvoqueFactory(session=session)
    MembreConvoqueFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        services.convocations_request(session=session, by=session.created_by)
    [letter] = [m for m in mail.outbox if m.to == [candidate.email]]
    assert f"Présentez-vous le {french(moved)} à 08h00" in pdf_text(letter.attachments[0][1])
