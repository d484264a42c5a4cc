"""The OpenAPI schema: committed (docs/api/openapi.json) and up to date; every response of a seeded database matches
it (schemathesis, a few generated requests per operation: bounded to stay fast)."""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ceres.api.api import api
from tests.api.world import build

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
REGENERATE = "make openapi"


def test_committed_schema_is_up_to_date():
    committed = json.loads(COMMITTED.read_text())
    current = json.loads(json.dumps(api.get_openapi_schema()))
    assert committed == current, f"Schéma OpenAPI périmé : lancez « {REGENERATE} » et committez docs/api/openapi.json."


def test_schema_is_served_without_key(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_are_served_from_local_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


@pytest.fixture
def seeded(db):
    # schemathesis calls the WSGI application directly: like Django's test client, keep the test's connection open
    # (request_finished would close it, and the test's transaction with it, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_ids(path: str, world) -> dict:
    """Path parameters naming the seeded objects, so that responses carry real bodies (not only 404)."""
    if "/titres/" in path:
        main = world.session.titre.public_id
    elif "/agrements/" in path:
        main = world.session.agrement.public_id
    elif path.startswith("/api/v1/inscriptions/"):
        main = world.inscription.public_id
    else:
        main = world.session.public_id
    return {"id": main, "inscription_id": world.inscription.public_id, "membre_id": world.membre.public_id}


def operation_labels() -> list[str]:
    """ "GET /api/v1/titres/"… read from the schema itself: a new endpoint is checked without touching this file."""
    return [
        f"{method.upper()} {path}" for path, methods in api.get_openapi_schema()["paths"].items() for method in methods
    ]


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("label", operation_labels())
def test_responses_match_the_schema(label, seeded):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = next(r.ok() for r in loaded.get_all_operations() if r.ok().label == label)
    headers = {"Authorization": f"Bearer {seeded.tokens['centre_ecriture']}"}
    ids = real_ids(operation.path, seeded)

    @given(operation.as_strategy())
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    def call(case):
        if case.path_parameters:
            case.path_parameters = {name: str(ids[name]) for name in case.path_parameters}
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
