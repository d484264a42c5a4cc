"""Who may do what on a visible object (visibility itself is in selectors: outside scope → 404)."""


def can_instruct(user, agrement=None) -> bool:
    """Only DREETS agents instruct agréments, and only for centres of their region."""
    if not (user.is_authenticated and user.is_agent_dreets and user.region_id):
        return False
    return agrement is None or agrement.centre.departement.region_id == user.region_id


def is_dreets_of(user, centre) -> bool:
    """The user is a DREETS agent of the centre's region (may change its members freely)."""
    return can_instruct(user) and centre.departement.region_id == user.region_id


def can_import_valce(user) -> bool:
    return user.is_authenticated and (user.is_admin_national or (user.is_agent_dreets and bool(user.region_id)))


def can_see_centres(user) -> bool:
    """Centre lists and end-of-agrément alerts: State agents and centre managers (not jurors, not role-less)."""
    return user.is_authenticated and (
        user.is_admin_national or user.is_agent_dreets or user.is_agent_ud or user.is_gestionnaire_centre
    )


def can_see_instruction_list(user) -> bool:
    return user.is_authenticated and (user.is_admin_national or user.is_agent_dreets or user.is_agent_ud)


def can_manage_centre(user, centre) -> bool:
    """Centre administrators (membership is_admin) add sites and request agréments; DREETS of the region too."""
    if not user.is_authenticated:
        return False
    if is_dreets_of(user, centre):
        return True
    return user.is_gestionnaire_centre and centre.memberships.filter(user=user, is_admin=True).exists()
