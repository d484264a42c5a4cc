"""Who is told about what happens in a centre or a département (notifications)."""

from django.db.models import QuerySet

from ceres.comptes.enums import Role
from ceres.comptes.models import User


def ud_agents(departement_id) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.AGENT_UD, ud__departement_id=departement_id)
