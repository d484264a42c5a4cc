import datetime as dt

import pytest

from ceres.jurys import rules
from ceres.jurys.enums import StatutHabilitation

pytestmark = pytest.mark.no_django_db

FIN_DE_VIE = dt.date(2028, 8, 1)


def effective(**kwargs):
    values = {"end_date": None, "until_end_of_life": False, "titre_end_of_life": FIN_DE_VIE, "extension_months": 24}
    return rules.habilitation_effective_end(**(values | kwargs))


class TestEffectiveEnd:
    def test_until_end_of_life_is_extended_24_months_and_says_why(self):
        end = effective(until_end_of_life=True)
        assert end.date == dt.date(2030, 7, 31)
        assert end.extended
        assert end.explanation == (
            "Prolongée jusqu'au 31/07/2030 : fin de vie du titre le 01/08/2028, sessions CFA/CRP possibles "
            "24 mois au-delà."
        )

    def test_end_date_equal_to_end_of_life_is_extended_too(self):
        end = effective(end_date=FIN_DE_VIE)
        assert end.date == dt.date(2030, 7, 31)
        assert end.extended

    def test_end_date_on_the_last_valid_day_is_extended_like_the_agrement(self):
        # One reading (docs/decisions/0003): an end on 31/07/2028, the last valid day of a title ending 01/08/2028,
        # runs "until the end of life", for habilitations as for agréments (centres.rules.agrement_covers).
        end = effective(end_date=dt.date(2028, 7, 31))
        assert end.date == dt.date(2030, 7, 31) and end.extended
        assert not effective(end_date=dt.date(2028, 7, 30)).extended

    def test_end_of_life_on_29_february_extends_to_28_february(self):
        # Counted from the last valid day 28/02/2028 (Code de procédure civile art. 641): 28/02/2030, not 27/02.
        assert effective(until_end_of_life=True, titre_end_of_life=dt.date(2028, 2, 29)).date == dt.date(2030, 2, 28)

    def test_earlier_end_date_is_not_extended(self):
        end = effective(end_date=dt.date(2027, 1, 1))
        assert end.date == dt.date(2027, 1, 1)
        assert not end.extended
        assert "non prolongée" in end.explanation
        assert "01/01/2027" in end.explanation

    def test_extension_follows_the_national_parameter(self):
        assert effective(until_end_of_life=True, extension_months=12).date == dt.date(2029, 7, 31)

    def test_title_without_end_of_life_gives_no_end(self):
        end = effective(until_end_of_life=True, titre_end_of_life=None)
        assert end.date is None
        assert not end.extended

    @pytest.mark.parametrize("end_of_life", [FIN_DE_VIE, dt.date(2028, 2, 29), dt.date(2028, 12, 31)])
    def test_extended_end_is_the_last_day_a_cfa_session_may_run(self, end_of_life):
        # Same date on the habilitation screen and in the session check (title end of life is exclusive).
        from ceres.examens.rules import title_examinability

        last = effective(until_end_of_life=True, titre_end_of_life=end_of_life).date
        kwargs = {"end_of_life": end_of_life, "centre_type": "cfa", "recorded_on": dt.date(2027, 1, 1)}
        assert not title_examinability(last_day=last, **kwargs).errors
        assert title_examinability(last_day=last + dt.timedelta(days=1), **kwargs).errors


class TestCovers:
    def covers(self, days, **kwargs):
        values = {"status": StatutHabilitation.ACTIVE, "start_date": dt.date(2024, 1, 1)} | kwargs
        values.setdefault("effective_end", effective(until_end_of_life=True).date)
        return rules.habilitation_covers(days=days, **values)

    @pytest.mark.parametrize("day", [dt.date(2029, 6, 1), dt.date(2030, 7, 30), dt.date(2030, 7, 31)])
    def test_extended_habilitation_covers_sessions_after_end_of_life(self, day):
        assert self.covers([day]) == []

    def test_not_after_the_extension(self):
        assert self.covers([dt.date(2030, 8, 1)]) == [
            "L'habilitation prend fin le 31/07/2030 (session le 01/08/2030)."
        ]

    def test_every_session_day_must_be_covered(self):
        errors = self.covers([dt.date(2030, 7, 31), dt.date(2030, 8, 1)])
        assert errors == ["L'habilitation prend fin le 31/07/2030 (session le 01/08/2030)."]

    def test_fixed_end_is_not_extended(self):
        end = effective(end_date=dt.date(2027, 1, 1)).date
        assert self.covers([dt.date(2029, 6, 1)], effective_end=end)

    def test_before_start_suspended_and_withdrawn(self):
        assert self.covers([dt.date(2023, 12, 31)]) == [
            "L'habilitation ne commence que le 01/01/2024 (session le 31/12/2023)."
        ]
        assert self.covers([dt.date(2025, 1, 1)], status=StatutHabilitation.SUSPENDUE) == [
            "L'habilitation est suspendue."
        ]
        assert self.covers([dt.date(2025, 1, 1)], status=StatutHabilitation.RETIREE) == [
            "L'habilitation a été retirée."
        ]


class TestConflicts:
    def test_trainer_of_a_candidate_is_refused(self):
        assert rules.juror_conflicts(membre_id=7, trainer_membre_ids=[7]) == [
            "Ce juré a formé ou accompagné un candidat inscrit à la session."
        ]
        assert rules.juror_conflicts(membre_id=1, trainer_membre_ids=[7]) == []

    def test_the_refusal_names_the_candidates_trained(self):
        assert rules.juror_conflicts(membre_id=7, trainees={7: ["Alice MARTIN"]}) == [
            "Ce juré a formé ou accompagné Alice MARTIN, inscrit(e) à la session."
        ]
        assert rules.juror_conflicts(membre_id=7, trainees={7: ["Bruno LEROY", "Alice MARTIN"]}) == [
            "Ce juré a formé ou accompagné Alice MARTIN et Bruno LEROY, inscrits à la session."
        ]
        assert rules.juror_conflicts(membre_id=1, trainees={7: ["Alice MARTIN"]}) == []


