"""API authentication: `Authorization: Bearer ceres_…` keys; the key acts as its creator, narrowed to its scope."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer

from ceres.api import errors, services
from ceres.core import ratelimit


class CleAuth(HttpBearer):
    openapi_description = "Clé d'API créée sur la page « Clés d'API » (administrateur du centre, agent UD ou DREETS)."

    def authenticate(self, request, token):
        cle = services.cle_authenticate(token)
        if cle is None:
            return None
        limit = getattr(settings, "CERES_API_RATE_LIMIT", 300)
        if not ratelimit.allow(f"api:{cle.pk}", limit=limit, window=60):
            raise errors.TooManyRequests()
        request.user = cle.created_by
        request.cle = cle
        return cle


def require_write(request) -> None:
    if not request.cle.can_write:
        raise PermissionDenied(errors.READ_ONLY)
