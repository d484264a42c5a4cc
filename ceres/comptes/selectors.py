"""Reads about accounts, scoped by the user asking."""

from django.db.models import Q

from ceres.comptes.models import User
from ceres.comptes.perms import can_see_history, is_logged
from ceres.core.journal import journal_for
from ceres.core.models import JournalEntry


def centre_memberships_for(user):
    """The centres a centre user belongs to (the choices of the current-centre switch)."""
    if not is_logged(user) or not user.is_gestionnaire_centre:
        # MembreCentre belongs to centres, above comptes: reached through the relation it declares on User (an
        # AttributeError, not an empty scope, if it is ever renamed).
        return User.centre_memberships.rel.related_model.objects.none()
    return user.centre_memberships.select_related("centre").order_by("centre__name")


def users_visible_for(user):
    """Accounts a user may list: all for the national administrator, their region's agents for a DREETS agent,
    their own account otherwise."""
    if not is_logged(user):
        return User.objects.none()
    if user.is_admin_national:
        return User.objects.all()
    if user.is_agent_dreets:
        return User.objects.filter(
            Q(region_id=user.region_id) | Q(ud__departement__region_id=user.region_id) | Q(pk=user.pk)
        )
    return User.objects.filter(pk=user.pk)


def journal_visible_for(user, obj):
    """History entries of obj shown to user: everything for UD agents and national administrators, nothing else."""
    if not can_see_history(user):
        return JournalEntry.objects.none()
    return journal_for(obj)
