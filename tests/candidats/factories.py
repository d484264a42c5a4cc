"""Factories for candidate files (imported by the sessions app's tests: keep names and defaults stable).

CandidatFactory saves through ``services.candidat_insert`` (number, normalised keys, blocking keys) but
WITHOUT the duplicate check, so tests can build duplicates on purpose.

Examples:
    CandidatFactory()                                     # born in a French commune
    CandidatFactory(abroad=True)                          # born abroad (country + town)
    CandidatFactory(birth_name="Dupont", first_names="Jean-Pierre", birth_date=dt.date(1980, 5, 1))
    CandidatFactory(created_by_centre=centre)             # visible to that centre's managers
    CandidatFactory(commune=CommuneFactory(departement_code="69"))   # visible to the UD of Rhône
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ceres.candidats import services
from ceres.candidats.models import Candidat, Civilite
from tests.referentiels.factories import CommuneFactory, PaysFactory


class CandidatFactory(DjangoModelFactory):
    class Meta:
        model = Candidat

    class Params:
        abroad = factory.Trait(
            birth_commune=None,
            birth_country=factory.SubFactory(PaysFactory),
            birth_town_abroad="Casablanca",
        )

    civility = Civilite.MADAME
    birth_name = factory.Faker("last_name", locale="fr_FR")
    usage_name = ""
    first_names = factory.Faker("first_name_female", locale="fr_FR")
    birth_date = factory.Faker("date_between_dates", date_start=dt.date(1960, 1, 1), date_end=dt.date(2004, 12, 31))
    birth_commune = factory.SubFactory(CommuneFactory)
    birth_country = None
    birth_town_abroad = ""
    address = factory.Faker("street_address", locale="fr_FR")
    postal_code = "01000"
    commune = None
    email = factory.Sequence(lambda n: f"candidat{n}@exemple.fr")
    phone = "0600000000"
    created_by_centre = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.candidat_insert(model_class(*args, **kwargs))
