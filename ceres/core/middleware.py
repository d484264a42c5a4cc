"""Answers to hostile input and security headers common to every page."""

import logging

from django.core.exceptions import ValidationError
from django.db import DataError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

# No form field of CERES takes a longer value in a query string (searches are cut at 100 characters).
MAX_QUERY_VALUE = 1000
NUL_REFUSED = "La demande contient un caractère nul : il n'est accepté dans aucun champ."
TOO_LONG = "Un paramètre de l'adresse est trop long."
BAD_VALUE = "Une valeur envoyée n'est pas valide (identifiant, date ou nombre mal formé)."

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def bad_request(request, message: str):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"erreur": message}, status=400)
    response = TemplateResponse(request, "400.html", {"message": message, "title": "Demande invalide"}, status=400)
    return response.render()


class HostileInputMiddleware:
    """400 with a French message instead of a 500 when a request carries values no field can take.

    - NUL characters anywhere in the query string or the posted fields (PostgreSQL refuses them in text);
    - query-string values longer than MAX_QUERY_VALUE (LIKE patterns SQLite refuses as « too complex »);
    - a ValidationError or DataError escaping a view: a malformed id, date or number reached a database lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str:
        if request.path.startswith("/api/"):
            # The public API cleans its own parameters (search cut at 100 characters, control characters ignored,
            # README) and answers its own 400 in JSON.
            return ""
        for _key, values in request.GET.lists():
            for value in values:
                if "\x00" in value:
                    return NUL_REFUSED
                if len(value) > MAX_QUERY_VALUE:
                    return TOO_LONG
        if "\x00" in request.META.get("PATH_INFO", ""):
            return NUL_REFUSED
        if request.method == "POST":
            for _key, values in request.POST.lists():
                if any("\x00" in value for value in values):
                    return NUL_REFUSED
        return ""

    def process_exception(self, request, exception):
        if isinstance(exception, ValidationError | DataError):
            logger.warning("Entrée invalide sur %s : %r", request.path, exception)
            return bad_request(request, BAD_VALUE)
        return None


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; no copy of an authenticated page kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages with personal data: never stored (back button on a shared computer, intermediate caches).
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
