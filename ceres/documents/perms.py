"""Who prints, annuls and restores parchemins."""

from ceres.examens.perms import is_centre_member, is_session_ud


def can_print(user, session) -> bool:
    """Parchemins are printed by the UD of the session's département."""
    return is_session_ud(user, session)


def can_annul(user, session) -> bool:
    return is_session_ud(user, session)


def can_lift_annulment(user) -> bool:
    """Only the national administrator restores an annulled parchemin."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin_national)


def can_read_pv(user, session) -> bool:
    """The PV lists every candidate's results: the session's UD and the centre's staff."""
    return is_session_ud(user, session) or is_centre_member(user, session.centre_id)


def can_read_print_log(user) -> bool:
    """The print log of the parchemins: the UD that prints them, the DREETS and the national administrator."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_agent_ud or user.is_agent_dreets or user.is_admin_national)
    )
