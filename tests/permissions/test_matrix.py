"""Aggregated permission matrix: every named URL of the project, for every role key, has an expected status.

Each app provides tests/<app>/url_matrix*.py with ``cases(world) -> list[Case]``. This module:
- fails, listing them, if a named URL has no case (a new URL needs its permission entry);
- for each app module, plays every case for every role key and reports every mismatch at once
  (an anonymous GET answered 302 must redirect to the login page).
Each request runs in a rolled-back savepoint, so a POST case cannot change what the next case sees.
"""

import copy
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permissions.matrix import ROLE_KEYS, Case

TESTS_DIR = Path(__file__).resolve().parent.parent
SKIPPED_NAMESPACES = {"admin"}


def project_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                if ns in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def matrix_modules() -> list[str]:
    modules = []
    for path in sorted(TESTS_DIR.rglob("url_matrix*.py")):
        relative = path.relative_to(TESTS_DIR.parent).with_suffix("")
        modules.append(".".join(relative.parts))
    return modules


def play(case: Case, client: Client) -> tuple[int, str]:
    saved_cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        url = reverse(case.url_name, kwargs=case.kwargs)
        send = getattr(client, case.method)
        kwargs = {"headers": case.headers} if case.headers else {}
        if case.data is not None:
            response = send(url, case.data, **kwargs)
        else:
            response = send(url, **kwargs)
        transaction.set_rollback(True)
    # The request's writes (a logout, a switched centre…) were rolled back: so are the cookies it set.
    client.cookies = saved_cookies
    return response.status_code, response.get("Location", "")


def clients_for(world) -> dict[str, Client]:
    """One client per role key, logged in once (the session row outlives the per-request savepoints)."""
    clients = {}
    for role_key in ROLE_KEYS:
        client = Client(raise_request_exception=False)
        if world.users[role_key] is not None:
            client.force_login(world.users[role_key])
        clients[role_key] = client
    return clients


def check(cases: list[Case], world) -> list[str]:
    login_url = resolve_url(settings.LOGIN_URL)
    clients = clients_for(world)
    problems = []
    for case in cases:
        missing = set(ROLE_KEYS) - set(case.expected)
        label = f"{case.method.upper()} {case.url_name} {case.kwargs or ''} {case.label}".strip()
        if missing:
            problems.append(f"{label} : statut attendu manquant pour {sorted(missing)}")
        for role_key in ROLE_KEYS:
            if role_key not in case.expected:
                continue
            expected = case.expected[role_key]
            status, location = play(case, clients[role_key])
            if status != expected:
                problems.append(f"{label} [{role_key}] : {status} au lieu de {expected}")
            elif (
                role_key == "anonyme" and case.method == "get" and status == 302 and not location.startswith(login_url)
            ):
                problems.append(f"{label} [anonyme] : redirigé vers {location} au lieu de la connexion")
    return problems


def all_cases(world) -> dict[str, list[Case]]:
    return {name: importlib.import_module(name).cases(world) for name in matrix_modules()}


def test_every_named_url_has_a_permission_case(world):
    covered = {case.url_name for cases in all_cases(world).values() for case in cases}
    missing = sorted(project_url_names() - covered)
    assert not missing, "URL sans cas dans un tests/<app>/url_matrix.py :\n" + "\n".join(missing)


@pytest.mark.parametrize("module_name", matrix_modules())
def test_permission_matrix(module_name, world):
    cases = importlib.import_module(module_name).cases(world)
    problems = check(cases, world)
    assert not problems, f"{module_name} :\n" + "\n".join(problems)
