"""The permission "world": two regions, three départements with their UD, and one user per role key.

Use the ``world`` fixture (registered in tests/conftest.py) or call ``build_world()``.
Centres, jurors, sessions… are created by each app's ``cases(world)`` on top of this world.
"""

from dataclasses import dataclass, field

import pytest

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from ceres.referentiels.models import Departement, Region, UniteDepartementale
from tests.referentiels.factories import (
    DepartementFactory,
    DreetsFactory,
    RegionFactory,
    UniteDepartementaleFactory,
)

PASSWORD = "Monde-de-test-2026!"


@dataclass
class World:
    region: Region
    autre_region: Region
    departement: Departement  # 01, in region
    autre_departement: Departement  # 69, same region
    departement_autre_region: Departement  # 75, in autre_region
    ud: UniteDepartementale
    autre_ud: UniteDepartementale
    ud_autre_region: UniteDepartementale
    users: dict = field(default_factory=dict)  # role key -> User or None (anonyme)

    def user(self, key):
        return self.users[key]


def _region(code, name):
    region = RegionFactory(code=code, name=name)
    DreetsFactory(region=region, name=f"DREETS {name}")
    return region


def _departement(code, name, region):
    dep = DepartementFactory(code=code, name=name, region=region)
    UniteDepartementaleFactory(departement=dep, name=f"DDETS {name}")
    return dep


def _user(email, role, **extra):
    user, created = User.objects.get_or_create(email=email, defaults={"role": role, **extra})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def build_world() -> World:
    region = _region("84", "Auvergne-Rhône-Alpes")
    autre_region = _region("11", "Île-de-France")
    departement = _departement("01", "Ain", region)
    autre_departement = _departement("69", "Rhône", region)
    dep_autre_region = _departement("75", "Paris", autre_region)
    world = World(
        region=region,
        autre_region=autre_region,
        departement=departement,
        autre_departement=autre_departement,
        departement_autre_region=dep_autre_region,
        ud=departement.ud,
        autre_ud=autre_departement.ud,
        ud_autre_region=dep_autre_region.ud,
    )
    world.users = {
        "anonyme": None,
        "admin_national": _user("admin@monde.test", Role.ADMIN_NATIONAL),
        "agent_dreets": _user("dreets@monde.test", Role.AGENT_DREETS, region=region),
        "agent_dreets_autre": _user("dreets-autre@monde.test", Role.AGENT_DREETS, region=autre_region),
        "agent_ud": _user("ud@monde.test", Role.AGENT_UD, ud=world.ud),
        "agent_ud_autre": _user("ud-autre@monde.test", Role.AGENT_UD, ud=world.autre_ud),
        "gestionnaire_centre": _user("centre@monde.test", Role.GESTIONNAIRE_CENTRE),
        "gestionnaire_autre_centre": _user("autre-centre@monde.test", Role.GESTIONNAIRE_CENTRE),
        "membre_jury": _user("jury@monde.test", Role.MEMBRE_JURY),
    }
    return world


@pytest.fixture
def world(db):
    return build_world()
