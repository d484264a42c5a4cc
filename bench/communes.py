"""Benchmark of the commune search service (ceres/referentiels/communes.py) on the full COG history since 1943.

1,000 realistic queries drawn (fixed seed) from the loaded table: prefixes of current names typed in lowercase
without accents, the beginning of the last word of a name alone ("clemenciat", "valserine": the CommuneMot
table), full names with "st"/"ste", old names with a date inside their validity period, current names with a birth
date, INSEE codes (exact or prefix). Prints p50/p95 of ``search_communes`` in-process, then the same
queries through a naive baseline in the same run (``name__icontains`` or code prefix + the same date filter,
ordered by name, which is what a first version would do: a full scan on both SQLite and PostgreSQL), and the
ratio. Both are timed interleaved, best of --repeat runs per query (default 3), garbage collector off.

Runs on its own database (bench/_common.py: temporary SQLite file, or ``<base>_bench_communes`` on the
PostgreSQL server of DATABASE_URL), migrated and loaded with the référentiels of the repository.

    .venv/bin/python bench/communes.py [--quick] [--queries 1000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/communes.py
"""

import gc
import random
import time

import _common

SEED = 2026
TARGET_P95_MS = 5.0
TARGET_RATIO = 20.0


def typed(name: str) -> str:
    """How people type a name: lowercase, often without accents, sometimes spaces instead of hyphens."""
    from ceres.core.text import strip_accents

    text = name.lower()
    if random.random() < 0.7:
        text = strip_accents(text)
    if random.random() < 0.4:
        text = text.replace("-", " ")
    return text


def words(name: str) -> list[str]:
    return name.replace("-", " ").replace("'", " ").split()


def random_day(start, end):
    import datetime as dt

    first = start or dt.date(1943, 1, 1)
    last = (end or dt.date(2026, 1, 1)) - dt.timedelta(days=1)
    return first + dt.timedelta(days=random.randint(0, max(0, (last - first).days)))


def build_queries(rows, n_queries):
    current = [r for r in rows if r["end_date"] is None]
    ancient = [r for r in rows if r["end_date"] is not None]
    inner = [r for r in current if len(words(r["name"])) >= 2 and len(words(r["name"])[-1]) >= 4]
    queries = []
    for _ in range(n_queries):
        draw = random.random()
        if draw < 0.30:  # prefix of a current name, as typed in an autocomplete
            row = random.choice(current)
            text = typed(row["name"])
            queries.append(("préfixe", text[: random.randint(3, min(10, max(3, len(text))))], None))
        elif draw < 0.40:  # beginning of the last word alone ("clemenciat" for L'Abergement-Clémenciat)
            word = words(typed(random.choice(inner)["name"]))[-1]
            queries.append(("mot intérieur", word[: random.randint(4, len(word))], None))
        elif draw < 0.55:  # full name, with the usual abbreviation
            row = random.choice(current)
            text = typed(row["name"]).replace("saint-", "st-").replace("saint ", "st ").replace("sainte", "ste")
            queries.append(("nom complet", text, None))
        elif draw < 0.75:  # old name at a date when it was valid (birth place of an older candidate)
            row = random.choice(ancient)
            day = random_day(row["start_date"], row["end_date"])
            queries.append(("ancien nom + date", typed(row["name"])[: random.randint(4, 12)], day))
        elif draw < 0.85:  # current name at a birth date
            row = random.choice(current)
            queries.append(("nom + date", typed(row["name"])[: random.randint(4, 12)], random_day(None, None)))
        else:  # INSEE code, exact or prefix
            code = random.choice(rows)["code_insee"]
            queries.append(("code INSEE", code if random.random() < 0.6 else code[:3], None))
    return queries


def naive(text, day, limit=20):
    from ceres.referentiels.models import Commune

    queryset = Commune.objects.filter(name__icontains=text) | Commune.objects.filter(code_insee__startswith=text)
    if day is not None:
        queryset = queryset.valid_on(day)
    return list(queryset.order_by("name")[:limit])


def measure(functions, queries, repeat):
    """Interleaved (each query through every function in turn) so machine load hits both alike; per query, the
    best of `repeat` runs is kept (like timeit), with the garbage collector off while timing."""
    timings = {name: [] for name in functions}
    empty = dict.fromkeys(functions, 0)
    gc.disable()
    try:
        for _, text, day in queries:
            for name, function in functions.items():
                best = None
                for _ in range(repeat):
                    start = time.perf_counter()
                    found = function(text, day)
                    elapsed = (time.perf_counter() - start) * 1000
                    best = elapsed if best is None else min(best, elapsed)
                timings[name].append(best)
                empty[name] += not found
    finally:
        gc.enable()
    return timings, empty


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--queries", quick=200, default=1000, full=1000, help="nombre de requêtes")
    parser.add_size("--repeat", quick=1, default=3, full=3, help="essais par requête, le meilleur est gardé")
    args = parser.parse_args()
    n_queries, repeat = args.queries, args.repeat
    random.seed(SEED)
    with _common.own_database("communes", referentiels=True, keep=args.keep):
        from django.db import connection

        from ceres.referentiels.communes import search_communes
        from ceres.referentiels.models import Commune

        print(_common.machine())
        rows = list(Commune.objects.values("code_insee", "name", "start_date", "end_date"))
        queries = build_queries(rows, n_queries)
        print(
            f"Base : {connection.vendor}, {len(rows)} périodes de noms de communes, {len(queries)} requêtes,"
            f" meilleur de {repeat} essai(s) par requête."
        )

        def service(text, day):
            return search_communes(text, on_date=day)

        for text, day in [("arlod", None), ("sai", None)]:  # warm-up (connection, caches)
            service(text, day)
            naive(text, day)
        timings, empty = measure({"service": service, "naive": naive}, queries, repeat)
    ours, baseline = _common.summary(timings["service"]), _common.summary(timings["naive"])
    kinds = sorted({kind for kind, _, _ in queries})
    print("Requêtes par type : " + ", ".join(f"{k} {sum(q[0] == k for q in queries)}" for k in kinds))
    print(_common.latency_line("search_communes (index name_key)", ours) + f", sans résultat {empty['service']}")
    print(_common.latency_line("naïf (icontains, balayage)", baseline) + f", sans résultat {empty['naive']}")
    for kind in kinds:  # per kind, service then naive: the inner-word path costs a second indexed query
        picked = [i for i, q in enumerate(queries) if q[0] == kind]
        mine, theirs = (_common.summary([timings[n][i] for i in picked]) for n in ("service", "naive"))
        print(f"  {kind:<20} service p50 {mine['p50']:6.2f} ms p95 {mine['p95']:6.2f} ms"
              f" | naïf p50 {theirs['p50']:6.2f} ms p95 {theirs['p95']:6.2f} ms")  # fmt: skip
    ratio_p50, ratio_p95 = _common.ratio(baseline["p50"], ours["p50"]), _common.ratio(baseline["p95"], ours["p95"])
    print(_common.ratio_line("p50", ratio_p50) + f" ; ×{_common.fr(ratio_p95, 1)} en p95")
    ok = ours["p95"] <= TARGET_P95_MS and ratio_p50 >= TARGET_RATIO
    print(
        _common.verdict(f"p95 ≤ {TARGET_P95_MS:.0f} ms et ≥ ×{TARGET_RATIO:.0f} (p50)", ok)
        + " (figures indicatives : la charge de la machine les fait varier)"
    )


if __name__ == "__main__":
    main()
