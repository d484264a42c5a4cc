"""Factories for jury members and habilitations (imported by other apps' tests: keep the names stable)."""

import datetime

import factory

from ceres.jurys.enums import Civilite, StatutHabilitation, StatutProfessionnel
from ceres.jurys.models import Habilitation, MembreJury
from tests.referentiels.factories import TitreProfessionnelFactory, UniteDepartementaleFactory


class MembreJuryFactory(factory.django.DjangoModelFactory):
    civility = Civilite.MADAME
    birth_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.Faker(
        "date_between", start_date=datetime.date(1960, 1, 1), end_date=datetime.date(1995, 1, 1)
    )
    email = factory.Sequence(lambda n: f"jure{n}@exemple.fr")
    phone = "0600000000"
    profession = "Professionnel du métier"
    employer_name = factory.Sequence(lambda n: f"Entreprise {n}")
    status = StatutProfessionnel.SALARIE
    years_experience = 10
    ud = factory.SubFactory(UniteDepartementaleFactory)

    class Meta:
        model = MembreJury


class HabilitationFactory(factory.django.DjangoModelFactory):
    """Default: habilitated from 2024-01-01 until the title's end of life (``date_fixe``: until 2027-01-01)."""

    membre = factory.SubFactory(MembreJuryFactory)
    titre = factory.SubFactory(TitreProfessionnelFactory)
    start_date = datetime.date(2024, 1, 1)
    until_end_of_life = True
    end_date = factory.LazyAttribute(lambda o: o.titre.end_date if o.until_end_of_life else datetime.date(2027, 1, 1))
    ud = factory.SelfAttribute("membre.ud")
    decision_date = factory.SelfAttribute("start_date")
    status = StatutHabilitation.ACTIVE

    class Meta:
        model = Habilitation

    class Params:
        date_fixe = factory.Trait(until_end_of_life=False, end_date=datetime.date(2027, 1, 1))
        suspendue = factory.Trait(status=StatutHabilitation.SUSPENDUE, status_reason="Suspension de test")
        retiree = factory.Trait(status=StatutHabilitation.RETIREE, status_reason="Retrait de test")
