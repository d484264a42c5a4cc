"""Role-level permissions shared by the apps. Object-level rules live in each app's perms.py."""

from ceres.comptes.enums import Role
from ceres.core.perms import DEFAULT_REFUSAL, require  # noqa: F401  (re-exported for the apps)

HISTORY_ROLES = {Role.AGENT_UD, Role.ADMIN_NATIONAL}


def is_logged(user) -> bool:
    return user is not None and user.is_authenticated


def can_see_history(user) -> bool:
    """The « Historique » panel (who changed what) is for UD agents and national administrators."""
    return is_logged(user) and user.role in HISTORY_ROLES


def can_switch_centre(user) -> bool:
    return is_logged(user) and user.is_gestionnaire_centre


def scope_label(user) -> str:
    """What a user may see, in one French phrase (shown on the account page)."""
    if not is_logged(user):
        return ""
    if user.is_admin_national:
        return "Tout le territoire (écriture limitée aux référentiels et paramètres)"
    if user.is_agent_dreets:
        return f"Région {user.region.name}" if user.region_id else "Aucune région rattachée"
    if user.is_agent_ud:
        return f"{user.ud.name} (département {user.ud.departement.code})" if user.ud_id else "Aucune UD rattachée"
    if user.is_gestionnaire_centre:
        names = [m.centre.name for m in user.centre_memberships.select_related("centre").order_by("centre__name")]
        return ", ".join(names) if names else "Aucun centre rattaché"
    if user.is_membre_jury:
        return "Ses habilitations et convocations"
    return "Aucun rôle attribué"
