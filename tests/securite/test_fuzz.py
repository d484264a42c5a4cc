"""Hostile input on every form and API endpoint never gives a 500 (issue #16).

For every named URL of the permission matrix, a user allowed on it (expected 200, or a redirect after a POST) first
loads the page: every <form> found there (method, action, field names, select options) and the case's own POST data
are fuzz targets. Hypothesis then sends hostile values (non-UUID ids, NUL bytes, huge strings, impossible dates,
unicode controls, files with garbage) to random subsets of the fields; each request runs in a rolled-back savepoint.
The answer must be below 500, and a 4xx must carry a French message.

CI keeps the run small (CERES_FUZZ_EXAMPLES, 150 by default); a deeper local run:
`CERES_FUZZ_EXAMPLES=3000 .venv/bin/pytest tests/securite/test_fuzz.py -s`.
"""

import copy
import logging
import os
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.permissions.test_matrix import all_cases, clients_for

EXAMPLES = int(os.environ.get("CERES_FUZZ_EXAMPLES", "100"))
# First pass, on every target: each field gets one of these (non-UUID id, impossible date, huge string, controls),
# then every field gets a NUL byte.
SWEEP = ["not-a-uuid", "2024-02-30", "x" * 100_000, "\u202e\x1b\x07", "99999999999999999999999"]

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "not-a-uuid",
    "12345678-1234-1234-1234-12345678901Z",
    "00000000-0000-0000-0000-000000000000",
    "a\x00b",
    "\x00",
    "x" * 100_000,
    "é" * 5000,
    "2024-02-30",
    "31/02/2024",
    "0000-00-00",
    "99999-12-31",
    "1899-13-45",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "\x1b[31m\x07\x08",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00%ff",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "𝕳𝖊𝖑𝖑𝖔",
    "[]",
    '{"a": 1}',
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
)


@dataclass
class Target:
    role: str
    method: str  # "get" or "post"
    url: str
    fields: list[str]
    base: dict = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    headers: dict | None = None


def forms_of(html: str, page_url: str) -> list[tuple[str, str, list[str], list[str], dict]]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for form in soup.find_all("form"):
        action = form.get("action") or page_url
        if not action.startswith("/") or action.startswith(("/admin/", "/static/")):
            continue
        method = (form.get("method") or "get").lower()
        names, files, base = [], [], {}
        for tag in form.find_all(["input", "select", "textarea"]):
            name = tag.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            if tag.name == "input" and tag.get("type") == "file":
                files.append(name)
                continue
            names.append(name)
            if tag.name == "select":
                option = tag.find("option", selected=True) or tag.find("option")
                if option is not None and option.get("value") is not None:
                    base[name] = option.get("value")
            elif tag.get("value") is not None and tag.get("type") not in ("checkbox", "radio"):
                base[name] = tag.get("value")
        found.append((method, action, names, files, base))
    return found


def targets(world, clients) -> list[Target]:
    result, seen = [], set()
    for cases in all_cases(world).values():
        for case in cases:
            allowed = [r for r, s in case.expected.items() if s == 200 or (case.method == "post" and s == 302)]
            if not allowed:
                continue
            role = next((r for r in allowed if r != "anonyme"), allowed[0])
            url = reverse(case.url_name, kwargs=case.kwargs)
            if case.method == "post":
                key = ("post", url, role)
                if key not in seen:
                    seen.add(key)
                    result.append(
                        Target(role, "post", url, sorted(case.data or {}), dict(case.data or {}), headers=case.headers)
                    )
                continue
            if case.data or case.headers:
                continue
            response = clients[role].get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                if response.get("Content-Type", "").startswith("application/json"):
                    result.append(Target(role, "get", url, ["q", "date", "limit"]))
                continue
            result.append(Target(role, "get", url, ["page", "q", "id", "date"]))  # query strings read by list pages
            for method, action, names, files, base in forms_of(response.content.decode(), url):
                key = (method, action.split("?")[0], role, tuple(names))
                if key in seen or not (names or files):
                    continue
                seen.add(key)
                result.append(Target(role, "post" if method == "post" else "get", action, names, base, files))
    return result


def send(client, target: Target, values: dict):
    saved = copy.deepcopy(client.cookies)
    with transaction.atomic():
        data = {**target.base, **values}
        kwargs = {"headers": target.headers} if target.headers else {}
        if target.method == "post":
            for name in target.files:
                if name not in data:
                    data[name] = SimpleUploadedFile("x.csv", b"\x00\xff;=1+1\r\n" * 10, content_type="text/csv")
            response = client.post(target.url, data, **kwargs)
        else:
            response = client.get(target.url, data, **kwargs)
        transaction.set_rollback(True)
    client.cookies = saved
    return response


ENGLISH_DEFAULTS = ("Bad Request", "Not Found", "Forbidden", "Server Error", "Method Not Allowed")


def french_refusal(response) -> bool:
    body = response.content.decode("utf-8", "replace")
    if any(phrase in body for phrase in ENGLISH_DEFAULTS):
        return False
    if response.get("Content-Type", "").startswith("application/json"):
        return "erreur" in body
    if response.status_code in (302, 405):
        return True
    return 'lang="fr"' in body or len(body) < 2000 and any(w in body for w in ("é", "Le ", "La ", "Ce ", "est "))


def test_no_hostile_input_gives_a_500(world):
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 500s are listed below, not dumped
    clients = clients_for(world)
    for client in clients.values():
        client.raise_request_exception = False
    all_targets = targets(world, clients)
    assert len(all_targets) > 50, len(all_targets)
    tried, failures = [], []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def fuzz(data):
        target = data.draw(st.sampled_from(all_targets))
        names = target.fields + target.files
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True)) if names else []
        values = {}
        for name in chosen:
            if name in target.files:
                values[name] = SimpleUploadedFile("f.csv", data.draw(st.sampled_from(HOSTILE)).encode("utf-8"))
            else:
                values[name] = data.draw(hostile_text)
        check(target, values)

    def check(target, values):
        response = send(clients[target.role], target, values)
        tried.append(target.url)
        status = response.status_code
        if status >= 500 or (400 <= status < 500 and not french_refusal(response)):
            shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in values.items()}
            failures.append(f"{status} {target.method.upper()} {target.url} [{target.role}] {shown}")

    for target in all_targets:
        check(target, {name: SWEEP[i % len(SWEEP)] for i, name in enumerate(target.fields)})
        check(target, dict.fromkeys(target.fields, "a\x00b"))
    fuzz()
    print(
        f"\nfuzz : {len(tried)} requêtes hostiles sur {len(set(tried))} adresses ({len(all_targets)} cibles), "
        f"{len(failures)} réponses 5xx ou 4xx sans message français"
    )
    assert not failures, "\n".join(sorted(set(failures))[:60])
