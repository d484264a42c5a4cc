"""Reads about accounts, scoped by the user asking."""

from ceres.comptes.models import User
from ceres.comptes.perms import is_logged


def centre_memberships_for(user):
    """The centres a centre user belongs to (the choices of the current-centre switch)."""
    if not is_logged(user) or not user.is_gestionnaire_centre:
        # MembreCentre belongs to centres, above comptes: reached through the relation it declares on User (an
        # AttributeError, not an empty scope, if it is ever renamed).
        return User.centre_memberships.rel.related_model.objects.none()
    return user.centre_memberships.select_related("centre").order_by("centre__name")


CENTRE_IDS = "_ceres_centre_ids"  # set on request.user by CurrentOrganisationMiddleware, for this request only


def centre_ids_of(user) -> list[int]:
    """Ids of the centres a centre user belongs to: the ones the middleware read for this request, else one query."""
    ids = getattr(user, CENTRE_IDS, None)
    if ids is None:
        ids = list(user.centre_memberships.values_list("centre_id", flat=True))
    return ids
