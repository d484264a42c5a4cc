"""The rollups of the monthly cube give the statistics page the same figures as the monthly cube itself, for every
scope, period and centre type; the incremental run keeps them equal to a full recomputation (issue #18)."""

import datetime as dt
import random
from collections import defaultdict

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceres.centres.enums import TypeCentre
from ceres.core.dates import add_months
from ceres.examens.enums import Decision, StatutSession, VoieAcces
from ceres.statistiques import cumuls, figures, rules, selectors
from ceres.statistiques.models import (
    CalculStatistiques,
    StatCentreDepuis,
    StatJuresDepuis,
    StatJury,
    StatResultats,
    StatSessions,
    StatSessionsPerimetre,
    StatTitres,
    StatVoies,
)
from ceres.statistiques.services import statistiques_compute, statistiques_rollups
from tests.centres.factories import CentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.jurys.factories import MembreJuryFactory
from tests.referentiels.factories import (
    DepartementFactory,
    RegionFactory,
    TitreProfessionnelFactory,
    UniteDepartementaleFactory,
)

TZ = timezone.get_current_timezone()
TODAY = dt.datetime(2026, 6, 15, 10, tzinfo=TZ)  # the job's month: June 2026
D = dt.date


def months(first, last):
    return list(reversed(cumuls.months_back(first, last)))


class TestPieces:
    pytestmark = pytest.mark.no_django_db

    def test_a_range_is_cut_into_years_quarters_and_months(self):
        assert cumuls.tranches(D(2016, 3, 1), D(2018, 11, 1)) == [
            (D(2016, 3, 1), 1), (D(2016, 4, 1), 3), (D(2016, 7, 1), 3), (D(2016, 10, 1), 3), (D(2017, 1, 1), 12),
            (D(2018, 1, 1), 3), (D(2018, 4, 1), 3), (D(2018, 7, 1), 3), (D(2018, 10, 1), 1), (D(2018, 11, 1), 1),
        ]  # fmt: skip

    def test_every_range_is_covered_once(self):
        all_months = months(D(2015, 1, 1), D(2019, 12, 1))
        for i, start in enumerate(all_months):
            for end in all_months[i : i + 40]:
                covered = [
                    m for first, n in cumuls.tranches(start, end) for m in months(first, add_months(first, n - 1))
                ]
                assert covered == months(start, end)

    def test_juror_figures_since_each_month(self):
        seats = {D(2026, 1, 1): [(["a"], 1, 1), (["a"], 2, 2)], D(2026, 3, 1): [(["a"], 1, 1), (["a", "b"], 3, 5)]}
        rows = {(key, month): (n, buckets, top) for key, month, n, buckets, top in cumuls.jurors_since(
            months(D(2026, 1, 1), D(2026, 3, 1))[::-1], seats
        )}  # fmt: skip
        assert rows["a", D(2026, 3, 1)] == (2, [1, 0, 1, 0, 0], [[3, 5], [1, 1]])
        assert rows["a", D(2026, 2, 1)] == rows["a", D(2026, 3, 1)]  # nothing in February
        assert rows["a", D(2026, 1, 1)] == (3, [0, 2, 1, 0, 0], [[3, 5], [1, 2], [2, 2]])
        assert rows["b", D(2026, 1, 1)] == (1, [0, 0, 1, 0, 0], [[3, 5]])


@pytest.fixture
def cube(db):
    """Thirty months of cube rows (01/2024 → 06/2026, and two months after the job's month) in two regions, three
    départements, nine centres of three types, four titles, thirty jurors, drawn at random with a fixed seed."""
    rng = random.Random(18)
    region_a, region_b = RegionFactory(), RegionFactory()
    deps = [
        DepartementFactory(region=region_a),
        DepartementFactory(region=region_a),
        DepartementFactory(region=region_b),
    ]
    types = [TypeCentre.AFPA, TypeCentre.GRETA, TypeCentre.ORGANISME_PRIVE]
    centres = [CentreFactory(departement=deps[i % 3], type=types[i % 3 if i < 6 else 0]) for i in range(9)]
    titres = [TitreProfessionnelFactory() for _ in range(4)]
    jurors = [MembreJuryFactory() for _ in range(30)]
    sessions, resultats, jury = [], [], []
    for month in months(D(2024, 1, 1), D(2026, 8, 1)):
        if rng.random() < 0.1:
            continue  # a month without any session
        for centre in rng.sample(centres, rng.randint(1, 6)):
            for titre in rng.sample(titres, rng.randint(1, 2)):
                cell = dict(month=month, departement=centre.departement, region=centre.departement.region,
                            centre=centre, centre_type=centre.type, titre=titre)  # fmt: skip
                n = rng.randint(1, 12)
                sessions.append(StatSessions(
                    **cell, sessions=rng.randint(1, 3), candidates=n, validated=rng.randint(0, 1),
                    delay_results_days=rng.randint(0, 30), delay_results_count=rng.randint(0, 2),
                    delay_validation_days=rng.randint(0, 9), delay_validation_count=rng.randint(0, 2),
                    delay_print_days=rng.randint(0, 9), delay_print_count=rng.randint(0, 1),
                    convocation_before_start=rng.randint(0, 1),
                ))  # fmt: skip
                for route in rng.sample(list(VoieAcces.values), rng.randint(1, 3)):
                    k = rng.randint(1, 9)
                    absent = rng.randint(0, k // 3)
                    success = rng.randint(0, k - absent)
                    resultats.append(StatResultats(
                        **cell, route=route, registered=k, success=success,
                        partial=rng.randint(0, k - absent - success), failure=0, absent=absent,
                        ccp_presented=2 * k, ccp_obtained=rng.randint(0, 2 * k),
                        birth_place_unresolved=rng.randint(0, 1),
                    ))  # fmt: skip
                # Jurors come back to the same centres: a pool per département, a few from elsewhere.
                pool = jurors[deps.index(centre.departement) * 8 :][:12] + rng.sample(jurors, 2)
                for juror in rng.sample(pool, rng.randint(1, 4)):
                    jury.append(StatJury(**cell, membre=juror, seats=rng.randint(1, 3)))
    StatSessions.objects.bulk_create(sessions)
    StatResultats.objects.bulk_create(resultats)
    StatJury.objects.bulk_create(jury)
    return {"regions": (region_a, region_b), "deps": deps, "centres": centres, "titres": titres}


def users(cube):
    return {
        "national": UserFactory(admin_national=True),
        "DREETS": UserFactory(agent_dreets=True, region=cube["regions"][0]),
        "UD": UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=cube["deps"][2])),
    }


