"""Who acts on a session, as which party of the transitions table (rules.CENTRE / rules.UD)."""

from ceres.examens import rules


def is_centre_member(user, centre_id) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_gestionnaire_centre:
        return False
    return user.centre_memberships.filter(centre_id=centre_id).exists()


def is_session_ud(user, session) -> bool:
    """Agents of the UD of the session's département (arrêté du 22/12/2015 art. 10)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_agent_ud
        and user.ud_id
        and user.ud.departement_id == session.departement_id
    )


def actor_for(user, session) -> str | None:
    if is_centre_member(user, session.centre_id):
        return rules.CENTRE
    if is_session_ud(user, session):
        return rules.UD
    return None


def can_manage(user, session) -> bool:
    """Edit, register, convene, enter results: the centre's staff."""
    return actor_for(user, session) == rules.CENTRE


def can_decide(user, session) -> bool:
    """Validate, send back, correct after validation: the session's UD."""
    return actor_for(user, session) == rules.UD


def can_create_session(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_gestionnaire_centre)


def can_validate_sessions(user) -> bool:
    """The page of the sessions waiting for validation: agents of a UD (each session is re-checked by the service)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_agent_ud and user.ud_id)
