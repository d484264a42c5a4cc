"""Who may do what on juror files (objects outside the user's scope are 404 through the selectors)."""


def can_list_membres(user) -> bool:
    return user.is_authenticated and (user.is_admin_national or user.is_superuser or user.is_agent_ud)


def can_create_membre(user) -> bool:
    return user.is_authenticated and user.is_agent_ud and bool(user.ud_id)


def can_manage_membre(user, membre) -> bool:
    """Edit the file, habilitate, suspend or withdraw: the agent of the UD managing the file."""
    return user.is_authenticated and user.is_agent_ud and membre.ud_id == user.ud_id


def can_see_birth_data(user, membre) -> bool:
    return can_manage_membre(user, membre) or user.is_admin_national or membre.user_id == user.pk


def can_convene(user) -> bool:
    """The "jurés à convoquer" page: centre users (their sessions), UD agents and the national administrator."""
    return user.is_authenticated and (
        user.is_gestionnaire_centre or user.is_agent_ud or user.is_admin_national or user.is_superuser
    )


def is_juror(user) -> bool:
    return user.is_authenticated and user.is_membre_jury


REFUS_REPRISE = (
    "La reprise des jurés de l'ancien système est réservée aux agents des unités départementales (pour leur UD) "
    "et à l'administration nationale."
)


def can_import_reprise(user) -> bool:
    """The reprise of the former system's jurors: a UD agent for their UD's jurors (they manage these files), the
    national administrator for every UD (as the command run by the operators)."""
    return user.is_authenticated and (
        user.is_admin_national or user.is_superuser or (user.is_agent_ud and bool(user.ud_id))
    )
