"""Factories for sessions, jury, registrations and certifications.

Examples:
    SessionExamenFactory()                               # titre session tomorrow on a valid agrément (2 CCPs)
    SessionExamenFactory(agrement=agrement, start_date=d, end_date=d, convocation_date=d)
    MembreConvoqueFactory(session=session)               # juror habilitated for the session's title
    InscriptionFactory(session=session)                  # candidate registered on every CCP of the title
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ceres.examens.enums import StatutSession, TypeCertification, TypeSession, VoieAcces
from ceres.examens.models import Certification, Inscription, MembreConvoque, SessionExamen
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory
from tests.comptes.factories import UserFactory
from tests.jurys.factories import HabilitationFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory


class SessionExamenFactory(DjangoModelFactory):
    class Meta:
        model = SessionExamen
        skip_postgeneration_save = True

    class Params:
        validee = factory.Trait(status=StatutSession.VALIDEE, pv_number="PV-TEST-1")

    agrement = factory.SubFactory(
        AgrementFactory,
        valide=True,
        titre=factory.SubFactory(TitreProfessionnelFactory, with_ccps=2),
        # A real département code: parchemin numbers embed it.
        centre=factory.SubFactory(CentreFactory, departement=factory.SubFactory(DepartementFactory, code="01")),
    )
    centre = factory.SelfAttribute("agrement.centre")
    site = factory.SelfAttribute("agrement.site")
    titre = factory.SelfAttribute("agrement.titre")
    departement = factory.SelfAttribute("centre.departement")
    type = TypeSession.TITRE
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    end_date = factory.SelfAttribute("start_date")
    start_time = dt.time(8, 0)
    convocation_date = factory.SelfAttribute("start_date")
    convocation_time = dt.time(8, 0)
    responsable = factory.SubFactory(UserFactory, gestionnaire_centre=True)
    created_by = factory.SelfAttribute("responsable")
    planned_candidates = 8
    status = StatutSession.EN_PREPARATION


class MembreConvoqueFactory(DjangoModelFactory):
    class Meta:
        model = MembreConvoque

    session = factory.SubFactory(SessionExamenFactory)
    membre = factory.LazyAttribute(lambda o: HabilitationFactory(titre=o.session.titre).membre)


class InscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Inscription
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionExamenFactory)
    candidat = factory.SubFactory(CandidatFactory)
    route = VoieAcces.FORMATION_CONTINUE
    training_start_date = dt.date(2025, 9, 1)

    @factory.post_generation
    def ccps(self, create, extracted, **kwargs):
        if create:
            self.ccps.set(extracted if extracted is not None else self.session.titre.ccps.all())


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    inscription = factory.SubFactory(
        InscriptionFactory, session=factory.SubFactory(SessionExamenFactory, validee=True)
    )
    candidat = factory.SelfAttribute("inscription.candidat")
    session = factory.SelfAttribute("inscription.session")
    titre = factory.SelfAttribute("session.titre")
    kind = TypeCertification.CCP
    ccp = factory.LazyAttribute(lambda o: o.titre.ccps.first() if o.kind == TypeCertification.CCP else None)
    awarded_on = factory.SelfAttribute("session.end_date")