class TestWarnings:
    JUROR = rules.JurorIdentity(
        employer_siret="732 829 320 00074",
        employer_name_key="boulangerie martin",
        name_keys=frozenset({"durand"}),
        first_name_key="paul",
    )

    def test_same_employer_as_a_candidate_by_siret_or_name_is_a_warning_naming_them(self):
        alice = rules.CandidateLinks("Alice MARTIN", employer_siret="73282932000074")
        bob = rules.CandidateLinks("Bob LEROY", employer_name_key="boulangerie martin")
        assert rules.juror_warnings(self.JUROR, candidates=[alice]) == [
            "Même employeur que Alice MARTIN : ne doit pas délibérer sur ce candidat."
        ]
        juror = rules.JurorIdentity(employer_name_key="boulangerie martin")
        assert rules.juror_warnings(juror, candidates=[alice, bob]) == [
            "Même employeur que Bob LEROY : ne doit pas délibérer sur ce candidat."
        ]

    def test_different_sirets_are_different_employers_even_with_the_same_name(self):
        other = rules.CandidateLinks("Alice", employer_siret="55208131766522", employer_name_key="boulangerie martin")
        assert rules.juror_warnings(self.JUROR, candidates=[other]) == []

    def test_employed_by_the_examining_centre(self):
        [warning] = rules.juror_warnings(self.JUROR, centre_siret="73282932000074")
        assert warning.startswith("Employé(e) par le centre qui organise la session")

    def test_free_trainer_name_matching_the_juror(self):
        trained = rules.CandidateLinks("Alice MARTIN", trainer_name_key="paul durand")
        [warning] = rules.juror_warnings(self.JUROR, candidates=[trained])
        assert "Formateur ou accompagnateur de Alice MARTIN" in warning and "ne peut pas siéger" in warning
        assert rules.juror_warnings(self.JUROR, candidates=[rules.CandidateLinks("A", trainer_name_key="paul")]) == []

    def test_unknown_employer_is_no_warning(self):
        assert rules.juror_warnings(rules.JurorIdentity(), candidates=[rules.CandidateLinks("A")]) == []


class TestSameCompany:
    """Two establishments of one company (same SIREN, the first nine digits of the SIRET) are one employer."""

    JUROR = rules.JurorIdentity(employer_siret="73282932000074", employer_name_key="transports dupont")

    def test_another_establishment_of_the_candidate_employer(self):
        alice = rules.CandidateLinks("Alice MARTIN", employer_siret="732 829 320 00108")
        assert rules.juror_warnings(self.JUROR, candidates=[alice]) == [
            "Même employeur que Alice MARTIN : ne doit pas délibérer sur ce candidat."
        ]

    def test_another_establishment_of_the_examining_centre(self):
        [warning] = rules.juror_warnings(self.JUROR, centre_siret="73282932000116")
        assert warning.startswith("Employé(e) par le centre qui organise la session")

    def test_a_member_of_the_centre_staff_without_employer_recorded(self):
        [warning] = rules.juror_warnings(rules.JurorIdentity(), centre_staff=True)
        assert warning.startswith("Membre de l'équipe du centre qui organise la session")

    def test_another_company(self):
        other = rules.CandidateLinks("Alice", employer_siret="55208131766522")
        assert rules.juror_warnings(self.JUROR, candidates=[other], centre_siret="55208131766522") == []


class TestJurySize:
    """The one jury-size rule (arrêté du 22 décembre 2015, art. 6), used by examens at every step."""

    def test_two_members_are_enough(self):
        assert rules.jury_size_errors(2) == []
        assert rules.jury_size_errors(3) == []

    def test_fewer_than_two_is_refused_with_the_count(self):
        assert rules.jury_size_errors(1) == ["Le jury doit compter au moins 2 membres habilités (il en compte 1)."]
        assert rules.jury_size_errors(0) == ["Le jury doit compter au moins 2 membres habilités (il en compte 0)."]


class TestDatesAndStatus:
    def test_incoherent_dates(self):
        errors = rules.habilitation_dates_errors(
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2025, 1, 1),
            until_end_of_life=False,
            titre_start=None,
            titre_end_of_life=FIN_DE_VIE,
        )
        assert errors == ["La fin (01/01/2025) précède le début (01/01/2026)."]
        assert rules.habilitation_dates_errors(
            start_date=dt.date(2029, 1, 1),
            end_date=None,
            until_end_of_life=True,
            titre_start=None,
            titre_end_of_life=FIN_DE_VIE,
        ) == ["Le début (01/01/2029) est postérieur à la fin de vie du titre (01/08/2028)."]

    def test_status_transitions(self):
        assert rules.habilitation_status_errors(StatutHabilitation.ACTIVE, StatutHabilitation.SUSPENDUE) == []
        assert rules.habilitation_status_errors(StatutHabilitation.SUSPENDUE, StatutHabilitation.ACTIVE) == []
        assert rules.habilitation_status_errors(StatutHabilitation.RETIREE, StatutHabilitation.ACTIVE) == [
            "Une habilitation « Retirée » ne peut pas passer à « Active »."
        ]

    def test_distance_rank(self):
        kwargs = {"centre_departement": "01", "neighbours": ["69", "38"], "same_region": ["01", "69", "38", "42"]}
        assert [rules.distance_rank(juror_departement=d, **kwargs) for d in ("01", "69", "42", "75")] == [0, 1, 2, 3]
