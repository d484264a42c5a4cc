"""Benchmark of the statistics pages (UD, DREETS, DGEFP) at national volume: p95 ≤ 100 ms (issue 18).

Fills the summary tables as `calculer_statistiques` would for ten years of national activity (≈ 200 000 candidates
a year: per month about 1 500 (centre, title) cells with sessions, two access routes each, three jurors per
session, among 3 000 centres, 300 titles and 60 000 jurors), then opens the statistics page with its default
filters (last 12 months) and with other first months as a UD agent, a DREETS agent and the national administrator,
and prints p50/p95. The rollups are computed from the cube as `calculer_statistiques` does.
The naive reference is the same figures read from the business tables is not measured here: at 2 M registrations
the pages never aggregate them (they read only the summary tables).

Runs on its OWN database (bench/_common.py). Usage:

    .venv/bin/python bench/statistiques.py            # 36 months (--full: 120)
    .venv/bin/python bench/statistiques.py --quick    # 12 months, 5 requests per page
"""

import datetime as dt
import random
import time

import _common


def load(months: int, rng: random.Random):
    from ceres.centres.enums import TypeCentre
    from ceres.centres.models import Centre
    from ceres.core.dates import add_months
    from ceres.jurys.models import MembreJury
    from ceres.referentiels.models import Departement, Region, TitreProfessionnel, UniteDepartementale
    from ceres.statistiques.models import StatJury, StatResultats, StatSessions

    regions = [Region.objects.create(code=f"R{r:02d}", name=f"Région {r}") for r in range(13)]
    deps = [Departement.objects.create(code=f"D{i:02d}", name=f"Dép {i}", region=regions[i % 13]) for i in range(100)]
    uds = [UniteDepartementale.objects.create(departement=d, name=f"DDETS {d.name}") for d in deps]
    titres = TitreProfessionnel.objects.bulk_create(
        [TitreProfessionnel(code_titre=f"TP-{t:05d}", intitule=f"Titre {t}", code_rncp=f"RNCP{t}") for t in range(300)]
    )
    types = list(TypeCentre.values)
    centres = Centre.objects.bulk_create(
        [
            Centre(
                name=f"Centre {c}",
                name_key=f"centre {c}",
                siret=f"{c:014d}",
                type=types[c % len(types)],
                departement=deps[c % 100],
            )  # fmt: skip
            for c in range(3000)
        ]
    )
    membres = MembreJury.objects.bulk_create(
        [
            MembreJury(
                civility="M", birth_name=f"Nom{i}", first_names="Jean", birth_date=dt.date(1970, 1, 1), ud=uds[i % 100]
            )  # fmt: skip
            for i in range(60000)
        ],
        batch_size=5000,
    )
    start = add_months(dt.date.today().replace(day=1), 1 - months)
    counts = {"sessions": 0, "resultats": 0, "jury": 0}
    for m in range(months):
        month = add_months(start, m)
        sessions, resultats, jury = [], [], []
        for _ in range(1500):
            centre = rng.choice(centres)
            titre = titres[rng.randrange(300)]
            cell = dict(month=month, departement_id=centre.departement_id, region_id=centre.departement.region_id,
                        centre_id=centre.pk, centre_type=centre.type, titre_id=titre.pk)  # fmt: skip
            n = rng.randrange(4, 18)
            sessions.append(
                StatSessions(
                    **cell,
                    sessions=1,
                    candidates=n,
                    validated=1,
                    delay_results_days=rng.randrange(1, 30),
                    delay_results_count=1,
                    delay_validation_days=rng.randrange(1, 20),
                    delay_validation_count=1,
                    delay_print_days=rng.randrange(0, 15),
                    delay_print_count=1,
                    convocation_before_start=int(rng.random() < 0.05),
                )  # fmt: skip
            )
            for route in ("formation_continue", "vae"):
                k = n // 2
                resultats.append(
                    StatResultats(
                        **cell,
                        route=route,
                        registered=k,
                        success=k // 2,
                        partial=k // 4,
                        failure=1,
                        absent=0,
                        ccp_presented=2 * k,
                        ccp_obtained=k,
                        birth_place_unresolved=0,
                    )  # fmt: skip
                )
            for _ in range(3):
                jury.append(StatJury(**cell, membre_id=membres[rng.randrange(len(membres))].pk, seats=1))
        StatSessions.objects.bulk_create(sessions, batch_size=5000)
        StatResultats.objects.bulk_create(resultats, batch_size=5000)
        StatJury.objects.bulk_create(jury, batch_size=5000)
        counts["sessions"] += len(sessions)
        counts["resultats"] += len(resultats)
        counts["jury"] += len(jury)
    from ceres.statistiques.services import statistiques_rollups

    t0 = time.perf_counter()
    run = statistiques_rollups()  # the rollups of the cube, as calculer_statistiques computes them after it
    counts["rollups"] = run.rows
    counts["rollups_s"] = time.perf_counter() - t0
    return regions, uds, counts


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--months", quick=12, default=36, full=120, help="mois d'activité dans les tables")
    parser.add_size("--requests", quick=5, default=30, full=50, help="requêtes par page")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with _common.own_database("statistiques", keep=args.keep):
        print(_common.machine())
        rng = random.Random(args.seed)
        t0 = time.perf_counter()
        regions, uds, counts = load(args.months, rng)
        print(
            f"Chargement : {args.months} mois, {_common.fr(counts['sessions'])} cellules de sessions, "
            f"{_common.fr(counts['resultats'])} de résultats, {_common.fr(counts['jury'])} de jurys "
            f"en {time.perf_counter() - t0:.1f} s (dont cumuls : {_common.fr(counts['rollups'])} lignes en "
            f"{counts['rollups_s']:.1f} s)"
        )
        from django.test import Client
        from django.urls import reverse

        from ceres.comptes.enums import Role
        from ceres.comptes.models import User

        users = {
            "UD (département)": User.objects.create(email="ud@bench", role=Role.AGENT_UD, ud=uds[0]),
            "DREETS (région)": User.objects.create(email="dreets@bench", role=Role.AGENT_DREETS, region=regions[0]),
            "DGEFP (France)": User.objects.create(email="dgefp@bench", role=Role.ADMIN_NATIONAL),
        }
        from ceres.core.dates import add_months

        worst = 0.0
        url = reverse("statistiques:index")
        first = add_months(dt.date.today().replace(day=1), 1 - args.months)
        for label, user in users.items():
            client = Client()
            client.force_login(user)
            assert client.get(url).status_code == 200  # warm-up
            # The default page (kept in the cache after the first request), then a different first month on each
            # request (never cached: read from the rollups).
            for page, query in (
                ("", lambda i: {}),
                (", autre période", lambda i: {"start": f"{add_months(first, i % args.months):%Y-%m}"}),
            ):
                timings = []
                for i in range(args.requests):
                    t = time.perf_counter()
                    response = client.get(url, query(i))
                    timings.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200
                figures = _common.summary(timings)
                worst = max(worst, figures["p95"])
                print(_common.latency_line(f"Page statistiques {label}{page}", figures))
        print(_common.verdict("p95 ≤ 100 ms par page", worst <= 100))


if __name__ == "__main__":
    main()
