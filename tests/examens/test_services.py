import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from ceres.centres.enums import TypeCentre
from ceres.centres.importers.valce import map_decision
from ceres.core.journal import journal_for
from ceres.examens import selectors, services
from ceres.examens.enums import (
    Decision,
    EntretienFinal,
    ResultatCcpValeur,
    StatutEnvoi,
    StatutSession,
    TypeCertification,
    TypeSession,
    VoieAcces,
)
from ceres.examens.models import Certification
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory, SiteFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import (
    CertificationFactory,
    InscriptionFactory,
    MembreConvoqueFactory,
    SessionExamenFactory,
)
from tests.jurys.factories import HabilitationFactory
from tests.referentiels.factories import TitreProfessionnelFactory, UniteDepartementaleFactory

TODAY = dt.date(2026, 3, 2)
OB, N = ResultatCcpValeur.OBTENU, ResultatCcpValeur.NON_OBTENU


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


def create(agrement, *, day=TODAY, by=None, **kw):
    initial = selectors.session_initial(day)
    params = dict(
        centre=agrement.centre,
        site=agrement.site,
        titre=agrement.titre,
        type=TypeSession.TITRE,
        responsable=by or UserFactory(gestionnaire_centre=True),
        by=by or UserFactory(gestionnaire_centre=True),
        **initial,
    )
    params.update(kw)
    return services.session_create(**params)


def ended_title_agrement(centre_type):
    """A title whose end of life was 01/07/2024, an agrément accepted until then."""
    titre = TitreProfessionnelFactory(start_date=dt.date(2019, 7, 1), end_date=dt.date(2024, 7, 1), with_ccps=2)
    centre = CentreFactory(type=centre_type)
    return AgrementFactory(
        centre=centre,
        site=SiteFactory(centre=centre),
        titre=titre,
        valide=True,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2024, 6, 30),
    )


class TestCreation:
    def test_defaults_today_8h_and_convocation_first_day_8h(self):
        initial = selectors.session_initial()
        assert initial["start_date"] == TODAY and initial["start_time"] == dt.time(8, 0)
        assert initial["convocation_date"] == TODAY and initial["convocation_time"] == dt.time(8, 0)
        session = create(AgrementFactory(valide=True))
        assert session.status == StatutSession.EN_PREPARATION
        assert journal_for(session).filter(operation="session_create").exists()

    def test_convocation_after_start_refused(self):
        with pytest.raises(ValidationError) as exc:
            create(AgrementFactory(valide=True), convocation_time=dt.time(9, 30))
        assert "postérieure au début des épreuves" in str(exc.value)

    def test_no_agrement_refused(self):
        agrement = AgrementFactory()  # en instruction
        with pytest.raises(ValidationError):
            create(agrement)

    def test_valce_accepted_agrement_lets_the_centre_create(self):
        agrement = AgrementFactory(
            decision=map_decision("Acceptée"),
            valce_id="VALCE-42",
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2027, 12, 31),
        )
        assert create(agrement).agrement == agrement

    @time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
    def test_cfa_20_months_after_end_of_life(self):
        session = create(ended_title_agrement(TypeCentre.CFA), day=dt.date(2026, 3, 2))
        assert session.in_prolongation

    def test_private_organisation_20_months_after_refused_and_told_why(self):
        with pytest.raises(ValidationError) as exc:
            create(ended_title_agrement(TypeCentre.ORGANISME_PRIVE))
        assert "CFA ou CRP" in str(exc.value)

    def test_nobody_25_months_after(self):
        with time_machine.travel(dt.datetime(2026, 8, 3, 10, 0), tick=False):
            for kind in (TypeCentre.CFA, TypeCentre.CRP):
                with pytest.raises(ValidationError):
                    create(ended_title_agrement(kind), day=dt.date(2026, 8, 3))

    def test_update_rechecks_and_journals(self):
        session = create(AgrementFactory(valide=True))
        services.session_update(session=session, by=session.created_by, planned_candidates=12)
        assert journal_for(session).filter(operation="session_update").exists()
        with pytest.raises(ValidationError):
            services.session_update(session=session, by=session.created_by, convocation_time=dt.time(10, 0))


class TestRegistration:
    def test_obtained_ccp_cannot_be_sat_again(self):
        first = InscriptionFactory(session=SessionExamenFactory(validee=True))
        ccp = first.session.titre.ccps.first()
        Certification.objects.create(
            candidat=first.candidat,
            titre=first.session.titre,
            session=first.session,
            inscription=first,
            kind=TypeCertification.CCP,
            ccp=ccp,
            awarded_on=TODAY,
        )
        session = SessionExamenFactory(agrement=first.session.agrement, type=TypeSession.CCP)
        session.ccps.set(session.titre.ccps.all())
        with pytest.raises(ValidationError) as exc:
            services.inscription_create(
                session=session, candidat=first.candidat, route=VoieAcces.FORMATION_CONTINUE, ccps=[ccp], by=None
            )
        assert "déjà obtenu" in str(exc.value)

    def test_vae_admissibility_older_than_a_year_refused(self):
        session = SessionExamenFactory(start_date=dt.date(2026, 4, 1))
        with pytest.raises(ValidationError):
            services.inscription_create(
                session=session,
                candidat=CandidatFactory(),
                route=VoieAcces.VAE,
                vae_admissibility_date=dt.date(2025, 1, 1),
                by=None,
            )
        ins = services.inscription_create(
            session=session,
            candidat=CandidatFactory(created_by_centre=session.centre),
            route=VoieAcces.VAE,
            vae_admissibility_date=dt.date(2025, 9, 1),
            by=None,
        )
        assert ins.ccps.count() == 2

    def test_ccs_requires_the_title(self):
        titre = TitreProfessionnelFactory(with_ccps=1, with_ccs=1)
        ccs = titre.ccs.first()
        agrement = AgrementFactory(valide=True, titre=titre, ccs=ccs)
        session = SessionExamenFactory(agrement=agrement, type=TypeSession.CCS, ccs=ccs)
        with pytest.raises(ValidationError) as exc:
            services.inscription_create(
                session=session, candidat=CandidatFactory(), route=VoieAcces.FORMATION_CONTINUE, by=None
            )
        assert "titulaires" in str(exc.value)


class TestJury:
    def test_jury_of_two_habilitated_members(self):
        session = SessionExamenFactory()
        assert selectors.jury_errors(session)
        a = HabilitationFactory(titre=session.titre).membre
        b = HabilitationFactory(titre=session.titre).membre
        services.jury_add(session=session, membre=a, by=None)
        services.jury_add(session=session, membre=b, by=None)
        assert selectors.jury_errors(session) == []

    def test_not_habilitated_refused_with_the_reason(self):
        session = SessionExamenFactory()
        other = HabilitationFactory().membre
        with pytest.raises(ValidationError) as exc:
            services.jury_add(session=session, membre=other, by=None)
        assert exc.value.messages == [f"{other} n'est pas habilité(e) pour ce titre."]

    def test_suspended_or_expired_habilitation_refused_with_the_reason(self):
        session = SessionExamenFactory()
        suspended = HabilitationFactory(titre=session.titre, suspendue=True).membre
        with pytest.raises(ValidationError) as exc:
            services.jury_add(session=session, membre=suspended, by=None)
        assert "l'habilitation est suspendue" in exc.value.messages[0]
        late = HabilitationFactory(titre=session.titre, start_date=session.end_date + dt.timedelta(days=1)).membre
        with pytest.raises(ValidationError) as exc:
            services.jury_add(session=session, membre=late, by=None)
        assert "l'habilitation ne commence que le" in exc.value.messages[0]

    @pytest.mark.parametrize("day", [dt.date(2029, 6, 1), dt.date(2030, 7, 31)])
    def test_juror_until_end_of_life_sits_up_to_24_months_after(self, day):
        titre = TitreProfessionnelFactory(start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1))
        session = SessionExamenFactory(
            agrement__titre=titre, agrement__centre__type=TypeCentre.CFA, start_date=day, convocation_date=day
        )
        membre = HabilitationFactory(titre=titre, until_end_of_life=True).membre
        services.jury_add(session=session, membre=membre, by=None)
        assert session.jury.count() == 1

    def test_juror_until_end_of_life_refused_after_the_24_months_with_the_date(self):
        titre = TitreProfessionnelFactory(start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1))
        day = dt.date(2030, 8, 2)
        session = SessionExamenFactory(
            agrement__titre=titre, agrement__centre__type=TypeCentre.CFA, start_date=day, convocation_date=day
        )
        membre = HabilitationFactory(titre=titre, until_end_of_life=True).membre
        with pytest.raises(ValidationError) as exc:
            services.jury_add(session=session, membre=membre, by=None)
        assert exc.value.messages == [f"{membre} : l'habilitation prend fin le 31/07/2030 (session le 02/08/2030)."]

    def test_rechecked_when_a_candidate_brings_a_conflict(self):
        session = SessionExamenFactory()
        a = MembreConvoqueFactory(session=session)
        MembreConvoqueFactory(session=session)
        trainee = InscriptionFactory(session=session, trainer=a.membre).candidat
        errors = selectors.jury_errors(session)
        assert f"{a.membre} ne peut plus siéger." in errors
        assert f"{a.membre} : ce juré a formé ou accompagné {trainee}, inscrit(e) à la session." in errors
        assert "Le jury doit compter au moins 2 membres habilités (il en compte 1)." in errors


def full_session():
    session = SessionExamenFactory(start_date=TODAY, end_date=TODAY, convocation_date=TODAY)
    MembreConvoqueFactory(session=session)
    MembreConvoqueFactory(session=session)
    a = InscriptionFactory(session=session)
    b = InscriptionFactory(session=session)
    return session, a, b


class TestConvocations:
    def test_sent_by_task_idempotent_and_state_moves(self, django_capture_on_commit_callbacks):
        session, a, b = full_session()
        with django_capture_on_commit_callbacks(execute=True):
            envoi = services.convocations_request(session=session, by=session.created_by)
        envoi.refresh_from_db()
        assert envoi.status == StatutEnvoi.TERMINE and envoi.sent == 4 and envoi.percent == 100
        assert len(mail.outbox) == 4
        assert mail.outbox[0].attachments[0][2] == "application/pdf"
        session.refresh_from_db()
        assert session.status == StatutSession.CONVOCATIONS_ENVOYEES
        # A late registration: only the newcomer is sent on the next request.
        InscriptionFactory(session=session)
        with django_capture_on_commit_callbacks(execute=True):
            services.convocations_request(session=session, by=session.created_by)
        assert len(mail.outbox) == 5

    def test_failures_reported(self, django_capture_on_commit_callbacks):
        session, a, b = full_session()
        a.candidat.email = ""
        a.candidat.save()
        with django_capture_on_commit_callbacks(execute=True):
            envoi = services.convocations_request(session=session, by=session.created_by)
        envoi.refresh_from_db()
        assert envoi.status == StatutEnvoi.ECHEC and envoi.failed == 1 and envoi.sent == 3
        assert "adresse e-mail" in envoi.report[0]
        session.refresh_from_db()
        assert session.status == StatutSession.EN_PREPARATION

    def test_new_dates_mean_new_convocations(self, django_capture_on_commit_callbacks):
        session, a, b = full_session()
        with django_capture_on_commit_callbacks(execute=True):
            services.convocations_request(session=session, by=session.created_by)
        session.refresh_from_db()
        services.session_update(
            session=session,
            by=None,
            start_date=TODAY + dt.timedelta(days=7),
            end_date=TODAY + dt.timedelta(days=7),
            convocation_date=TODAY + dt.timedelta(days=7),
        )
        session.refresh_from_db()
        assert session.status == StatutSession.EN_PREPARATION and "renvoyées" in session.status_reason
        with django_capture_on_commit_callbacks(execute=True):
            services.convocations_request(session=session, by=session.created_by)
        assert len(mail.outbox) == 8

    def test_refused_without_jury(self):
        session = SessionExamenFactory()
        InscriptionFactory(session=session)
        with pytest.raises(ValidationError) as exc:
            services.convocations_request(session=session, by=None)
        assert "au moins 2" in str(exc.value)


class TestResultsAndValidation:
    def run_to_results(self):
        session, a, b = full_session()
        session.status = StatutSession.CONVOCATIONS_ENVOYEES
        session.save()
        services.session_start(session=session, by=None)
        c1, c2 = session.titre.ccps.order_by("order")
        services.results_record(
            inscription=a, by=None, ccp_results={c1.pk: OB, c2.pk: OB}, entretien_final=EntretienFinal.FAVORABLE
        )
        services.results_record(
            inscription=b, by=None, ccp_results={c1.pk: OB, c2.pk: N}, entretien_final=EntretienFinal.FAVORABLE
        )
        return session, a, b, c1, c2

    def test_full_path_and_capitalisation(self):
        session, a, b, c1, c2 = self.run_to_results()
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.decision, b.decision) == (Decision.REUSSITE, Decision.REUSSITE_PARTIELLE)
        with pytest.raises(ValidationError):
            services.results_submit(session=session, by=None, pv_signed=False)
        services.results_submit(session=session, by=None, pv_signed=True)
        ud_agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        other_agent = UserFactory(agent_ud=True)
        with pytest.raises(ValidationError):
            services.session_validate(session=session, by=other_agent, pv_number="PV-1")
        session = services.session_validate(session=session, by=ud_agent, pv_number="PV-2026-01")
        assert session.status == StatutSession.VALIDEE
        kinds = sorted(Certification.objects.filter(candidat=a.candidat).values_list("kind", flat=True))
        assert kinds == ["ccp", "ccp", "titre"]
        assert all(Certification.objects.values_list("number", flat=True))
        assert list(Certification.objects.filter(candidat=b.candidat).values_list("ccp", flat=True)) == [c1.pk]
        # Candidate b comes back for the missing CCP: the last CCP session needs the entretien final.
        second = SessionExamenFactory(
            agrement=session.agrement, type=TypeSession.CCP, start_date=TODAY, end_date=TODAY, convocation_date=TODAY
        )
        second.ccps.set([c2])
        MembreConvoqueFactory(session=second)
        MembreConvoqueFactory(session=second)
        with pytest.raises(ValidationError):
            services.inscription_create(session=second, candidat=b.candidat, route="vae", ccps=[c1], by=None)
        ins = services.inscription_create(
            session=second, candidat=b.candidat, route=VoieAcces.FORMATION_CONTINUE, ccps=[c2], by=None
        )
        second.status = StatutSession.EN_COURS
        second.save()
        with pytest.raises(ValidationError) as exc:
            services.results_record(inscription=ins, by=None, ccp_results={c2.pk: OB})
        assert "entretien final" in str(exc.value)
        services.results_record(
            inscription=ins, by=None, ccp_results={c2.pk: OB}, entretien_final=EntretienFinal.FAVORABLE
        )
        ins.refresh_from_db()
        assert ins.decision == Decision.REUSSITE
        path = selectors.parcours(b.candidat, today=TODAY)
        assert [p.ccps_missing for p in path["paths"]] == [[c2]]

    def test_return_and_correction_after_validation(self):
        session, a, b, c1, c2 = self.run_to_results()
        services.results_submit(session=session, by=None, pv_signed=True)
        ud_agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        with pytest.raises(ValidationError):
            services.session_return(session=session, by=ud_agent, reason="")
        services.session_return(session=session, by=ud_agent, reason="PV non signé")
        session.refresh_from_db()
        services.results_submit(session=session, by=None, pv_signed=True)
        services.session_validate(session=session, by=ud_agent, pv_number="PV-9")
        with pytest.raises(ValidationError):
            services.results_record(inscription=b, by=None, ccp_results={c1.pk: OB, c2.pk: OB})
        services.results_correct(
            inscription=b,
            by=ud_agent,
            reason="Erreur de saisie du CCP2",
            ccp_results={c1.pk: OB, c2.pk: OB},
            entretien_final=EntretienFinal.FAVORABLE,
        )
        assert Certification.objects.current().filter(candidat=b.candidat, kind=TypeCertification.TITRE).exists()
        assert journal_for(b).filter(operation="results_correct", reason="Erreur de saisie du CCP2").exists()


