"""Who may do what on candidate files (scope itself is in selectors.candidats_visible_for)."""

from ceres.comptes.perms import is_logged

REFUS_LISTE = "Les dossiers candidats sont consultés par les centres, les unités départementales et les DREETS."
REFUS_CREATION = (
    "La création d'un dossier candidat est réservée aux gestionnaires de centre (centre courant choisi) "
    "et aux agents d'unité départementale."
)
REFUS_MODIFICATION = "Seuls le centre qui suit le candidat et l'unité départementale peuvent corriger ce dossier."
REFUS_FUSION = "La fusion de dossiers est réservée aux agents d'unité départementale."
REFUS_DOUBLONS = "La liste des doublons est réservée aux unités départementales et à l'administration nationale."
REFUS_FUSIONNE = "Ce dossier a été fusionné dans un autre : il ne se modifie plus."


def can_list(user) -> bool:
    return is_logged(user) and (
        user.is_admin_national or user.is_agent_dreets or user.is_agent_ud or user.is_gestionnaire_centre
    )


def can_create(user, organisation=None) -> bool:
    if not is_logged(user):
        return False
    if user.is_agent_ud:
        return True
    return user.is_gestionnaire_centre and organisation is not None


def can_edit(user, candidat) -> bool:
    """On a visible file: the UD corrects identities; centres update the files they follow."""
    return is_logged(user) and (user.is_agent_ud or user.is_gestionnaire_centre) and not candidat.is_merged


def can_merge(user) -> bool:
    return is_logged(user) and user.is_agent_ud


def can_list_doublons(user) -> bool:
    return is_logged(user) and (user.is_agent_ud or user.is_admin_national)


def can_decide_doublon(user) -> bool:
    return can_merge(user)


REFUS_IMPORT = "L'import de candidats est réservé aux gestionnaires de centre (centre courant choisi)."


def can_import(user, organisation=None) -> bool:
    """A centre imports the candidates it follows, into its current centre."""
    return is_logged(user) and user.is_gestionnaire_centre and organisation is not None