PERIODS = [
    (D(2024, 1, 1), D(2026, 6, 1)),  # all the data to the job's month
    (D(2016, 1, 1), D(2026, 6, 1)),  # from before the first month
    (D(2024, 11, 1), D(2026, 6, 1)),
    (D(2026, 6, 1), D(2026, 6, 1)),  # the job's month only
    (D(2025, 2, 1), D(2026, 2, 1)),  # ends before the job's month: monthly cube for the juror figures
    (D(2024, 7, 1), D(2026, 8, 1)),  # ends after it
    (D(2025, 1, 1), D(2025, 12, 1)),  # one calendar year
    (D(2026, 7, 1), D(2026, 8, 1)),  # after the job's month only
]


def both(user, filtres, run):
    fast = figures.tables(selectors.Lecture(user, filtres, run), timezone.localdate())
    monthly = figures.tables(selectors.Lecture(user, filtres, run, monthly=True), timezone.localdate())
    return fast, monthly


@pytest.fixture
def job_month():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.usefixtures("job_month")
class TestSameFiguresAsTheMonthlyCube:
    def test_every_table_for_every_scope_period_and_centre_type(self, cube):
        run = statistiques_rollups()
        assert (run.first_month, run.until) == (D(2024, 1, 1), D(2026, 6, 1))
        compared = 0
        for scope, user in users(cube).items():
            for start, end in PERIODS:
                for centre_type in ("", TypeCentre.AFPA, TypeCentre.GRETA, TypeCentre.CFA):
                    filtres = selectors.Filtres(start=start, end=end, centre_type=centre_type)
                    fast, monthly = both(user, filtres, run)
                    for a, b in zip(fast, monthly, strict=True):
                        assert (a.key, a.rows, a.note) == (b.key, b.rows, b.note), (scope, filtres, a.key)
                        compared += bool(a.rows) and a.key != "echeances"
        assert compared > 500  # the tables compared hold figures

    def test_juror_figures_of_the_monthly_cube_are_those_of_the_rules(self, cube):
        """The monthly cube's juror figures are counted in SQL: the same as rules.seat_buckets and
        rules.concentration over every (centre, juror) pair of the period."""
        run = statistiques_rollups()
        for user in users(cube).values():
            for start, end in PERIODS:
                for titre_id in (None, cube["titres"][1].pk):
                    filtres = selectors.Filtres(start=start, end=end, titre_id=titre_id)
                    lecture = selectors.Lecture(user, filtres, run, monthly=True)
                    pairs = list(
                        selectors.cells(StatJury, user, filtres)
                        .values("centre_id", "membre_id")
                        .annotate(n=Sum("seats"))
                        .order_by()
                        .values_list("centre_id", "membre_id", "n")
                    )
                    per_juror: defaultdict[int, int] = defaultdict(int)
                    for _centre, juror, n in pairs:
                        per_juror[juror] += n
                    ranked_jurors = sorted(per_juror.items(), key=lambda item: (-item[1], item[0]))
                    assert selectors.juror_activity(lecture) == selectors.Jures(
                        len(per_juror), rules.seat_buckets(list(per_juror.values())), ranked_jurors[:20]
                    )
                    ranked = rules.most_concentrated(rules.concentration(pairs), 30)
                    assert [row[:1] + row[2:] for row in selectors.concentration(lecture)] == [
                        (pk, c["seats"], c["jurors"], c["top_share"]) for pk, c in ranked
                    ]

    def test_a_long_period_reads_only_rollups(self, cube):
        run = statistiques_rollups()
        filtres = selectors.Filtres(start=D(2016, 1, 1), end=D(2026, 6, 1))
        lecture = selectors.Lecture(users(cube)["national"], filtres, run)
        selectors.of_the_day(lecture.user, run, timezone.localdate())  # the job prepares it with the default page
        with CaptureQueriesContext(connection) as queries:
            tableaux = figures.tables(lecture, timezone.localdate())
        cube_tables = ("statistiques_statsessions", "statistiques_statresultats", "statistiques_statjury")
        assert not [q["sql"] for q in queries.captured_queries if any(f'"{t}"' in q["sql"] for t in cube_tables)]
        assert len(queries.captured_queries) <= 10
        jurors = next(t for t in tableaux if t.key == "jures-les-plus-actifs")
        assert len(jurors.rows) == 20

    def test_a_title_filter_reads_the_monthly_cube(self, cube):
        run = statistiques_rollups()
        user = users(cube)["national"]
        filtres = selectors.Filtres(start=D(2024, 1, 1), end=D(2026, 6, 1), titre_id=cube["titres"][0].pk)
        assert not selectors.Lecture(user, filtres, run).by_scope
        fast, monthly = both(user, filtres, run)
        assert [t.rows for t in fast] == [t.rows for t in monthly]


