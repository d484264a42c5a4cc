"""Factories for centres, sites, members and agréments (imported by other apps' tests: keep names stable).

Examples:
    CentreFactory(departement=dep, type=TypeCentre.CFA)
    SiteFactory(centre=centre)                       # site with a current commune in the centre's département
    MembreCentreFactory(user=user, centre=centre)
    AgrementFactory(valide=True)                     # accepted, 01/01/2024 → 31/12/2030, on a consistent centre/site
    AgrementFactory(centre=centre, site=site, titre=titre, valide=True)
    AgrementFactory(expire=True) / (refuse=True) / (retire=True)   # en instruction by default
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ceres.centres.enums import DecisionAgrement, TypeCentre
from ceres.centres.models import Agrement, Centre, MembreCentre, Site
from ceres.core.validators import luhn_ok
from tests.referentiels.factories import CommuneFactory, DepartementFactory, TitreProfessionnelFactory


def make_siret(n: int) -> str:
    """A valid SIRET (Luhn key) derived from n: 13 digits + the key digit."""
    base = f"{800000000000 + n:013d}"
    for key in range(10):
        if luhn_ok(base + str(key)):
            return base + str(key)
    raise AssertionError("unreachable")


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Centre de formation test {n}")
    siret = factory.Sequence(make_siret)
    type = TypeCentre.ORGANISME_PRIVE
    departement = factory.SubFactory(DepartementFactory)
    address = "10 rue de la Formation"
    postal_code = "01000"
    commune = None
    contact_name = "Camille Martin"
    email = factory.Sequence(lambda n: f"contact{n}@centre.test")
    phone = "0400000000"


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Plateau technique {n}")
    address = factory.Sequence(lambda n: f"{n} avenue des Ateliers")
    postal_code = "01000"
    commune = factory.SubFactory(CommuneFactory, departement_code=factory.SelfAttribute("..centre.departement.code"))


class MembreCentreFactory(DjangoModelFactory):
    class Meta:
        model = MembreCentre
        django_get_or_create = ("user", "centre")

    user = factory.SubFactory("tests.centres.factories._GestionnaireFactory")
    centre = factory.SubFactory(CentreFactory)
    is_admin = False


class _GestionnaireFactory(DjangoModelFactory):
    """Fallback user for MembreCentreFactory (the accounts app may ship its own UserFactory)."""

    class Meta:
        model = "comptes.User"
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"gestionnaire{n}@centre.test")
    role = "gestionnaire_centre"


class AgrementFactory(DjangoModelFactory):
    """En instruction by default. Traits: valide, expire, a_venir, refuse, retire, classe."""

    class Meta:
        model = Agrement

    class Params:
        valide = factory.Trait(
            decision=DecisionAgrement.ACCEPTEE,
            decision_date=dt.date(2023, 12, 1),
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2030, 12, 31),
        )
        expire = factory.Trait(
            decision=DecisionAgrement.ACCEPTEE,
            decision_date=dt.date(2019, 12, 1),
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2022, 12, 31),
        )
        a_venir = factory.Trait(
            decision=DecisionAgrement.ACCEPTEE,
            decision_date=dt.date(2029, 12, 1),
            start_date=dt.date(2030, 1, 1),
            end_date=dt.date(2030, 12, 31),
        )
        refuse = factory.Trait(
            decision=DecisionAgrement.REFUSEE, decision_date=dt.date(2023, 12, 1), decision_reason="Dossier incomplet"
        )
        retire = factory.Trait(
            decision=DecisionAgrement.RETIREE,
            decision_date=dt.date(2025, 6, 1),
            decision_reason="Manquement aux engagements",
        )
        classe = factory.Trait(
            decision=DecisionAgrement.CLASSEE_SANS_SUITE,
            decision_date=dt.date(2023, 12, 1),
            decision_reason="Demande abandonnée",
        )

    centre = factory.SubFactory(CentreFactory)
    site = factory.SubFactory(SiteFactory, centre=factory.SelfAttribute("..centre"))
    titre = factory.SubFactory(TitreProfessionnelFactory)
    ccs = None
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2030, 12, 31)
    decision = DecisionAgrement.EN_INSTRUCTION
    decision_date = None
    decision_by = None
    decision_reason = ""
    valce_id = None
    valce_raw = None

    @classmethod
    def _generate(cls, strategy, params):
        # Given only a site, take its centre (an agrément's site always belongs to its centre).
        if params.get("site") is not None and "centre" not in params:
            params = {**params, "centre": params["site"].centre}
        return super()._generate(strategy, params)
