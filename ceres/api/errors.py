"""Every refusal of the API is a JSON body with French sentences: {"detail": "...", "erreurs": [{"champ", "message"}]}.

The messages are those of the services and rules the pages show (one rule, one sentence, two renderings).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

REFUSED = "La demande est refusée : voir les erreurs."
INVALID = "La demande est mal formée : voir les erreurs."
NOT_FOUND = "Introuvable, ou hors du périmètre de votre clé."
UNAUTHENTICATED = (
    "Clé d'API absente, inconnue ou révoquée : envoyez l'en-tête « Authorization: Bearer <clé> » "
    "avec une clé active créée par l'administrateur de votre centre."
)
READ_ONLY = "Cette clé est en lecture seule : créez une clé « lecture et écriture » pour modifier des données."
TOO_MANY = "Trop de requêtes avec cette clé : réessayez dans une minute."

# Pydantic error types, in French (the few a client can trigger with a well-typed schema).
PYDANTIC_FR = {
    "missing": "Champ obligatoire.",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Date attendue au format AAAA-MM-JJ.",
    "time_parsing": "Heure attendue au format HH:MM.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "bool_parsing": "Booléen attendu (true ou false).",
    "bool_type": "Booléen attendu (true ou false).",
    "string_type": "Texte attendu.",
    "uuid_parsing": "Identifiant attendu (UUID).",
    "uuid_type": "Identifiant attendu (UUID).",
    "enum": "Valeur hors de la liste permise.",
    "literal_error": "Valeur hors de la liste permise.",
    "list_type": "Liste attendue.",
    "dict_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "string_too_long": "Texte trop long.",
    "greater_than_equal": "Valeur trop petite.",
    "less_than_equal": "Valeur trop grande.",
    "json_invalid": "JSON invalide.",
    "extra_forbidden": "Champ inconnu.",
}


class TooManyRequests(Exception):
    pass


def body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "erreurs": errors or []}


def validation_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"champ": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"champ": None, "message": message} for message in exc.messages]


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def refused(request, exc):
        return api.create_response(request, body(REFUSED, validation_errors(exc)), status=400)

    @api.exception_handler(NinjaValidationError)
    def malformed(request, exc):
        errors = []
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
            message = PYDANTIC_FR.get(error.get("type", ""), "Valeur invalide.")
            errors.append({"champ": ".".join(location) or None, "message": message})
        return api.create_response(request, body(INVALID, errors), status=400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, body(str(exc) or "Action non permise."), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, body(NOT_FOUND), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(request, body(UNAUTHENTICATED), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(TooManyRequests)
    def too_many(request, exc):
        response = api.create_response(request, body(TOO_MANY), status=429)
        response["Retry-After"] = "60"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, body(str(exc)), status=exc.status_code)
