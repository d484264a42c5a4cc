"""Permission matrix of the API: every operation of the OpenAPI schema × every kind of key.

« ok » means the request went past authentication and scope (any answer but 401, 403 or 404: a write may still be
refused by a rule with 400). A new operation without a row here fails the first test.
"""

import pytest

from ceres.api.api import api
from tests.api.helpers import ApiClient
from tests.api.world import KEY_KINDS, build

OK = "ok"
READ = {"aucune": 401, "centre_ecriture": OK, "centre_lecture": OK, "autre_centre": OK, "ud": OK, "ud_autre": OK,
        "dreets": OK}  # fmt: skip
READ_SCOPED = {**READ, "autre_centre": 404, "ud_autre": 404}
WRITE = {"aucune": 401, "centre_ecriture": OK, "centre_lecture": 403, "autre_centre": 404, "ud": 403, "ud_autre": 403,
         "dreets": 403}  # fmt: skip
CREATE = {**WRITE, "autre_centre": OK}  # another centre creates its own sessions
PUBLIC = dict.fromkeys(KEY_KINDS, OK)

# (method, path template) -> (expected per key kind, body)
MATRIX = {
    ("get", "/api/v1/communes/"): (PUBLIC, None),
    ("get", "/api/v1/pays/"): (PUBLIC, None),
    ("get", "/api/v1/titres/"): (PUBLIC, None),
    ("get", "/api/v1/referentiels/titres/"): (READ, None),
    ("get", "/api/v1/referentiels/titres/{id}/"): (READ, None),
    ("get", "/api/v1/referentiels/nsf/"): (READ, None),
    ("get", "/api/v1/agrements/"): (READ, None),
    ("get", "/api/v1/agrements/{id}/"): (READ_SCOPED, None),
    ("get", "/api/v1/sessions/"): (READ, None),
    ("post", "/api/v1/sessions/"): (
        CREATE,
        {"titre": "{titre}", "site": "{site}", "debut": "2030-01-01", "fin": "2030-01-01"},
    ),  # fmt: skip
    ("get", "/api/v1/sessions/{id}/"): (READ_SCOPED, None),
    ("patch", "/api/v1/sessions/{id}/"): (WRITE, {"candidats_prevus": 5}),
    ("post", "/api/v1/sessions/{id}/ouverture/"): (WRITE, {}),
    ("post", "/api/v1/sessions/{id}/annulation/"): (WRITE, {"motif": "test"}),
    ("get", "/api/v1/sessions/{id}/inscriptions/"): (READ_SCOPED, None),
    ("post", "/api/v1/sessions/{id}/inscriptions/"): (WRITE, {"candidat": {"numero": "0"}, "voie_acces": "vae"}),
    ("delete", "/api/v1/sessions/{id}/inscriptions/{inscription_id}/"): (WRITE, None),
    ("get", "/api/v1/sessions/{id}/jures-a-convoquer/"): (READ_SCOPED, None),
    ("post", "/api/v1/sessions/{id}/jury/"): (WRITE, {"membre": "{membre}"}),
    ("delete", "/api/v1/sessions/{id}/jury/{membre_id}/"): (WRITE, None),
    ("get", "/api/v1/sessions/{id}/convocations/"): (READ_SCOPED, None),
    ("post", "/api/v1/sessions/{id}/convocations/"): (WRITE, {}),
    ("get", "/api/v1/inscriptions/{id}/convocation.pdf"): (READ_SCOPED, None),
    ("put", "/api/v1/inscriptions/{id}/resultats/"): (WRITE, {"ccps": {}}),
    ("post", "/api/v1/sessions/{id}/transmission/"): (WRITE, {"pv_signe": True}),
}


def schema_operations() -> set[tuple[str, str]]:
    return {(method, path) for path, methods in api.get_openapi_schema()["paths"].items() for method in methods}


def test_every_operation_has_a_row():
    assert schema_operations() == set(MATRIX), "Opérations sans ligne (ou lignes en trop) dans la matrice de l'API"


def _fill(text: str, world) -> str:
    session, inscription = world.session, world.inscription
    ids = {
        "titre": session.titre.public_id,
        "site": session.site.public_id,
        "membre": world.membre.public_id,
        "inscription_id": inscription.public_id,
        "membre_id": world.membre.public_id,
    }
    for name, value in ids.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _path(template: str, world) -> str:
    if "/titres/{id}" in template:
        identifier = world.session.titre.public_id
    elif "/agrements/{id}" in template:
        identifier = world.session.agrement.public_id
    elif "/inscriptions/{id}" in template:
        identifier = world.inscription.public_id
    else:
        identifier = world.session.public_id
    return _fill(template.replace("{id}", str(identifier)), world)


def _body(body, world):
    if body is None:
        return None
    import json

    return json.loads(_fill(json.dumps(body), world))


@pytest.mark.parametrize(("method", "template"), sorted(MATRIX))
def test_permission_matrix(method, template, db, django_capture_on_commit_callbacks):
    world = build()
    expected, body = MATRIX[(method, template)]
    problems = []
    for kind in KEY_KINDS:
        from django.db import transaction

        with transaction.atomic():
            client = ApiClient(world.tokens[kind])
            send = getattr(client, method)
            response = (
                send(_path(template, world), _body(body, world)) if body is not None else send(_path(template, world))
            )
            transaction.set_rollback(True)
        status, wanted = response.status_code, expected[kind]
        good = status not in (401, 403, 404) and status < 500 if wanted == OK else status == wanted
        if not good:
            problems.append(f"[{kind}] {status} au lieu de {wanted} : {response.content[:200]!r}")
    assert not problems, f"{method.upper()} {template}\n" + "\n".join(problems)
