"""Crawl: every page a role reaches (main menu, header, and every matrix page answering 200) obeys the page rules.

(a) every <script> carries the CSP nonce of the response; (b) no inline event handler (onclick=…) and no `javascript:`
URL, which the CSP blocks; (c) no English left over from django-dsfr; (d) a <title>; (e) <html lang="fr">;
(f) no developer command or repository path (users are agents and centres, not developers).
"""

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.urls import reverse

from tests.permissions.matrix import ROLE_KEYS
from tests.permissions.test_matrix import all_cases, clients_for

ENGLISH = ("Home page", "Previous page", "Next page", "Untitled page", "See breadcrumb", "First page", "Last page")
NONCE = re.compile(r"'nonce-([^']+)'")
# What only a developer understands: a management command, a repository path, a Python file.
DEVELOPER = re.compile(r"manage\.py|--wet-run|\bdocs/[\w/.-]+|\bceres/[\w/]+\.py|\b\w+\.py\b")


def page_problems(html: str, csp: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    nonce = NONCE.search(csp)
    if not nonce:
        problems.append("en-tête Content-Security-Policy sans nonce")
    for script in soup.find_all("script"):
        if not script.get("nonce"):
            problems.append(f"<script> sans nonce : {str(script)[:80]}")
        elif nonce and script["nonce"] != nonce.group(1):
            problems.append(f"<script> avec un nonce différent de l'en-tête CSP : {str(script)[:80]}")
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                problems.append(f"gestionnaire d'événement en ligne {attr}= sur <{tag.name}>")
            if isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                problems.append(f"URL javascript: dans {attr}= de <{tag.name}>")
    text = soup.get_text(" ")
    attributes = " ".join(str(v) for tag in soup.find_all(True) for v in tag.attrs.values())
    for english in ENGLISH:
        if english in text or english in attributes:
            problems.append(f"texte anglais « {english} »")
    developer = DEVELOPER.search(text)
    if developer:
        problems.append(f"commande ou chemin de développeur « {developer.group(0)} »")
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        problems.append("<title> vide")
    html_tag = soup.find("html")
    if html_tag is None or html_tag.get("lang") != "fr":
        problems.append('<html lang="fr"> absent')
    return problems


def internal_links(html: str, selector: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    links = []
    for a in soup.select(selector):
        href = a.get("href", "")
        parts = urlsplit(href)
        if href.startswith("/") and not parts.netloc and not parts.path.startswith(("/static/", "/media/", "/admin/")):
            links.append(href)
    return links


def test_every_reachable_page_follows_the_page_rules(world):
    clients = clients_for(world)
    to_visit = {role: {reverse("www:accueil"), reverse("www:tableau_de_bord")} for role in ROLE_KEYS}
    refused = {role: set() for role in ROLE_KEYS}  # 403 and 404 pages: checked too, not followed
    for cases in all_cases(world).values():
        for case in cases:
            if case.method != "get" or case.headers or case.data:
                continue
            for role, status in case.expected.items():
                if status == 200:
                    to_visit[role].add(reverse(case.url_name, kwargs=case.kwargs))
                elif status in (403, 404):
                    refused[role].add((reverse(case.url_name, kwargs=case.kwargs), status))

    problems, visited = [], 0
    for role in ROLE_KEYS:
        client, seen, queue = clients[role], set(), sorted(to_visit[role])
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = response.content.decode()
            if "<html" not in html:
                continue  # an htmx fragment
            visited += 1
            problems += [
                f"[{role}] {url} : {p}" for p in page_problems(html, response.get("Content-Security-Policy", ""))
            ]
            # Follow the main menu and the header tools (what a user clicks first).
            queue += [u for u in internal_links(html, "#fr-navigation a, .fr-header__tools a") if u not in seen]
    errors_checked = 0
    for role in ROLE_KEYS:
        for url, status in sorted(refused[role]):
            response = clients[role].get(url)
            assert response.status_code == status, f"[{role}] {url}"
            if "<html" in response.content.decode():
                errors_checked += 1
                csp = response.get("Content-Security-Policy", "")
                problems += [f"[{role}] {url} ({status}) : {p}" for p in page_problems(response.content.decode(), csp)]
    assert visited > 50 and errors_checked > 20
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_checker_sees_what_it_must():
    bad = (
        '<html lang="en"><head></head><body><script>x()</script><a onclick="x()" href="javascript:void(0)">'
        "Home page</a><p>Lancez manage.py import_rncp (docs/imports/rncp.md).</p></body></html>"
    )
    problems = page_problems(bad, "script-src 'nonce-abc'")
    assert len(problems) == 7, problems