def snapshot():
    """Every rollup row, without its id."""
    tables = {}
    for model in (StatSessionsPerimetre, StatTitres, StatVoies, StatCentreDepuis, StatJuresDepuis):
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        tables[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


@pytest.fixture
def activity(db):
    """Sessions of five months in two départements (recorded the day before), registrations, results, jurors."""
    with time_machine.travel(TODAY - dt.timedelta(days=1), tick=False):
        return _activity()


def _activity():
    region = RegionFactory()
    deps = [DepartementFactory(region=region), DepartementFactory(region=region)]
    sessions = []
    for i, (day, centre_type) in enumerate(
        [
            (D(2026, 1, 12), TypeCentre.AFPA),
            (D(2026, 3, 2), TypeCentre.GRETA),
            (D(2026, 3, 23), TypeCentre.AFPA),
            (D(2026, 5, 4), TypeCentre.CFA),
            (D(2026, 7, 6), TypeCentre.AFPA),
        ]  # fmt: skip
    ):
        centre = CentreFactory(departement=deps[i % 2], type=centre_type)
        session = SessionExamenFactory(agrement__centre=centre, start_date=day, end_date=day, convocation_date=day)
        InscriptionFactory(session=session, decision=Decision.REUSSITE)
        InscriptionFactory(session=session, decision=Decision.ECHEC, route=VoieAcces.VAE)
        MembreConvoqueFactory(session=session)
        sessions.append(session)
    return sessions


class TestIncrementalRun:
    def test_recomputing_the_touched_months_gives_the_rollups_of_a_full_run(self, activity):
        with time_machine.travel(TODAY, tick=True):
            first = statistiques_compute()
        with time_machine.travel(TODAY + dt.timedelta(hours=1), tick=True):
            jan, mar, _, may, _ = activity
            InscriptionFactory(session=mar, decision=Decision.REUSSITE_PARTIELLE)  # March: more results
            MembreConvoqueFactory(session=jan, membre=mar.jury.first().membre)  # January: a juror comes back
            may.status = StatutSession.ANNULEE  # May: the only session of its centre is cancelled
            may.save()
            run = statistiques_compute(since=first.finished_at)
            assert not run.full and run.months == 3
            incremental = snapshot()
            statistiques_compute()
            assert snapshot() == incremental

    def test_a_new_month_rebuilds_the_rollups_since_each_month(self, activity):
        with time_machine.travel(TODAY, tick=True):
            first = statistiques_compute()
        # No session in June: the latest period with jurors starts in May; July is not counted yet.
        latest = StatJuresDepuis.objects.filter(perimetre=rules.NATION, centre_type="").latest("depuis")
        assert (latest.depuis, latest.jurors) == (D(2026, 5, 1), 1)
        with time_machine.travel(dt.datetime(2026, 7, 1, 3, tzinfo=TZ), tick=True):
            run = statistiques_compute(since=first.finished_at)  # nothing touched, but July has begun
            assert run.until == D(2026, 7, 1)
            incremental = snapshot()
            statistiques_compute()
            assert snapshot() == incremental
        latest = StatJuresDepuis.objects.filter(perimetre=rules.NATION, centre_type="").latest("depuis")
        assert (latest.depuis, latest.jurors) == (D(2026, 7, 1), 1)  # the July session's juror

    def test_the_first_run_after_the_upgrade_builds_every_rollup(self, activity):
        with time_machine.travel(TODAY, tick=True):
            full = statistiques_compute()
            expected = snapshot()
            # As after the migration: a run of the cube alone, no rollup yet.
            CalculStatistiques.objects.filter(pk=full.pk).update(first_month=None, until=None)
            for model in (StatSessionsPerimetre, StatTitres, StatVoies, StatCentreDepuis, StatJuresDepuis):
                model.objects.all().delete()
            statistiques_compute(since=full.finished_at)  # the next incremental run (nothing touched)
            assert snapshot() == expected
