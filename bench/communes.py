"""Benchmark of the commune search service (ceres/referentiels/communes.py) on the full COG history since 1943.

1,000 realistic queries drawn (fixed seed) from the loaded table: prefixes of current names typed in lowercase
without accents, the beginning of the last word of a name alone ("clemenciat", "valserine": the CommuneMot
table), full names with "st"/"ste", old names with a date inside their validity period, current names with a birth
date, INSEE codes (exact or prefix). Prints p50/p95 of ``search_communes`` in-process (the production setting:
in-memory index of the name periods, built once per process before the measure), then the same queries through a
naive baseline doing the same work in the same run: read every name period, fold each name (accents, case,
article, "st"), keep the prefixes (whole name, inner word or INSEE code) valid on the date, rank them like the
service (exact first, current names first, then alphabetical) — a full scan with no index. Both are timed
interleaved, ONE run per query (no best-of), garbage collector on.

Runs on its own database (bench/_common.py: temporary SQLite file, or ``<base>_bench_communes`` on the
PostgreSQL server of DATABASE_URL), migrated and loaded with the référentiels of the repository.

    .venv/bin/python bench/communes.py [--quick] [--queries 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/communes.py
"""

import random
import time

import _common

SEED = 2026
TARGET_P95_MS = 1.0  # issue #14, in-process, PostgreSQL included
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
    """Same work without any index: every period read and folded at each query, then filtered and ranked."""
    from django.db.models import OuterRef, Subquery

    from ceres.core.text import search_key
    from ceres.referentiels.communes import (
        CODE_RE,
        clean_query,
        describe_communes,
        inner_word_key,
        known_date,
        name_word_keys,
    )
    from ceres.referentiels.models import Commune, Departement

    text, day = clean_query(text), known_date(day)
    is_code = bool(CODE_RE.match(text))
    key = text.upper() if is_code else search_key(text)
    word = "" if is_code else inner_word_key(key)
    ranked = []
    departement = Departement.objects.filter(code=OuterRef("departement_code")).values("name")[:1]
    rows = Commune.objects.annotate(departement_name=Subquery(departement)).order_by("id")
    for row in rows:
        if day is not None and not (
            (row.start_date is None or row.start_date <= day) and (row.end_date is None or row.end_date > day)
        ):
            continue
        if is_code:
            if row.code_insee.startswith(key):
                ranked.append(((row.code_insee != key, row.end_date is not None, row.code_insee, row.kind), row))
            continue
        folded = search_key(row.name)
        if folded.startswith(key):
            ranked.append(((0, folded != key, row.end_date is not None, folded, row.code_insee), row))
        elif word and any(w.startswith(word) for w in name_word_keys(folded)):
            ranked.append(((1, False, row.end_date is not None, folded, row.code_insee), row))
    ranked.sort(key=lambda item: item[0])
    return describe_communes([row for _, row in ranked[:limit]]) if ranked else []


def measure(functions, queries):
    """Interleaved (each query through every function in turn) so machine load hits both alike; one run per
    query and function, nothing kept or dropped."""
    timings = {name: [] for name in functions}
    empty = dict.fromkeys(functions, 0)
    for _, text, day in queries:
        for name, function in functions.items():
            start = time.perf_counter()
            found = function(text, day)
            timings[name].append((time.perf_counter() - start) * 1000)
            empty[name] += not found
    return timings, empty


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--queries", quick=200, default=1000, full=1000, help="nombre de requêtes")
    parser.add_size("--naive", quick=10, default=100, full=300, help="requêtes aussi passées à la référence naïve")
    args = parser.parse_args()
    n_queries = args.queries
    random.seed(SEED)
    with _common.own_database("communes", referentiels=True, keep=args.keep):
        from django.conf import settings
        from django.db import connection

        from ceres.referentiels.communes import memory_index, search_communes
        from ceres.referentiels.models import Commune

        print(_common.machine())
        rows = list(Commune.objects.values("code_insee", "name", "start_date", "end_date"))
        queries = build_queries(rows, n_queries)
        print(
            f"Base : {connection.vendor}, {len(rows)} périodes de noms de communes, {len(queries)} requêtes,"
            f" un passage par requête ; référence naïve sur les {min(args.naive, len(queries))} premières."
        )
        settings.CERES_COMMUNES_IN_MEMORY = True  # the production setting (test settings turn it off)
        with _common.timer() as built:
            memory_index()
        print(f"Index en mémoire construit en {built.elapsed * 1000:.0f} ms (une fois par processus)")

        def service(text, day):
            return search_communes(text, on_date=day)

        for text, day in [("arlod", None), ("sai", None)]:  # warm-up (connection, caches)
            service(text, day)
            naive(text, day)
        timings, empty = measure({"service": service, "naive": naive}, queries[: args.naive])
        rest, rest_empty = measure({"service": service}, queries[args.naive :])
        timings["service"] += rest["service"]
        empty["service"] += rest_empty["service"]
        queries_naive = queries[: args.naive]
    n_naive = len(queries_naive)
    ours, baseline = _common.summary(timings["service"]), _common.summary(timings["naive"])
    same = _common.summary(timings["service"][:n_naive])  # the service on the queries the baseline also ran
    kinds = sorted({kind for kind, _, _ in queries})
    print("Requêtes par type : " + ", ".join(f"{k} {sum(q[0] == k for q in queries)}" for k in kinds))
    print(_common.latency_line("search_communes (index en mémoire)", ours) + f", sans résultat {empty['service']}")
    print(_common.latency_line(f"  … sur les {n_naive} requêtes de la référence", same))
    print(_common.latency_line("naïf (lecture + pliage + tri)", baseline) + f", sans résultat {empty['naive']}")
    for kind in kinds:
        picked = [i for i, q in enumerate(queries) if q[0] == kind]
        mine = _common.summary([timings["service"][i] for i in picked])
        theirs = [timings["naive"][i] for i in picked if i < n_naive]
        naive_part = f" | naïf p50 {_common.summary(theirs)['p50']:6.1f} ms" if theirs else ""
        print(f"  {kind:<20} service p50 {mine['p50']:6.3f} ms p95 {mine['p95']:6.3f} ms{naive_part}")
    ratio_p50, ratio_p95 = _common.ratio(baseline["p50"], same["p50"]), _common.ratio(baseline["p95"], same["p95"])
    print(_common.ratio_line("p50", ratio_p50) + f" ; ×{_common.fr(ratio_p95, 1)} en p95")
    ok = ours["p95"] <= TARGET_P95_MS and ratio_p50 >= TARGET_RATIO
    print(
        _common.verdict(f"p95 ≤ {TARGET_P95_MS:.0f} ms et ≥ ×{TARGET_RATIO:.0f} (p50)", ok)
        + " (un passage par requête ; la charge de la machine fait varier les chiffres)"
    )


if __name__ == "__main__":
    main()
