import datetime as dt

import pytest

from ceres.centres import rules
from ceres.centres.enums import DecisionAgrement as D
from ceres.centres.enums import StatutAgrement as S

pytestmark = pytest.mark.no_django_db

START, END = dt.date(2025, 1, 1), dt.date(2029, 12, 31)


def facts(decision=D.ACCEPTEE, start=START, end=END, **kw):
    base = {"titre_id": 1, "site_id": 10, "centre_id": 100, "ccs_id": None}
    base.update(kw)
    return rules.AgrementFacts(decision=decision, start_date=start, end_date=end, **base)


class TestStatus:
    @pytest.mark.parametrize(
        ("decision", "today", "expected"),
        [
            (D.EN_INSTRUCTION, dt.date(2026, 1, 1), S.EN_COURS_INSTRUCTION),
            # Release note CERES 1.2 / R5: "acceptée" is VALIDE within its dates, not "en cours d'instruction".
            (D.ACCEPTEE, dt.date(2026, 1, 1), S.VALIDE),
            (D.ACCEPTEE, START, S.VALIDE),
            (D.ACCEPTEE, END, S.VALIDE),
            (D.ACCEPTEE, dt.date(2024, 12, 31), S.A_VENIR),
            (D.ACCEPTEE, dt.date(2030, 1, 1), S.EXPIREE),
            (D.REFUSEE, dt.date(2026, 1, 1), S.REFUSEE),
            (D.RETIREE, dt.date(2026, 1, 1), S.RETIREE),
            (D.CLASSEE_SANS_SUITE, dt.date(2026, 1, 1), S.CLASSEE_SANS_SUITE),
        ],
    )
    def test_derived_status(self, decision, today, expected):
        assert rules.agrement_status(decision, START, END, today) == expected

    def test_unknown_decision_is_an_error(self):
        with pytest.raises(ValueError):
            rules.agrement_status("suspendue", START, END, dt.date(2026, 1, 1))

    def test_every_status_says_what_it_allows(self):
        assert all(rules.status_allows(s) for s in S)
        assert "CCS" in rules.status_allows(S.VALIDE, is_ccs=True)


class TestCovers:
    def test_valid_agrement_covers_session_days(self):
        assert rules.agrement_covers(facts(), days=[dt.date(2027, 3, 12), dt.date(2027, 3, 13)]) == []

    def test_no_agrement(self):
        assert rules.agrement_covers(None, days=[dt.date(2027, 3, 12)]) == [
            "Aucun agrément accepté pour ce titre sur ce site."
        ]

    def test_expired(self):
        reasons = rules.agrement_covers(facts(), days=[dt.date(2030, 3, 12)])
        assert reasons == ["L'agrément a expiré le 31/12/2029 : il ne couvre pas le 12/03/2030."]

    def test_session_straddling_the_end(self):
        reasons = rules.agrement_covers(facts(), days=[dt.date(2029, 12, 31), dt.date(2030, 1, 1)])
        assert len(reasons) == 1 and "01/01/2030" in reasons[0]

    def test_not_started(self):
        reasons = rules.agrement_covers(facts(), days=[dt.date(2024, 12, 20)])
        assert reasons == ["L'agrément ne couvre pas le 20/12/2024 : il ne commence que le 01/01/2025."]

    @pytest.mark.parametrize(
        ("decision", "fragment"),
        [
            (D.EN_INSTRUCTION, "en cours d'instruction"),
            (D.REFUSEE, "refusée"),
            (D.CLASSEE_SANS_SUITE, "classée sans suite"),
            (D.RETIREE, "retiré le 01/06/2026"),
        ],
    )
    def test_not_accepted(self, decision, fragment):
        reasons = rules.agrement_covers(
            facts(decision, decision_date=dt.date(2026, 6, 1)), days=[dt.date(2027, 3, 12)]
        )
        assert len(reasons) == 1 and fragment in reasons[0]

    def test_other_site_or_title(self):
        reasons = rules.agrement_covers(facts(), days=[dt.date(2027, 3, 12)], site_id=11, titre_id=2)
        assert any("site" in r for r in reasons) and any("titre" in r for r in reasons)

    @pytest.mark.parametrize("end", [dt.date(2029, 12, 31), dt.date(2030, 1, 1)])
    def test_end_on_the_title_last_day_or_end_of_life_is_extended(self, end):
        # Same reading as jurys.rules.habilitation_effective_end (docs/decisions/0003).
        reasons = rules.agrement_covers(
            facts(end=end),
            days=[dt.date(2031, 6, 1)],
            extended_end_date=dt.date(2031, 12, 31),
            titre_end_date=dt.date(2030, 1, 1),
        )
        assert reasons == []

    def test_earlier_end_is_not_extended(self):
        reasons = rules.agrement_covers(
            facts(end=dt.date(2029, 12, 30)),
            days=[dt.date(2031, 6, 1)],
            extended_end_date=dt.date(2031, 12, 31),
            titre_end_date=dt.date(2030, 1, 1),
        )
        assert reasons and "expiré le 30/12/2029" in reasons[0]

    def test_ccs_agrement_does_not_cover_the_title(self):
        reasons = rules.agrement_covers(facts(ccs_id=5), days=[dt.date(2027, 3, 12)], titre_id=1)
        assert reasons == ["Cet agrément ne vaut que pour le CCS, pas pour le titre."]
        assert rules.agrement_covers(facts(ccs_id=5), days=[dt.date(2027, 3, 12)], titre_id=1, ccs_id=5) == []

    def test_extension_decided_by_session_rules(self):
        day = dt.date(2030, 6, 1)
        assert rules.agrement_covers(facts(), days=[day])
        assert rules.agrement_covers(facts(), days=[day], extended_end_date=dt.date(2031, 12, 31)) == []

    def test_extension_only_for_agrement_running_to_end_of_life(self):
        day, extended = dt.date(2030, 6, 1), dt.date(2031, 12, 31)
        # Agrément ending with the title (31/12/2029 vs end of life 01/01/2030): extended.
        assert (
            rules.agrement_covers(facts(), days=[day], extended_end_date=extended, titre_end_date=dt.date(2030, 1, 1))
            == []
        )
        # Agrément that stopped a year before the title's end of life: not extended.
        reasons = rules.agrement_covers(
            facts(), days=[day], extended_end_date=extended, titre_end_date=dt.date(2031, 1, 1)
        )
        assert reasons == ["L'agrément a expiré le 31/12/2029 : il ne couvre pas le 01/06/2030."]


