"""Permission helpers shared by every app. Refusals always carry a French sentence saying why."""

from django.core.exceptions import PermissionDenied

DEFAULT_REFUSAL = "Vous n'avez pas le droit d'effectuer cette action."


def require(condition, message: str = DEFAULT_REFUSAL) -> None:
    """Raise PermissionDenied (HTTP 403) with a French message unless condition holds."""
    if not condition:
        raise PermissionDenied(message)
