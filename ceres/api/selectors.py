"""Reads of API keys, scoped by user."""

from django.db.models import Q

from ceres.api.models import CleApi


def administered_centre_ids(user) -> list[int]:
    if not (user.is_authenticated and user.is_gestionnaire_centre):
        return []
    return list(user.centre_memberships.filter(is_admin=True).values_list("centre_id", flat=True))


def is_state_agent(user) -> bool:
    return user.is_authenticated and (
        (user.is_agent_ud and bool(user.ud_id)) or (user.is_agent_dreets and bool(user.region_id))
    )


def cles_visible_for(user):
    """Centre administrators: the keys of the centres they administer; State agents: the keys they created."""
    if not user.is_authenticated:
        return CleApi.objects.none()
    condition = Q(centre_id__in=administered_centre_ids(user))
    if is_state_agent(user):
        condition |= Q(centre__isnull=True, created_by=user)
    return CleApi.objects.filter(condition).select_related("centre", "created_by", "revoked_by")


def can_manage_keys(user) -> bool:
    return bool(administered_centre_ids(user)) or is_state_agent(user)