class TestPeriod:
    def test_reversed_dates(self):
        errors = rules.period_errors(start_date=END, end_date=START, titre_end_date=None)
        assert errors == ["La date de fin (01/01/2025) est antérieure à la date de début (31/12/2029)."]

    def test_end_beyond_title_end_of_life(self):
        errors = rules.period_errors(start_date=START, end_date=END, titre_end_date=dt.date(2028, 7, 1))
        assert len(errors) == 1 and "fin de vie" in errors[0]

    def test_ok(self):
        assert rules.period_errors(start_date=START, end_date=END, titre_end_date=dt.date(2030, 1, 1)) == []


class TestCcs:
    def test_requires_valid_parent(self):
        assert rules.ccs_errors(is_ccs=True, parent_statuses=[]) != []
        assert rules.ccs_errors(is_ccs=True, parent_statuses=[S.EXPIREE, S.REFUSEE]) != []
        assert rules.ccs_errors(is_ccs=True, parent_statuses=[S.VALIDE]) == []
        assert rules.ccs_errors(is_ccs=False, parent_statuses=[]) == []


class TestDecisions:
    def test_instruction_outcomes(self):
        assert rules.decision_errors(D.EN_INSTRUCTION, D.ACCEPTEE) == []
        assert rules.decision_errors(D.EN_INSTRUCTION, D.REFUSEE, reason="Dossier incomplet") == []

    def test_refusal_and_withdrawal_need_a_reason(self):
        assert rules.decision_errors(D.EN_INSTRUCTION, D.REFUSEE) == [
            "Un motif est obligatoire pour la décision « Refusée »."
        ]
        assert rules.decision_errors(D.ACCEPTEE, D.RETIREE, reason="  ") != []

    def test_forbidden_transitions(self):
        assert rules.decision_errors(D.REFUSEE, D.ACCEPTEE) == ["Impossible de passer de « Refusée » à « Acceptée »."]
        assert rules.decision_errors(D.EN_INSTRUCTION, D.RETIREE, reason="x") != []

    def test_decision_date_today_or_past_and_not_before_the_previous_decision(self):
        today = dt.date(2026, 3, 1)
        ok = rules.decision_errors(D.EN_INSTRUCTION, D.ACCEPTEE, decision_date=today, today=today)
        assert ok == []
        future = rules.decision_errors(D.EN_INSTRUCTION, D.ACCEPTEE, decision_date=dt.date(2026, 3, 2), today=today)
        assert future == [
            "La date de la décision (02/03/2026) est dans le futur : "
            "enregistrez la décision le jour où elle est prise."
        ]
        assert rules.decision_errors(
            D.ACCEPTEE,
            D.RETIREE,
            reason="Contrôle négatif",
            decision_date=dt.date(2025, 12, 31),
            today=today,
            previous_decision_date=dt.date(2026, 1, 15),
        ) == ["La date de la décision (31/12/2025) précède la décision précédente sur cet agrément (15/01/2026)."]


class TestRequestOverlap:
    START, END = dt.date(2027, 1, 1), dt.date(2029, 12, 31)

    def errors(self, *existing):
        return rules.request_overlap_errors(start_date=self.START, end_date=self.END, existing=existing)

    def test_pending_or_granted_overlap_is_refused_with_the_period(self):
        assert self.errors((D.EN_INSTRUCTION, dt.date(2027, 6, 1), dt.date(2030, 5, 31))) == [
            "Une demande pour ce titre sur ce site, du 01/06/2027 au 31/05/2030, est déjà en cours d'instruction : "
            "attendez la décision de la DREETS."
        ]
        assert self.errors((D.ACCEPTEE, dt.date(2024, 1, 1), dt.date(2027, 1, 1))) == [
            "Un agrément accordé du 01/01/2024 au 01/01/2027 couvre déjà une partie de cette période : "
            "un renouvellement commence au plus tôt le 02/01/2027."
        ]

    def test_renewal_from_the_next_day_and_closed_requests_do_not_block(self):
        assert self.errors((D.ACCEPTEE, dt.date(2024, 1, 1), dt.date(2026, 12, 31))) == []
        assert self.errors((D.EN_INSTRUCTION, dt.date(2030, 1, 1), dt.date(2031, 1, 1))) == []
        for closed in (D.REFUSEE, D.CLASSEE_SANS_SUITE, D.RETIREE):
            assert self.errors((closed, self.START, self.END)) == []
