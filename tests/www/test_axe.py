"""axe-core on the main pages of every role, in Debian's Chromium driven by Playwright: 0 violation.

The main pages of a role are the home page, the dashboard, every page of its main menu and header tools, and the
everyday pages of issue 17 (session page, whole-session results grid, sessions to validate, imports, print log),
on the permission world of tests/permissions (two regions, three UD, one user per role). axe-core comes from npm,
locked in tests/axe/package-lock.json (`npm ci --prefix tests/axe`, done by the CI), and is injected into each page
with Playwright's add_script_tag. Every rule axe runs by default is applied (WCAG 2.0, 2.1, 2.2 A and AA, and its
best practices).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ceres.candidats.models import ImportCandidats
from ceres.core.imports import StatutImport
from ceres.examens.enums import StatutSession
from tests.browser import browser_marks, chromium_page
from tests.examens.factories import SessionExamenFactory
from tests.permissions.matrix import ROLE_KEYS
from tests.permissions.test_crawl import internal_links
from tests.permissions.test_matrix import all_cases

AXE = Path(__file__).resolve().parent.parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    *browser_marks,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core non installé : lancer `npm ci --prefix tests/axe`"),
]


# Everyday pages (issue 17) and the detail pages behind the lists, for the roles that reach them.
EVERYDAY = {
    "examens:session_detail",
    "examens:resultats_grille",
    "examens:resultats",
    "examens:validations",
    "candidats:detail",
    "candidats:import",
    "candidats:import_job",
    "candidats:doublons",
    "centres:centre_detail",
    "centres:agrement_detail",
    "centres:valce_import",
    "centres:valce_import_job",
    "documents:impressions",
    "documents:session_parchemins",
    "jurys:membre_detail",
}


def main_pages(client, cases, role) -> list[str]:
    """Home, dashboard, what the main menu and the header tools lead to, and the everyday pages the role reaches."""
    urls = [reverse("www:accueil"), reverse("www:tableau_de_bord")]
    start = client.get(urls[1] if role != "anonyme" else urls[0])
    urls += internal_links(start.content.decode(), "#fr-navigation a, .fr-header__tools a")
    urls += [
        reverse(case.url_name, kwargs=case.kwargs)
        for case in cases
        if case.url_name in EVERYDAY and case.method == "get" and not case.data and case.expected.get(role) == 200
    ]
    pages = []
    for url in dict.fromkeys(urls):
        response = client.get(url)
        if response.status_code == 200 and "<html" in response.content.decode()[:500]:
            pages.append(url)
    return pages


@pytest.fixture
def pages_by_role(transactional_db, live_server, world):
    """URLs and session cookies, all read BEFORE Playwright starts its event loop (tests/browser.py)."""
    result = {}
    cases = [case for app_cases in all_cases(world).values() for case in app_cases]
    # A session waiting for the UD's validation: its page shows the table with the selection boxes.
    SessionExamenFactory(status=StatutSession.RESULTATS_SAISIS, agrement__centre__departement=world.departement)
    for role in ROLE_KEYS:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        result[role] = (cookie.value if cookie else None, main_pages(client, cases, role))
    # A checked import with rejected lines and remarks: the page with the report tables and the apply button.
    user = world.users["gestionnaire_centre"]
    line = {"line": 3, "column": "date_naissance", "reference": "A2", "result": "rejeté", "reason": "Date illisible."}
    job = ImportCandidats.objects.create(
        filename="stagiaires.xlsx",
        file="imports/axe.xlsx",
        sha256="0" * 64,
        created_by=user,
        centre=user.centre_memberships.first().centre,
        status=StatutImport.VERIFIE,
        counts=[["Lignes lues", 3], ["Nouveaux dossiers", 1], ["Lignes rejetées", 1]],
        report=[line],
        notes=[{**line, "column": "", "result": "créé, à vérifier", "reason": "Ressemble au dossier n° 1."}],
    )
    result["gestionnaire_centre"][1].append(reverse("candidats:import_job", args=[job.public_id]))
    return result


def violations_of(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v =>
                `${v.id} (${v.impact}) : ${v.help} — ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )
    return found


def test_main_pages_of_every_role_have_no_axe_violation(pages_by_role, live_server):
    problems, checked = [], 0
    with chromium_page(bypass_csp=True) as page:  # axe is injected as an inline script
        for role, (session_key, urls) in pages_by_role.items():
            page.context.clear_cookies()
            if session_key:
                page.context.add_cookies(
                    [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
                )
            for url in urls:
                page.goto(live_server.url + url)
                checked += 1
                problems += [f"[{role}] {url} : {v}" for v in violations_of(page)]
    assert checked > 40
    assert not problems, "\n".join(problems)


def test_axe_sees_a_violation_when_there_is_one(live_server, transactional_db):
    """The check can fail: an image without text alternative and a field without label are reported."""
    with chromium_page(bypass_csp=True) as page:  # axe is injected as an inline script
        page.goto(live_server.url + reverse("www:accueil"))
        page.evaluate(
            """() => document.querySelector("main").insertAdjacentHTML("beforeend",
                '<img src="/static/x.png"><input type="text">')"""
        )
        found = violations_of(page)
    assert any(v.startswith("image-alt") for v in found) and any(v.startswith("label") for v in found)
