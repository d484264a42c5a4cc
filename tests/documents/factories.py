"""Factories for printable certifications: a validated session whose UD has a commune, a holder born in a commune
that has since been renamed.

    cert = PrintableCertificationFactory()                            # titre, numbered at validation
    cert = PrintableCertificationFactory(avant_numerotation=True)     # awarded before numbering existed
"""

import datetime as dt

import factory

from ceres.editique.numbering import number_allocate
from ceres.examens.enums import TypeCertification
from ceres.referentiels.models import UniteDepartementale
from tests.candidats.factories import CandidatFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import CertificationFactory, InscriptionFactory, SessionExamenFactory
from tests.referentiels.factories import CommuneFactory, DepartementFactory, UniteDepartementaleFactory


def renamed_commune(old="Vieux-Bourg", new="Bourg-Nouveau", code="01998", changed_on=dt.date(2016, 1, 1)):
    """A commune renamed on changed_on: returns (old row, current row)."""
    old_row = CommuneFactory(code_insee=code, name=old, departement_code="01", end_date=changed_on)
    new_row = CommuneFactory(code_insee=code, name=new, departement_code="01", start_date=changed_on)
    return old_row, new_row


def validated_session(**kwargs):
    session = SessionExamenFactory(
        validee=True,
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 4),
        convocation_date=dt.date(2026, 3, 2),
        **kwargs,
    )
    dep = session.departement
    if dep.name.startswith("Département test"):
        dep.name = "Ain"
        dep.save()
    UniteDepartementaleFactory(
        departement=dep, commune=CommuneFactory(name="Bourg-en-Bresse", departement_code=dep.code)
    )
    return session


class PrintableCertificationFactory(CertificationFactory):
    inscription = factory.LazyAttribute(
        lambda o: InscriptionFactory(
            session=validated_session(),
            candidat=CandidatFactory(
                birth_name="Martin",
                first_names="Léa, Anne",
                birth_date=dt.date(1990, 5, 2),
                birth_commune=renamed_commune()[1],
            ),
        )
    )
    kind = TypeCertification.TITRE
    awarded_on = dt.date(2026, 3, 4)
    # Numbered at the session's validation, as every certification since numbering exists.
    number = factory.LazyAttribute(
        lambda o: number_allocate(year=o.awarded_on.year, departement_code=o.inscription.session.departement.code)
    )

    class Params:
        # A session validated before numbering existed: the number is allocated at the first print.
        avant_numerotation = factory.Trait(number=None)


def ud_agent(session):
    """An agent of the UD of the session's département: the one allowed to print its parchemins."""
    return UserFactory(agent_ud=True, ud=UniteDepartementale.objects.filter(departement=session.departement).first())


__all__ = ["DepartementFactory", "PrintableCertificationFactory", "renamed_commune", "ud_agent", "validated_session"]
