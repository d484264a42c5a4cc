"""THE CERES API (/api/v1/): django-ninja, OpenAPI 3 schema at /api/v1/openapi.json, docs at /api/v1/docs/.

Routers call the selectors and services of the pages: no rule is written twice
(docs/decisions/0005-api-django-ninja.md).
"""

from ninja import NinjaAPI

from ceres.api import errors
from ceres.api.auth import CleAuth
from ceres.api.routers import centres, referentiels, sessions

DESCRIPTION = """API de CERES pour les logiciels des centres d'examen, des UD et des DREETS.

Authentification : en-tête `Authorization: Bearer <clé>`, clé créée sur la page « Clés d'API » de CERES
(administrateur d'un centre : clé du centre, en lecture ou en lecture et écriture ; agent UD ou DREETS : clé en
lecture de son périmètre). Listes paginées par curseur (`suivant`), avec `ETag` (renvoyez-le dans `If-None-Match`
pour recevoir 304 si rien n'a changé). Envoyez un en-tête `Idempotency-Key` sur chaque POST : une requête rejouée
avec la même clé renvoie la première réponse sans rien créer deux fois. Les refus sont ceux des pages, en français,
dans `erreurs` (`champ`, `message`). Débit limité par clé (429 avec `Retry-After`).
Les recherches de communes et de pays sont publiques (sans clé)."""

api = NinjaAPI(
    title="API CERES",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=CleAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", referentiels.public)
api.add_router("", referentiels.router)
api.add_router("", centres.router)
api.add_router("", sessions.router)


def api_urls():
    """The API's URL patterns, outside the login-required default (the API authenticates by key, not by session)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace
