import datetime

import pytest

from ceres.examens import rules
from ceres.examens.enums import Decision, EntretienFinal, ResultatCcpValeur, StatutSession, TypeSession, VoieAcces

pytestmark = pytest.mark.no_django_db

D = datetime.date
T = datetime.time
EOL = D(2025, 1, 1)


class TestDefaults:
    def test_start_today_at_8_and_convocation_first_day_at_8(self):
        s = rules.default_schedule(D(2026, 3, 4))
        assert (s.start_date, s.start_time) == (D(2026, 3, 4), datetime.time(8, 0))
        assert (s.convocation_date, s.convocation_time) == (D(2026, 3, 4), datetime.time(8, 0))
        assert rules.schedule_errors(s) == []

    def test_convocation_after_start_refused_with_explanation(self):
        s = rules.Schedule(D(2026, 3, 4), D(2026, 3, 5), datetime.time(8, 0), D(2026, 3, 4), datetime.time(9, 0))
        [error] = rules.schedule_errors(s)
        assert "postérieure au début des épreuves" in error and "09:00" in error

    def test_earlier_convocation_and_end_before_start(self):
        ok = rules.Schedule(D(2026, 3, 4), D(2026, 3, 4), datetime.time(9, 0), D(2026, 3, 3), datetime.time(14, 0))
        assert rules.schedule_errors(ok) == []
        bad = rules.Schedule(D(2026, 3, 4), D(2026, 3, 3), datetime.time(9, 0), D(2026, 3, 3), datetime.time(8, 0))
        assert "fin de la session" in rules.schedule_errors(bad)[0]


class TestEndOfLife:
    def check(self, months_after, centre_type, recorded_on=None):
        last_day = rules.add_months(EOL, months_after)
        return rules.title_examinability(
            end_of_life=EOL, last_day=last_day, centre_type=centre_type, recorded_on=recorded_on or last_day
        )

    def test_before_end_of_life_everybody(self):
        r = rules.title_examinability(
            end_of_life=EOL, last_day=D(2024, 12, 31), centre_type="organisme_prive", recorded_on=D(2024, 1, 1)
        )
        assert r.errors == [] and not r.in_prolongation

    def test_cfa_20_months_after_allowed(self):
        assert self.check(20, "cfa").errors == []
        assert self.check(20, "crp").in_prolongation

    def test_private_20_months_after_refused_and_told_why(self):
        [error] = self.check(20, "organisme_prive").errors
        assert "12 mois" in error and "CFA ou CRP" in error

    def test_nobody_25_months_after(self):
        for kind in ("cfa", "crp", "organisme_prive", "afpa"):
            assert self.check(25, kind).errors

    def test_prolongation_needs_recording_before_end_of_life(self):
        assert self.check(6, "greta", recorded_on=D(2024, 12, 1)).errors == []
        [error] = self.check(6, "greta").errors
        assert "enregistrée avant" in error

    def test_delays_count_from_the_last_valid_day(self):
        # End of life 29/02/2028: last valid day 28/02/2028; CFA/CRP until 28/02/2030 (art. 641), not 27/02/2030.
        eol = D(2028, 2, 29)
        kwargs = {"end_of_life": eol, "centre_type": "cfa", "recorded_on": D(2027, 1, 1)}
        assert rules.title_examinability(last_day=D(2030, 2, 28), **kwargs).errors == []
        [error] = rules.title_examinability(last_day=D(2030, 3, 1), **kwargs).errors
        assert "jusqu'au 28/02/2030" in error
        kwargs["centre_type"] = "greta"
        assert rules.title_examinability(last_day=D(2029, 2, 28), **kwargs).errors == []
        [error] = rules.title_examinability(last_day=D(2029, 3, 1), **kwargs).errors
        assert "s'achève le 28/02/2029" in error
        assert rules.prolongation_last_day(
            end_of_life=eol, centre_type="crp", prolongation_months=12, cfa_crp_months=24
        ) == D(2030, 2, 28)

    def test_no_end_of_life(self):
        r = rules.title_examinability(
            end_of_life=None, last_day=D(2030, 1, 1), centre_type="", recorded_on=D(2030, 1, 1)
        )
        assert r.errors == []


def reg(**kw):
    base = dict(
        session_type=TypeSession.CCP,
        session_start=D(2026, 6, 1),
        route=VoieAcces.FORMATION_CONTINUE,
        targeted_ccps={1: "CCP1 Accueil", 2: "CCP2 Gestion"},
    )
    base.update(kw)
    return rules.Registration(**base)


class TestRegistration:
    def test_ok(self):
        assert rules.registration_errors(reg()) == []

    def test_obtained_ccp_cannot_be_sat_again(self):
        [error] = rules.registration_errors(reg(obtained_ccps=frozenset({2})))
        assert "CCP2 Gestion" in error and "déjà obtenu" in error

    def test_ccs_requires_title(self):
        assert "titulaires" in rules.registration_errors(reg(session_type=TypeSession.CCS, targeted_ccps={}))[0]
        assert rules.registration_errors(reg(session_type=TypeSession.CCS, targeted_ccps={}, has_title=True)) == []

    def test_vae_admissibility_less_than_one_year(self):
        assert rules.registration_errors(reg(route=VoieAcces.VAE))  # missing date
        assert rules.registration_errors(reg(route=VoieAcces.VAE, vae_admissibility_date=D(2025, 7, 1))) == []
        [error] = rules.registration_errors(reg(route=VoieAcces.VAE, vae_admissibility_date=D(2025, 5, 1)))
        assert "nouvelle recevabilité" in error

    def test_resit_within_one_year_for_training_route(self):
        assert rules.registration_errors(reg(last_failed_or_partial=D(2025, 9, 1))) == []
        [error] = rules.registration_errors(reg(last_failed_or_partial=D(2025, 3, 1)))
        assert "12 mois" in error
        # New training after the failure: allowed again.
        assert rules.registration_errors(reg(last_failed_or_partial=D(2025, 3, 1), training_start=D(2025, 9, 1))) == []
        # VAE candidates are not bound by the training re-sit window.
        assert (
            rules.registration_errors(
                reg(route=VoieAcces.VAE, vae_admissibility_date=D(2026, 1, 1), last_failed_or_partial=D(2024, 1, 1))
            )
            == []
        )

    def test_prolongation_eligibility(self):
        late = dict(in_prolongation=True, end_of_life=D(2026, 1, 1))
        [error] = rules.registration_errors(reg(training_start=D(2026, 2, 1), **late))
        assert "fin de vie" in error
        assert rules.registration_errors(reg(training_start=D(2025, 9, 1), **late)) == []
        assert rules.registration_errors(reg(last_failed_or_partial=D(2025, 10, 1), **late)) == []

    def test_already_registered(self):
        assert "déjà inscrit" in rules.registration_errors(reg(already_registered=True))[0]


class TestTransitions:
    def test_table(self):
        S = StatutSession
        assert rules.transition_errors(S.EN_PREPARATION, S.CONVOCATIONS_ENVOYEES, actor=rules.SYSTEM) == []
        assert rules.transition_errors(S.RESULTATS_SAISIS, S.VALIDEE, actor=rules.UD) == []
        assert "unité départementale" in rules.transition_errors(S.RESULTATS_SAISIS, S.VALIDEE, actor=rules.CENTRE)[0]
        assert rules.transition_errors(S.EN_PREPARATION, S.VALIDEE, actor=rules.UD)
        assert rules.transition_errors(S.VALIDEE, S.ANNULEE, actor=rules.UD)

    def test_reason_required_for_return_and_cancel(self):
        S = StatutSession
        assert "motif" in rules.transition_errors(S.RESULTATS_SAISIS, S.RENVOYEE, actor=rules.UD)[0]
        assert rules.transition_errors(S.RESULTATS_SAISIS, S.RENVOYEE, actor=rules.UD, reason="PV illisible") == []
        assert rules.transition_errors(S.RENVOYEE, S.RESULTATS_SAISIS, actor=rules.CENTRE) == []

    def test_next_states(self):
        assert rules.next_states(StatutSession.RESULTATS_SAISIS, rules.UD) == [
            StatutSession.VALIDEE,
            StatutSession.RENVOYEE,
            StatutSession.ANNULEE,
        ]


class TestOutcome:
    OK, N, P = ResultatCcpValeur.OBTENU, ResultatCcpValeur.NON_OBTENU, ResultatCcpValeur.NON_PRESENTE

    def test_titre_session_all_obtained_with_final_interview(self):
        o = rules.outcome(
            session_type=TypeSession.TITRE,
            ccp_results={1: self.OK, 2: self.OK},
            title_ccps=[1, 2],
            entretien_final=EntretienFinal.FAVORABLE,
        )
        assert o.decision == Decision.REUSSITE and o.title_awarded and o.ccps_awarded == {1, 2}

    def test_partial_success(self):
        o = rules.outcome(
            session_type=TypeSession.TITRE,
            ccp_results={1: self.OK, 2: self.N},
            title_ccps=[1, 2],
            entretien_final=EntretienFinal.FAVORABLE,
        )
        assert o.decision == Decision.REUSSITE_PARTIELLE and not o.title_awarded and o.ccps_awarded == {1}

    def test_capitalisation_last_ccp_session_needs_final_interview(self):
        kw = dict(session_type=TypeSession.CCP, ccp_results={2: self.OK}, title_ccps=[1, 2], obtained_before=[1])
        o = rules.outcome(**kw)
        assert not o.title_awarded and "entretien final" in o.errors[0]
        o = rules.outcome(**kw, entretien_final=EntretienFinal.FAVORABLE)
        assert o.title_awarded and o.decision == Decision.REUSSITE and o.ccps_awarded == {2}

    def test_absent_and_failure(self):
        o = rules.outcome(session_type=TypeSession.CCP, ccp_results={1: self.P}, title_ccps=[1, 2])
        assert o.decision == Decision.ABSENT
        o = rules.outcome(session_type=TypeSession.CCP, ccp_results={1: self.N}, title_ccps=[1, 2])
        assert o.decision == Decision.ECHEC
        assert rules.outcome(session_type=TypeSession.CCP, ccp_results={1: ""}, title_ccps=[1]).errors

    def test_single_block_title_no_partial(self):
        o = rules.outcome(
            session_type=TypeSession.TITRE,
            ccp_results={1: self.OK},
            title_ccps=[1],
            entretien_final=EntretienFinal.DEFAVORABLE,
            partial_success_allowed=False,
        )
        assert o.decision == Decision.ECHEC and not o.ccps_awarded

    def test_ccs(self):
        assert rules.outcome(
            session_type=TypeSession.CCS, ccp_results={}, title_ccps=[], ccs_result=self.OK
        ).ccs_awarded


class TestChecklistAndValidation:
    def test_checklist(self):
        rows = [
            rules.CandidateRow("Alice MARTIN", Decision.REUSSITE),
            rules.CandidateRow("Bob DURAND", ""),
            rules.CandidateRow("Chloé PETIT", Decision.ABSENT),
        ]
        errors = rules.finalisation_checklist(rows=rows, jury_count=1, pv_signed=False)
        assert any("Bob DURAND" in e for e in errors)
        assert any("Chloé PETIT" in e and "justifiée" in e for e in errors)
        assert any("au moins 2" in e for e in errors)
        assert any("procès-verbal" in e for e in errors)
        rows = [rules.CandidateRow("Alice MARTIN", Decision.REUSSITE)]
        assert rules.finalisation_checklist(rows=rows, jury_count=2, pv_signed=True) == []

    def test_validation_only_by_the_session_ud(self):
        assert rules.validation_errors(user_departement_id=1, session_departement_id=1, pv_number="PV-1") == []
        assert rules.validation_errors(user_departement_id=2, session_departement_id=1, pv_number="PV-1")
        assert (
            "procès-verbal"
            in rules.validation_errors(user_departement_id=1, session_departement_id=1, pv_number=" ")[0]
        )

    def test_results_entry_and_start(self):
        assert (
            rules.results_entry_errors(status=StatutSession.EN_COURS, start_date=D(2026, 1, 1), today=D(2026, 1, 1))
            == []
        )
        assert rules.results_entry_errors(status=StatutSession.VALIDEE, start_date=D(2026, 1, 1), today=D(2026, 2, 1))
        assert rules.start_errors(start_date=D(2026, 1, 2), today=D(2026, 1, 1))

    def test_delays(self):
        d = rules.delays(end_date=D(2026, 1, 1), submitted_on=D(2026, 1, 4), validated_on=D(2026, 1, 14))
        assert d == {"saisie": 3, "validation": 10, "total": 13}


class TestConvocationFollowsTheFirstDay:
    SHOWN = "2026-12-03T08:00"

    def test_left_at_the_value_shown_follows(self):
        assert rules.left_as_shown(shown=self.SHOWN, submitted_date=D(2026, 12, 3), submitted_time=T(8, 0))
        assert not rules.left_as_shown(shown=self.SHOWN, submitted_date=D(2026, 12, 3), submitted_time=T(7, 30))
        assert not rules.left_as_shown(shown="", submitted_date=D(2026, 12, 3), submitted_time=T(8, 0))

    def test_a_following_convocation_moves_to_the_new_first_day_at_8(self):
        conv = rules.next_convocation(start_date=D(2027, 1, 15), requested=None)
        assert conv == rules.Convocation(D(2027, 1, 15), T(8, 0), explicit=False)
        current = rules.Convocation(D(2026, 12, 3), T(8, 0), explicit=False)
        assert rules.next_convocation(start_date=D(2027, 1, 15), requested=None, current=current).date == D(
            2027, 1, 15
        )

    def test_an_explicit_convocation_is_kept_when_dates_change(self):
        current = rules.Convocation(D(2027, 1, 14), T(17, 0), explicit=True)
        assert rules.next_convocation(start_date=D(2027, 1, 20), requested=None, current=current) == current

    def test_a_typed_value_is_explicit_unless_it_is_the_default(self):
        typed = rules.next_convocation(start_date=D(2027, 1, 15), requested=(D(2027, 1, 14), T(17, 0)))
        assert typed.explicit
        default = rules.next_convocation(start_date=D(2027, 1, 15), requested=(D(2027, 1, 15), T(8, 0)))
        assert not default.explicit

    def test_explicit_convocation_too_early_is_refused_with_the_parameter(self):
        schedule = rules.Schedule(D(2027, 1, 15), D(2027, 1, 15), T(8, 0), D(2027, 1, 10), T(8, 0))
        [error] = rules.convocation_lead_errors(schedule, max_days_before=3)
        assert "précède de 5 jours le premier jour de la session (15/01/2027)" in error
        assert "3 jours au plus (paramètre national)" in error
        ok = rules.Schedule(D(2027, 1, 15), D(2027, 1, 15), T(8, 0), D(2027, 1, 12), T(17, 0))
        assert rules.convocation_lead_errors(ok, max_days_before=3) == []

    def test_tests_starting_before_8_bring_the_following_convocation_with_them(self):
        # R4 reads « first day at 08:00 »; a convocation after the start is refused, so the default never is one.
        assert rules.default_convocation(D(2027, 1, 15), T(7, 30)) == (D(2027, 1, 15), T(7, 30))
        assert rules.default_convocation(D(2027, 1, 15), T(9, 0)) == (D(2027, 1, 15), T(8, 0))
        conv = rules.next_convocation(start_date=D(2027, 1, 15), start_time=T(6, 45), requested=None)
        assert conv == rules.Convocation(D(2027, 1, 15), T(6, 45), explicit=False)
        schedule = rules.Schedule(D(2027, 1, 15), D(2027, 1, 15), T(6, 45), conv.date, conv.time)
        assert rules.schedule_errors(schedule) == []

    @pytest.mark.parametrize(
        ("requested", "expected"),
        [
            ((None, T(7, 30)), (D(2027, 2, 1), T(7, 30))),  # a time alone: on the new first day
            ((D(2027, 1, 31), None), (D(2027, 1, 31), T(8, 0))),  # a date alone: at the default time
            ((None, T(8, 0)), (D(2027, 2, 1), T(8, 0))),  # the default itself: still following
        ],
    )
    def test_half_a_convocation_completes_the_following_one(self, requested, expected):
        # An API client may send only the time, with new dates: it is not the old first day's convocation.
        following = rules.Convocation(D(2027, 1, 15), T(8, 0), explicit=False)
        conv = rules.next_convocation(start_date=D(2027, 2, 1), requested=requested, current=following)
        assert (conv.date, conv.time) == expected
        assert conv.explicit == (expected != (D(2027, 2, 1), T(8, 0)))

    def test_half_a_convocation_completes_the_one_set_by_the_user(self):
        kept = rules.Convocation(D(2027, 1, 14), T(17, 0), explicit=True)
        conv = rules.next_convocation(start_date=D(2027, 1, 15), requested=(None, T(18, 0)), current=kept)
        assert (conv.date, conv.time, conv.explicit) == (D(2027, 1, 14), T(18, 0), True)

    def test_any_stored_convocation_is_checked_before_letters(self):
        # The old default left sessions convened on their creation day, 43 days before the first day.
        stored = rules.Schedule(D(2027, 1, 15), D(2027, 1, 15), T(8, 0), D(2026, 12, 3), T(8, 0))
        [error] = rules.convocation_date_errors(stored, max_days_before=3)
        assert "précède de 43 jours le premier jour de la session (15/01/2027)" in error
        late = rules.Schedule(D(2027, 1, 15), D(2027, 1, 15), T(8, 0), D(2027, 1, 15), T(9, 0))
        assert "postérieure au début des épreuves" in rules.convocation_date_errors(late, max_days_before=3)[0]
        ok = rules.Schedule(D(2027, 1, 15), D(2027, 1, 16), T(8, 0), D(2027, 1, 15), T(8, 0))
        assert rules.convocation_date_errors(ok, max_days_before=0) == []

    def test_data_quality_gap(self):
        assert rules.convocation_before_first_day(convocation_date=D(2026, 12, 3), start_date=D(2027, 1, 15)) == 43
        assert rules.convocation_before_first_day(convocation_date=D(2027, 1, 15), start_date=D(2027, 1, 15)) == 0


class TestPastDates:
    TODAY = D(2026, 12, 3)

    def test_centre_refused_with_the_reason(self):
        [error] = rules.past_date_errors(start_date=D(2026, 12, 2), today=self.TODAY, actor=rules.CENTRE)
        assert "02/12/2026, date déjà passée" in error and "l'unité départementale peut l'enregistrer" in error
        assert rules.past_date_errors(start_date=self.TODAY, today=self.TODAY, actor=rules.CENTRE) == []

    def test_ud_records_only_past_sessions(self):
        [error] = rules.past_date_errors(start_date=self.TODAY, today=self.TODAY, actor=rules.UD, reason="x")
        assert "date à venir : c'est le centre qui crée ses sessions" in error

    def test_ud_needs_a_reason(self):
        [error] = rules.past_date_errors(start_date=D(2026, 11, 2), today=self.TODAY, actor=rules.UD)
        assert "indiquez le motif" in error
        assert (
            rules.past_date_errors(start_date=D(2026, 11, 2), today=self.TODAY, actor=rules.UD, reason="PV reçu") == []
        )


class TestLateResults:
    def flag(self, status, submitted_on=None, today=None):
        return rules.results_delay_flag(
            status=status,
            end_date=D(2026, 12, 1),
            submitted_on=submitted_on,
            today=today or D(2026, 12, 20),
            max_days=15,
        )

    def test_awaiting_results_past_the_delay(self):
        assert self.flag(StatutSession.EN_COURS) == "Résultats en retard de 4 j"
        assert self.flag(StatutSession.EN_COURS, today=D(2026, 12, 16)) == ""
        assert self.flag(StatutSession.ANNULEE) == ""

    def test_submitted_late(self):
        assert (
            self.flag(StatutSession.VALIDEE, submitted_on=D(2026, 12, 18)) == "Résultats transmis avec 2 j de retard"
        )
        assert self.flag(StatutSession.RESULTATS_SAISIS, submitted_on=D(2026, 12, 5)) == ""


class TestJuryRecheckAndConfirmations:
    def test_step_errors_name_the_step_then_the_reasons(self):
        assert rules.jury_step_errors("start", []) == []
        errors = rules.jury_step_errors("validate", ["Paul DURAND ne peut plus siéger.", "Habilitation retirée."])
        assert errors[0].startswith("Impossible de valider la session : le jury n'a plus deux membres habilités")
        assert errors[1:] == ["Paul DURAND ne peut plus siéger.", "Habilitation retirée."]

    @pytest.mark.parametrize("action", ["cancel", "unregister", "remove_juror", "return"])
    def test_reason_is_mandatory_for_every_destructive_action(self, action):
        assert rules.reason_errors(action, "  ")
        assert rules.reason_errors(action, "Erreur de saisie") == []
        assert "{name}" in rules.DESTRUCTIVE[action].consequence


class TestConfirmationDetails:
    def test_cancel_counts_who_was_convened_and_the_results_lost(self):
        facts = rules.DestructiveFacts(registered=12, convened_candidates=10, jurors=2, convened_jurors=2)
        details = rules.destructive_details("cancel", facts)
        assert details[0] == "Elle compte 12 candidats inscrits et 2 membres du jury."
        assert details[1].startswith("12 personnes ont déjà reçu sa convocation : CERES ne les prévient pas")
        one = rules.destructive_details("cancel", rules.DestructiveFacts(registered=1, jurors=1, with_results=1))
        assert one[0] == "Elle compte 1 candidat inscrit et 1 membre du jury."
        assert "ne seront jamais validés" in one[1]

    def test_removing_a_juror_says_when_the_jury_falls_below_two(self):
        details = rules.destructive_details(
            "remove_juror", rules.DestructiveFacts(sent_on=D(2026, 12, 1), able_jurors_after=1)
        )
        assert details[0].startswith("Sa convocation lui a été envoyée le 01/12/2026")
        assert details[1].startswith("Le jury comptera ensuite 1 membre habilité, moins que les 2 exigés")
        enough = rules.destructive_details("remove_juror", rules.DestructiveFacts(able_jurors_after=2))
        assert enough == [
            "Aucune convocation ne lui a encore été envoyée.",
            "Le jury comptera ensuite 2 membres habilités.",
        ]

    def test_return_and_unregister(self):
        assert (
            "3 candidats redeviennent modifiables"
            in rules.destructive_details("return", rules.DestructiveFacts(registered=3))[0]
        )
        assert rules.destructive_details("unregister", rules.DestructiveFacts()) == [
            "Aucune convocation ne lui a encore été envoyée."
        ]


class TestSignedPvUpload:
    def test_a_pdf_of_bounded_size_of_an_opened_session(self):
        ok = {"status": "en_cours", "head": b"%PDF-", "size": 100, "max_size": 1000}
        assert rules.pv_upload_refusals(**ok) == []
        assert rules.pv_upload_refusals(**{**ok, "head": b"GIF89"})  # named .pdf or not, it is not a PDF
        assert rules.pv_upload_refusals(**{**ok, "size": 1001})
        assert rules.pv_upload_refusals(**{**ok, "size": 0})
        assert rules.pv_upload_refusals(**{**ok, "status": "en_preparation"})
        assert rules.pv_upload_refusals(**{**ok, "status": "validee"}) == []
