"""Permission matrix of the API's pages (keys page, docs) and of its named URLs reached with a session cookie.

The API itself answers to keys, not to sessions: a logged-in browser without a key gets 401 on key-only endpoints.
Every endpoint × every kind of key is in tests/api/test_permissions.py (read from the OpenAPI schema).
"""

import re
import uuid

from django.urls import reverse

from ceres.api import services
from ceres.api.api import api, api_urls
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.permissions.matrix import Case, everyone, logged_in


def cases(world):
    centre = CentreFactory(departement=world.departement)
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre, is_admin=True)
    # The other centre's administrator has a keys page too, and never sees this centre's keys.
    MembreCentreFactory(
        user=world.users["gestionnaire_autre_centre"],
        centre=CentreFactory(departement=world.departement),
        is_admin=True,
    )
    cle, _ = services.cle_create(
        name="Logiciel", scope="ecriture", centre=centre, by=world.users["gestionnaire_centre"]
    )
    keys_page = logged_in(403, agent_ud=200, agent_ud_autre=200, agent_dreets=200, agent_dreets_autre=200)
    keys_page.update(gestionnaire_centre=200, gestionnaire_autre_centre=200)
    revoke = logged_in(404, gestionnaire_centre=302)
    return [
        Case("cles_api:list", expected=keys_page),
        Case("cles_api:revoke", kwargs={"public_id": cle.public_id}, expected=revoke, method="post", data={}),
        Case(
            "cles_api:revoke",
            kwargs={"public_id": cle.public_id},
            expected=logged_in(405),
            label="GET refusé",
        ),
        Case("cles_api:revoke", kwargs={"public_id": uuid.uuid4()}, expected=logged_in(404), method="post", data={}),
        Case("api_docs", expected=everyone(200)),
        Case("api:openapi-json", expected=everyone(200)),
        Case("api:communes", expected=everyone(200)),
        Case("api:pays", expected=everyone(200)),
        Case("api:api-root", expected=everyone(404)),
    ] + key_only_cases()


PUBLIC = {"openapi-json", "communes", "pays", "titres", "api-root"}


def _methods(url: str) -> list[str]:
    for template, methods in api.get_openapi_schema()["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), url):
            return list(methods)
    return []


def key_only_cases():
    """Every other API URL: a session (or no session) without a key gets 401, for every role."""
    cases = []
    for pattern in api_urls()[0]:
        if pattern.name in PUBLIC:
            continue
        kwargs = dict.fromkeys(pattern.pattern.converters, uuid.uuid4())
        method = _methods(reverse(f"api:{pattern.name}", kwargs=kwargs))[0]
        data = {} if method != "get" else None
        cases.append(Case(f"api:{pattern.name}", kwargs=kwargs, expected=everyone(401), method=method, data=data))
    return cases
