"""A small seeded database for the contract tests: a centre with a valid agrément, a session, a registration."""

from dataclasses import dataclass

from ceres.api.enums import PorteeCle
from tests.api.helpers import centre_admin, centre_key
from tests.centres.factories import AgrementFactory
from tests.referentiels.factories import NsfFactory


@dataclass
class Seed:
    write_token: str
    agrement: object

    def token_for(self, operation) -> str:
        return self.write_token


def seed() -> Seed:
    agrement = AgrementFactory(valide=True, titre__with_ccps=2)
    NsfFactory()
    user, centre = centre_admin(agrement.centre)
    _, token = centre_key(user=user, centre=centre, scope=PorteeCle.ECRITURE)
    return Seed(write_token=token, agrement=agrement)
