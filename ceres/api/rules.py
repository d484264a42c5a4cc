"""Pure rules of API keys: who may hold which key (no ORM)."""

from ceres.api.enums import PorteeCle

NAME_REQUIRED = "Donnez un nom à la clé (par exemple le nom du logiciel qui l'utilisera)."
STATE_WRITE = "Les clés des agents de l'État sont en lecture seule : l'API ne valide ni ne modifie rien pour eux."
NOT_CENTRE_ADMIN = "Seuls les administrateurs du centre créent et révoquent ses clés d'API."
NO_ORGANISATION = "Les clés d'API sont réservées aux administrateurs de centre et aux agents des UD et des DREETS."
ALREADY_REVOKED = "Cette clé est déjà révoquée."


def creation_errors(*, name: str, scope: str, for_centre: bool, is_centre_admin: bool, is_state_agent: bool):
    errors = []
    if not name.strip():
        errors.append(NAME_REQUIRED)
    if for_centre:
        if not is_centre_admin:
            errors.append(NOT_CENTRE_ADMIN)
    elif not is_state_agent:
        errors.append(NO_ORGANISATION)
    elif scope != PorteeCle.LECTURE:
        errors.append(STATE_WRITE)
    return errors
