"""Users by role. Examples: UserFactory(agent_ud=True), UserFactory(agent_dreets=True, region=region)."""

import factory
from factory.django import DjangoModelFactory

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from tests.referentiels.factories import RegionFactory, UniteDepartementaleFactory

PASSWORD = "Mot-de-passe-test-2026!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@ceres.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    role = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        admin_national = factory.Trait(role=Role.ADMIN_NATIONAL)
        agent_dreets = factory.Trait(role=Role.AGENT_DREETS, region=factory.SubFactory(RegionFactory))
        agent_ud = factory.Trait(role=Role.AGENT_UD, ud=factory.SubFactory(UniteDepartementaleFactory))
        gestionnaire_centre = factory.Trait(role=Role.GESTIONNAIRE_CENTRE)
        membre_jury = factory.Trait(role=Role.MEMBRE_JURY)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])
