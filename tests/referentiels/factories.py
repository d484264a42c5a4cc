"""Factories for the référentiels (imported by every other app's tests: keep names and defaults stable).

Defaults give a *printable* title (intitulé, level, one NSF code), valid from 2021 to 2031, without CCP.
Codes that exist in the real référentiels (region, département, NSF) are get-or-created, so
`DepartementFactory(code="01")` reuses the row if the real territory was loaded.

Examples:
    TitreProfessionnelFactory(with_ccps=3)                    # CCP1..CCP3
    TitreProfessionnelFactory(nsf=["311t", "312t"])           # NSF codes by code (created if missing)
    TitreProfessionnelFactory(nsf=[])                         # no NSF: not printable
    TitreProfessionnelFactory(ended=True)                     # end of life 01/07/2024
    TitreProfessionnelFactory(predecessor=old, with_ccps=2)   # revised version
    UniteDepartementaleFactory(departement=dep)               # UD with a commune in that département
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ceres.core.text import search_key
from ceres.referentiels import models
from ceres.referentiels.communes import name_word_keys


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    # Real region codes are 01-06 and 11-94: start at 100 ("1xx") to avoid them.
    code = factory.Sequence(lambda n: f"{100 + n % 900}")
    name = factory.Sequence(lambda n: f"Région test {n}")
    chef_lieu_code = ""


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = models.Departement
        django_get_or_create = ("code",)

    # Three-character codes outside the real ones (01-95, 2A, 2B, 971-976): "D00".."Z99".
    code = factory.Sequence(lambda n: f"{'DEFGHJKLMNPQRSTUVWXY'[(n // 100) % 20]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Département test {n}")
    region = factory.SubFactory(RegionFactory)
    chef_lieu_code = ""


class CommuneFactory(DjangoModelFactory):
    """A current commune (no end date). Pass departement_code to place it in a département. Its inner-word search
    keys (CommuneMot) are created as the COG loader does."""

    class Meta:
        model = models.Commune
        skip_postgeneration_save = True

    code_insee = factory.Sequence(lambda n: f"{'DEFGHJKLMNPQRSTUVWXY'[(n // 1000) % 20]}{n % 10000:04d}")
    kind = models.Commune.Kind.COMMUNE
    name = factory.Faker("city", locale="fr_FR")
    name_key = factory.LazyAttribute(lambda o: search_key(o.name))
    departement_code = "01"
    start_date = None
    end_date = None

    class Params:
        # Arlod (Ain): merged into Bellegarde-sur-Valserine on 01/01/1971, today part of Valserhône. The example
        # of a vanished commune used throughout the tests (COG 2026 data).
        arlod = factory.Trait(
            code_insee="01018",
            name="Arlod",
            start_date=dt.date(1943, 1, 1),
            end_date=dt.date(1971, 1, 1),
            successor_code="01033",
            successor_name="Valserhône",
            event=models.Commune.Event.FUSION,
            event_successor_code="01033",
            event_successor_name="Bellegarde-sur-Valserine",
        )

    @factory.post_generation
    def mots(obj, create, extracted, **kwargs):
        if create:
            models.CommuneMot.objects.bulk_create(
                models.CommuneMot(commune=obj, word_key=key) for key in name_word_keys(obj.name_key)
            )


class PaysFactory(DjangoModelFactory):
    class Meta:
        model = models.Pays

    code = factory.Sequence(lambda n: f"99{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Pays test {n}")
    official_name = factory.LazyAttribute(lambda o: f"République de {o.name}")
    name_key = factory.LazyAttribute(lambda o: search_key(o.name))
    start_date = None
    end_date = None


class NsfFactory(DjangoModelFactory):
    """NSF code: group (3 digits) + optional letter. NsfFactory(code="311t") derives group and letter."""

    class Meta:
        model = models.Nsf
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{100 + n % 900}{'abcdefghjk'[(n // 900) % 10]}")
    label = factory.LazyAttribute(lambda o: f"Spécialité {o.code}")
    group = factory.LazyAttribute(lambda o: o.code[:3])
    letter = factory.LazyAttribute(lambda o: o.code[3:4])


class TitreProfessionnelFactory(DjangoModelFactory):
    class Meta:
        model = models.TitreProfessionnel
        skip_postgeneration_save = True

    class Params:
        ended = factory.Trait(start_date=dt.date(2019, 7, 1), end_date=dt.date(2024, 7, 1))

    code_titre = factory.Sequence(lambda n: f"TP-{90000 + n % 10000:05d}")
    millesime = "2021"
    sigle = factory.Sequence(lambda n: f"TPT{n}")
    intitule = factory.Sequence(lambda n: f"Titre professionnel de test {n}")
    intitule_key = factory.LazyAttribute(lambda o: search_key(o.intitule))
    niveau = 4
    code_rncp = factory.Sequence(lambda n: f"RNCP{90000 + n % 10000}")  # valid (3-5 digits), above real numbers
    start_date = dt.date(2021, 1, 1)
    end_date = dt.date(2031, 1, 1)
    predecessor = None
    partial_success_allowed = True
    fiabilite = models.TitreProfessionnel.Fiabilite.HAUTE
    source = "tests"

    @factory.post_generation
    def nsf(self, create, extracted, **kwargs):
        """nsf=None → one new NSF code; nsf=[] → none; nsf=["311t", <Nsf>] → those codes."""
        if not create:
            return
        if extracted is None:
            self.nsf_codes.add(NsfFactory())
            return
        for item in extracted:
            self.nsf_codes.add(item if isinstance(item, models.Nsf) else NsfFactory(code=item))

    @factory.post_generation
    def with_ccps(self, create, extracted, **kwargs):
        """with_ccps=N creates CCP1..CCPN (intitulé "Compétence n")."""
        if create and extracted:
            for order in range(1, int(extracted) + 1):
                CcpFactory(titre=self, order=order)

    @factory.post_generation
    def with_ccs(self, create, extracted, **kwargs):
        """with_ccs=N creates N CCS."""
        if create and extracted:
            for _ in range(int(extracted)):
                CcsFactory(titre=self)


def _next_ccp_order(ccp):
    last = ccp.titre.ccps.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


class CcpFactory(DjangoModelFactory):
    """A CCP block; without `order`, it is appended after the title's last CCP."""

    class Meta:
        model = models.Ccp
        skip_postgeneration_save = True

    titre = factory.SubFactory(TitreProfessionnelFactory)
    order = factory.LazyAttribute(_next_ccp_order)
    code_bloc = factory.LazyAttribute(lambda o: f"{o.titre.code_rncp or 'RNCP'}BC{o.order:02d}")
    code_cp = ""
    intitule = factory.LazyAttribute(lambda o: f"Compétence {o.order} du {o.titre.sigle or 'titre'}")


class CcsFactory(DjangoModelFactory):
    class Meta:
        model = models.Ccs

    titre = factory.SubFactory(TitreProfessionnelFactory)
    code = ""
    intitule = factory.Sequence(lambda n: f"Spécialisation de test {n}")


class DreetsFactory(DjangoModelFactory):
    class Meta:
        model = models.Dreets
        django_get_or_create = ("region",)

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"DREETS {o.region.name}")


class UniteDepartementaleFactory(DjangoModelFactory):
    """The UD of a département, with a current commune in that département (printed after « Fait à »)."""

    class Meta:
        model = models.UniteDepartementale
        django_get_or_create = ("departement",)

    departement = factory.SubFactory(DepartementFactory)
    name = factory.LazyAttribute(lambda o: f"DDETS {o.departement.name}")
    address = "1 rue de la Préfecture"
    postal_code = "01000"
    commune = factory.SubFactory(
        CommuneFactory, departement_code=factory.SelfAttribute("..departement.code"), name="Chef-Lieu-Test"
    )
