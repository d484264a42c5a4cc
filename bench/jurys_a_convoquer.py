"""Benchmark of "jurés à convoquer" (jurys.selectors.jurors_to_convene) at national scale.

Generates N jurors (DOMAIN.md: > 60,000 habilitated jurors) with 1 to 3 habilitations each on 300 titles
(a third of them with an end of life in the past 24 months, so the extension matters), spread over 100
départements in 13 regions with neighbours. Then asks, for random titles and session dates, the jurors to
convene for a centre's département. Prints p50/p95 of the selector, the average list length, and the same for
a naive baseline (load every active habilitation, compute each effective end in Python, then keep the title's
lineage), with the ratio. Also checks both give the same jurors.

Runs on its OWN database (bench/_common.py: a temporary SQLite file, or ``<base>_bench_jurys`` created and dropped on
the PostgreSQL server of DATABASE_URL). Usage:

    .venv/bin/python bench/jurys_a_convoquer.py                    # 60,000 jurors
    .venv/bin/python bench/jurys_a_convoquer.py --quick            # 3,000 jurors, 20 queries
    .venv/bin/python bench/jurys_a_convoquer.py --n 10000 --queries 50
"""

import datetime as dt
import random
import statistics
import time

import _common


def load(n: int, rng: random.Random):
    from ceres.jurys.enums import Civilite, StatutHabilitation
    from ceres.jurys.models import Habilitation, MembreJury
    from ceres.referentiels.models import Departement, Region, TitreProfessionnel, UniteDepartementale

    regions = [Region.objects.create(code=f"R{r:02d}", name=f"Région {r}") for r in range(13)]
    deps = []
    for i in range(100):
        dep = Departement.objects.create(code=f"D{i:02d}", name=f"Département {i}", region=regions[i % 13])
        deps.append(dep)
    for i, dep in enumerate(deps):
        dep.neighbours.add(deps[(i + 13) % 100], deps[(i - 13) % 100])
    uds = [UniteDepartementale.objects.create(departement=dep, name=f"DDETS {dep.name}") for dep in deps]
    titres = []
    for t in range(300):
        if t % 3 == 0:  # end of life in the past two years: extension matters
            start, end = dt.date(2020, 1, 1), dt.date(2025, 1, 1) + dt.timedelta(days=t)
        else:
            start, end = dt.date(2022, 1, 1), dt.date(2028, 1, 1) + dt.timedelta(days=t)
        titres.append(
            TitreProfessionnel.objects.create(
                code_titre=f"TP-{t:05d}", intitule=f"Titre {t}", code_rncp=f"RNCP{t}", start_date=start, end_date=end
            )
        )
    membres = []
    for i in range(n):
        m = MembreJury(
            civility=Civilite.MADAME if i % 2 else Civilite.MONSIEUR,
            birth_name=f"Nom{i}",
            first_names=f"Prenom{i % 500}",
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000)),
            ud=rng.choice(uds),
            employer_name=f"Entreprise {rng.randrange(n // 3)}",
        )
        m.fill_keys()
        membres.append(m)
    MembreJury.objects.bulk_create(membres, batch_size=5000)
    membres = list(MembreJury.objects.only("pk", "ud_id"))
    habilitations = []
    for m in membres:
        for titre in rng.sample(titres, rng.choice((1, 1, 2, 3))):
            until = rng.random() < 0.6
            start = titre.start_date + dt.timedelta(days=rng.randrange(700))
            end = titre.end_date if until else min(titre.end_date, start + dt.timedelta(days=rng.randrange(300, 2000)))
            status = StatutHabilitation.SUSPENDUE if rng.random() < 0.03 else StatutHabilitation.ACTIVE
            habilitations.append(
                Habilitation(
                    membre_id=m.pk,
                    titre=titre,
                    start_date=start,
                    end_date=end,
                    until_end_of_life=until,
                    ud_id=m.ud_id,
                    status=status,
                )
            )
    Habilitation.objects.bulk_create(habilitations, batch_size=5000)
    return titres, deps, len(habilitations)


def naive(titre, days, departement):
    """Straightforward version: every active habilitation, effective end in Python, then the lineage."""
    from ceres.jurys import rules, selectors
    from ceres.jurys.models import Habilitation

    lineage = selectors.titre_lineage_ids(titre)
    found = set()
    for h in Habilitation.objects.filter(status="active").select_related("titre", "membre__ud__departement"):
        effective = selectors.effective_end_of(h, extension_months=24)
        if h.titre_id in lineage and not rules.habilitation_covers(
            status=h.status, start_date=h.start_date, effective_end=effective.date, days=days
        ):
            found.add(h.membre_id)
    return found


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--n", quick=3_000, default=60_000, full=60_000, help="nombre de jurés")
    parser.add_size("--queries", quick=20, default=100, full=100, help="listes demandées")
    parser.add_argument("--naive-sample", type=int, default=2, help="requêtes de la version naïve")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with _common.own_database("jurys", keep=args.keep):
        print(_common.machine())
        rng = random.Random(args.seed)
        t0 = time.perf_counter()
        titres, deps, n_hab = load(args.n, rng)
        print(f"Chargement : {args.n} jurés, {n_hab} habilitations en {time.perf_counter() - t0:.1f} s")
        from ceres.jurys import selectors

        queries = []
        for _ in range(args.queries):
            titre = rng.choice(titres)
            first = titre.end_date + dt.timedelta(days=rng.randrange(-400, 700))
            queries.append((titre, [first, first + dt.timedelta(days=1)], rng.choice(deps)))
        timings, sizes = [], []
        for titre, days, dep in queries:
            t = time.perf_counter()
            rows = selectors.jurors_to_convene(titre=titre, days=days, departement=dep, today=dt.date(2026, 11, 28))
            timings.append((time.perf_counter() - t) * 1000)
            sizes.append(len(rows))
        naive_timings = []
        for titre, days, dep in queries[: args.naive_sample]:
            t = time.perf_counter()
            expected = naive(titre, days, dep)
            naive_timings.append((time.perf_counter() - t) * 1000)
            got = {r.membre.pk for r in selectors.jurors_to_convene(titre=titre, days=days, departement=dep)}
            assert got == expected, "le sélecteur et la version naïve ne donnent pas les mêmes jurés"
        ours, baseline = _common.summary(timings), _common.summary(naive_timings)
        print(
            _common.latency_line("jurors_to_convene (sélecteur)", ours)
            + f", {statistics.mean(sizes):.0f} jurés par liste en moyenne"
        )
        print(_common.latency_line("naïf (habilitations en Python)", baseline))
        print(_common.ratio_line("p50", _common.ratio(baseline["p50"], ours["p50"])) + " — mêmes jurés trouvés")


if __name__ == "__main__":
    main()
