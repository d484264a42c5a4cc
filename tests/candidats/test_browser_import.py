"""A centre imports candidates from an XLSX workbook in a real browser (Debian Chromium driven by Playwright): the
check's progress and its announcement to screen readers, the report of rejected lines (downloaded), one click to
apply; and a running import's progress bar moving on its own (htmx polling)."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ceres.candidats.models import ImportCandidats
from ceres.core import imports
from tests.browser import browser_marks, chromium_page
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory

pytestmark = browser_marks


def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["civilite", "nom_naissance", "prenoms", "date_naissance", "commune_naissance_insee"])
    sheet.append(["MME", "Durand", "Léa", dt.datetime(1990, 5, 2), "69123"])
    sheet.append(["M", "Petit", "Hugo", "31/02/1991", "69123"])  # impossible date: rejected
    sheet.append(["MME", "Bernard", "Inès", "01/01/2000", "69123"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def centre_user(transactional_db, live_server):
    """Data and login written BEFORE Playwright starts its event loop (tests/browser.py)."""
    CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    centre = CentreFactory(name="Formapro Lyon")
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    running = ImportCandidats.objects.create(
        filename="gros-fichier.xlsx",
        file="imports/gros.xlsx",
        sha256="0" * 64,
        created_by=user,
        centre=centre,
        status=imports.StatutImport.VERIFICATION,
    )
    client = Client()
    client.force_login(user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    return cookie, running


def test_xlsx_import_checked_reported_then_applied(centre_user, live_server, tmp_path):
    cookie, _ = centre_user
    with chromium_page(cookies=[{**cookie, "url": live_server.url}]) as page:
        page.goto(live_server.url + reverse("candidats:list"))
        page.get_by_role("link", name="Importer des candidats").click()
        page.get_by_label("Fichier à importer").set_input_files(
            {"name": "stagiaires.xlsx", "mimeType": imports_mime(), "buffer": workbook()}
        )
        page.get_by_role("button", name="Déposer et vérifier").click()
        page.get_by_text("Vérification terminée : rien n'est encore écrit").wait_for()
        assert (
            page.locator("#import-annonce").inner_text() == "Import « stagiaires.xlsx » : vérifié : prêt à appliquer"
        )
        main = page.inner_text("main")
        assert "Nouveaux dossiers : 2" in main and "Lignes rejetées : 1" in main
        row = page.locator("tbody tr").first.inner_text()
        assert "date_naissance" in row and "31/02/1991" in row

        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le rapport (XLSX)").click()
        path = tmp_path / "rapport.xlsx"
        download.value.save_as(path)
        sheet = load_workbook(path).active
        line = [c.value for c in sheet[2]]
        assert line[:2] == [3, "date_naissance"] and line[3] == "rejeté" and "31/02/1991" in line[4]

        page.get_by_role("button", name="Appliquer cette vérification").click()
        page.get_by_text("Import appliqué").wait_for()
        assert "Import « stagiaires.xlsx » : appliqué" in page.locator("#import-annonce").inner_text()
        assert "Nouveaux dossiers : 2" in page.inner_text("main")


def test_a_running_import_shows_its_progress_and_announces_it(centre_user, live_server):
    cookie, running = centre_user
    key = imports._progress_key(running)
    cache.set(key, (200, 1000))  # the shared cache the worker writes (same process here)
    with chromium_page(cookies=[{**cookie, "url": live_server.url}]) as page:
        page.goto(live_server.url + reverse("candidats:import_job", args=[running.public_id]))
        progress = page.get_by_role("progressbar", name="Vérification : lignes traitées")
        assert progress.get_attribute("value") == "200"
        assert page.locator("#import-annonce").inner_text() == "Vérification en cours : 0 %"
        cache.set(key, (600, 1000))
        page.get_by_text("600 lignes sur 1000 (60 %)").wait_for()  # polled every second
        page.wait_for_function("document.querySelector('#import-annonce').textContent.includes('50 %')")
        assert page.get_by_role("progressbar").get_attribute("value") == "600"


def imports_mime() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