class TestRevisedTitle:
    def test_ccp_obtained_on_the_previous_version_counts(self):
        old = CertificationFactory()
        old_ccp = old.ccp
        new_titre = TitreProfessionnelFactory(with_ccps=2, predecessor=old.titre)
        new_ccp1, new_ccp2 = new_titre.ccps.order_by("order")
        new_ccp1.correspond_to.add(old_ccp)
        assert selectors.obtained_ccp_ids(old.candidat, new_titre) == {new_ccp1.pk}
        session = SessionExamenFactory(agrement=AgrementFactory(valide=True, titre=new_titre), type=TypeSession.CCP)
        session.ccps.set([new_ccp1, new_ccp2])
        with pytest.raises(ValidationError) as exc:
            services.inscription_create(
                session=session, candidat=old.candidat, route=VoieAcces.FORMATION_CONTINUE, ccps=[new_ccp1], by=None
            )
        assert "déjà obtenu" in str(exc.value)
        services.inscription_create(
            session=session,
            candidat=old.candidat,
            route=VoieAcces.FORMATION_CONTINUE,
            ccps=[new_ccp2],
            by=None,
            identity_checked=True,  # a file registered at another centre before
        )
        path = {p.titre.pk: p for p in selectors.parcours(old.candidat, today=TODAY)["paths"]}
        assert path[new_titre.pk].ccps_missing == [new_ccp2]


class TestCorrectionKeepsNumbers:
    def test_unchanged_awards_keep_their_number_and_withdrawn_numbers_are_never_reused(self):
        session, a, b, c1, c2 = TestResultsAndValidation().run_to_results()
        services.results_submit(session=session, by=None, pv_signed=True)
        ud_agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        services.session_validate(session=session, by=ud_agent, pv_number="PV-10")
        ccp1_number = Certification.objects.get(candidat=b.candidat, ccp=c1).number

        # b's CCP2 was obtained after all: the CCP1 certificate keeps its number, CCP2 and the title are new.
        services.results_correct(
            inscription=b,
            by=ud_agent,
            reason="Erreur de saisie du CCP2",
            ccp_results={c1.pk: OB, c2.pk: OB},
            entretien_final=EntretienFinal.FAVORABLE,
        )
        current = Certification.objects.current().filter(candidat=b.candidat)
        assert current.get(ccp=c1).number == ccp1_number
        assert current.count() == 3
        title = current.get(kind=TypeCertification.TITRE)

        # Then the title is withdrawn by a second correction: its number stays with the withdrawn row, and the next
        # award gets a fresh number.
        services.results_correct(
            inscription=b,
            by=ud_agent,
            reason="Entretien final mal reporté",
            ccp_results={c1.pk: OB, c2.pk: OB},
            entretien_final=EntretienFinal.DEFAVORABLE,
        )
        title.refresh_from_db()
        assert title.withdrawn_at is not None and title.withdrawn_reason == "Entretien final mal reporté"
        assert current.filter(kind=TypeCertification.TITRE).count() == 0
        services.results_correct(
            inscription=b,
            by=ud_agent,
            reason="Entretien final favorable finalement",
            ccp_results={c1.pk: OB, c2.pk: OB},
            entretien_final=EntretienFinal.FAVORABLE,
        )
        again = current.get(kind=TypeCertification.TITRE)
        assert again.number != title.number
        numbers = list(Certification.objects.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers))
        assert current.get(ccp=c1).number == ccp1_number


class TestValidatedResultsLocked:
    def test_a_validated_result_cannot_be_rewritten_outside_the_correction_service(self):
        session, a, b, c1, c2 = TestResultsAndValidation().run_to_results()
        services.results_submit(session=session, by=None, pv_signed=True)
        ud_agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        services.session_validate(session=session, by=ud_agent, pv_number="PV-11")
        b.refresh_from_db()
        b.decision = Decision.REUSSITE
        with pytest.raises(ValidationError) as exc:
            b.save()
        assert "correction de l'unité départementale" in str(exc.value)
        row = b.resultats.get(ccp=c2)
        row.value = OB
        with pytest.raises(ValidationError):
            row.save()
        with pytest.raises(ValidationError):
            row.delete()
        # Fields outside the results (e.g. convocation tracking) stay writable.
        b.refresh_from_db()
        b.convocation_error = "Boîte pleine"
        b.save()
        b.refresh_from_db()
        assert b.decision == Decision.REUSSITE_PARTIELLE
        assert b.resultats.get(ccp=c2).value == N
