"""A centre with a session, a registration and a juror; and one API key per kind of holder."""

import datetime as dt
from dataclasses import dataclass, field

from ceres.api.enums import PorteeCle
from ceres.examens.enums import StatutSession
from tests.api.helpers import agent_key, centre_admin, centre_key
from tests.centres.factories import CentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.referentiels.factories import DepartementFactory, UniteDepartementaleFactory

KEY_KINDS = ("aucune", "centre_ecriture", "centre_lecture", "autre_centre", "ud", "ud_autre", "dreets")


@dataclass
class ApiWorld:
    session: object
    inscription: object
    membre: object
    tokens: dict = field(default_factory=dict)


def build() -> ApiWorld:
    session = SessionExamenFactory(status=StatutSession.EN_PREPARATION, start_date=dt.date.today() + dt.timedelta(30))
    inscription = InscriptionFactory(session=session)
    membre = MembreConvoqueFactory(session=session).membre
    centre = session.centre
    dep = centre.departement
    ud = getattr(dep, "ud", None) or UniteDepartementaleFactory(departement=dep)
    other_dep = DepartementFactory(region=dep.region)
    writer, _ = centre_admin(centre)
    tokens = {
        "aucune": None,
        "centre_ecriture": centre_key(user=writer, centre=centre)[1],
        "centre_lecture": centre_key(user=writer, centre=centre, scope=PorteeCle.LECTURE)[1],
        "autre_centre": centre_key(centre=CentreFactory(departement=dep))[1],
        "ud": agent_key(UserFactory(agent_ud=True, ud=ud))[1],
        "ud_autre": agent_key(UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=other_dep)))[1],
        "dreets": agent_key(UserFactory(agent_dreets=True, region=dep.region))[1],
    }
    return ApiWorld(session=session, inscription=inscription, membre=membre, tokens=tokens)
