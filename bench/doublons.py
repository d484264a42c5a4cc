"""Benchmark of the candidate duplicate check (R7) at national scale.

Generates N synthetic candidate files with French identities (Faker fr_FR name lists, 1 to 3 first names,
compound names, usage names), then queries variants of known people (accents dropped, hyphen/space, case,
first names swapped, one-letter typo, usage name typed as birth name, day/month swapped) and fresh
identities that are in nobody's file. Prints p50/p95 of the duplicate check (``doublons_find``: index
lookup on the blocking keys + ``compare``), recall per variant kind, precision, and the same measures for a
naive baseline (full fuzzy scan of the table with ``compare``) on a sample, with the ratio.

Then the labelled evaluation set of the test suite (tests/personnes/evaluation: 200+ pairs built from the INSEE
history — spelling, equivalent geography, real variations, different people who look alike): the first file of
each pair is added to the base, the second one is checked as the page would, and recall/precision are printed
against the thresholds of issue #12 (certain ≥ 99 % on spelling/geography, certain+probable ≥ 98 %, precision of
certain ≥ 99 %).

Runs on its OWN database (bench/_common.py: a temporary SQLite file, or ``<base>_bench_doublons`` created and
dropped on the PostgreSQL server of DATABASE_URL). Usage:

    .venv/bin/python bench/doublons.py                 # 100,000 files (what `make bench` runs)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/doublons.py --full   # 2,000,000
    .venv/bin/python bench/doublons.py --quick         # 10,000 files, 500 queries
    .venv/bin/python bench/doublons.py --n 20000 --queries 500 --naive-sample 10
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import unicodedata
import uuid

import _common

CERTAIN_KINDS = ("accents", "casse_espaces", "trait_union")
PROBABLE_KINDS = ("prenoms_inverses", "faute_frappe", "nom_usage", "jour_mois_inverses", "phonetique")


def parse_args():
    parser = _common.parser(__doc__)
    parser.add_size("--n", quick=10_000, default=100_000, full=2_000_000, help="nombre de dossiers")
    parser.add_size("--queries", quick=500, default=2000, full=2000, help="variantes interrogées")
    parser.add_argument("--naive-sample", type=int, default=None, help="requêtes du balayage naïf")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-batch", action="store_true", help="sans mesurer la détection par lot")
    args = parser.parse_args()
    if args.naive_sample is None:
        args.naive_sample = 5 if args.n >= 500_000 else 20
    return args, _common.is_postgres()


# ----------------------------------------------------------------------------------------------------------
# Synthetic identities


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class People:
    def __init__(self, rng: random.Random):
        from faker.providers.person.fr_FR import Provider

        self.rng = rng
        self.last = list(dict.fromkeys(Provider.last_names))
        self.female = list(dict.fromkeys(Provider.first_names_female))
        self.male = list(dict.fromkeys(Provider.first_names_male))
        self.places = [f"{d:02d}{c:03d}" for d in range(1, 96) for c in range(1, 60, 7)] + ["99350", "99134"]
        self.day0 = dt.date(1955, 1, 1)
        self.span = (dt.date(2006, 12, 31) - self.day0).days

    def person(self):
        rng = self.rng
        female = rng.random() < 0.5
        pool = self.female if female else self.male
        name = rng.choice(self.last)
        if rng.random() < 0.06:
            name = f"{name}-{rng.choice(self.last)}"
        first = rng.choice(pool)
        if rng.random() < 0.08:
            first = f"{first}-{rng.choice(pool)}"
        firsts = [first] + [rng.choice(pool) for _ in range(rng.choice((0, 1, 1, 2)))]
        usage = rng.choice(self.last) if female and rng.random() < 0.3 else ""
        birth = self.day0 + dt.timedelta(days=rng.randrange(self.span))
        return {
            "civility": "MME" if female else "M",
            "birth_name": name,
            "usage_name": usage,
            "first_names": ", ".join(firsts),
            "birth_date": birth,
            "place": rng.choice(self.places),
        }

    # Variants: (kind, query identity) or None when the person does not allow that kind.
    def variant(self, p, kind):
        rng = self.rng
        q = dict(p)
        if kind == "accents":
            q["birth_name"] = strip_accents(p["birth_name"]).upper()
            q["first_names"] = strip_accents(p["first_names"])
        elif kind == "casse_espaces":
            q["birth_name"] = f"  {p['birth_name'].lower()}  "
            q["first_names"] = p["first_names"].upper().replace(", ", "  ")
        elif kind == "trait_union":
            if "-" in p["birth_name"]:
                q["birth_name"] = p["birth_name"].replace("-", " ")
            elif " " in p["birth_name"]:
                q["birth_name"] = p["birth_name"].replace(" ", "-")
            elif "-" in p["first_names"]:
                q["first_names"] = p["first_names"].replace("-", " ")
            else:
                return None
        elif kind == "prenoms_inverses":
            firsts = p["first_names"].split(", ")
            if len(firsts) < 2:
                return None
            q["first_names"] = ", ".join([firsts[1], firsts[0], *firsts[2:]])
        elif kind == "faute_frappe":
            name = p["birth_name"]
            if len(name) < 4:
                return None
            i = rng.randrange(1, len(name) - 1)
            op = rng.choice(("sub", "del", "swap", "ins"))
            letter = rng.choice("abcdefghilmnoprstu")
            if op == "sub":
                name = name[:i] + letter + name[i + 1 :]
            elif op == "del":
                name = name[:i] + name[i + 1 :]
            elif op == "ins":
                name = name[:i] + letter + name[i:]
            else:
                name = name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
            if strip_accents(name).lower() == strip_accents(p["birth_name"]).lower():
                return None
            q["birth_name"] = name
        elif kind == "nom_usage":
            if not p["usage_name"]:
                return None
            q["birth_name"], q["usage_name"] = p["usage_name"], ""
        elif kind == "jour_mois_inverses":
            d = p["birth_date"]
            if d.day > 12 or d.day == d.month:
                return None
            q["birth_date"] = d.replace(day=d.month, month=d.day)
        elif kind == "phonetique":
            name = p["birth_name"]
            # Spellings that sound the same in French (Dupont/Dupond, Renault/Renaud, Raynaud/Reinaud).
            endings = [
                ("ont", "ond"),
                ("ond", "ont"),
                ("and", "ant"),
                ("ant", "and"),
                ("ault", "aud"),
                ("aud", "ault"),
            ]
            inner = [("eau", "o"), ("ph", "f"), ("y", "i"), ("ay", "ei"), ("qu", "k")]
            for a, b in endings:
                if name.endswith(a):
                    q["birth_name"] = name[: -len(a)] + b
                    break
            else:
                for a, b in inner:
                    if a in name[1:]:
                        q["birth_name"] = name[0] + name[1:].replace(a, b, 1)
                        break
                else:
                    return None
        return q


def facts_of(p):
    from ceres.personnes.identite import IdentityFacts

    return IdentityFacts(
        birth_name=p["birth_name"],
        first_names=p["first_names"],
        birth_date=p["birth_date"],
        usage_name=p["usage_name"],
        birth_place_code=p["place"],
    )


# ----------------------------------------------------------------------------------------------------------
# Loading


def load(n, people, is_pg, batch=20_000):
    from django.db import connection, transaction
    from django.utils import timezone

    from ceres.candidats.models import Candidat, CandidatCle, CompteurCandidat
    from ceres.candidats.rules import numero_format
    from ceres.personnes.identite import blocking_keys, normalize_name

    cand_table, key_table = Candidat._meta.db_table, CandidatCle._meta.db_table
    cols = [
        "id", "public_id", "created_at", "updated_at", "numero", "civility", "birth_name", "usage_name",
        "first_names", "birth_date", "birth_town_abroad", "birth_place_code", "address", "postal_code", "email",
        "phone", "disability_adjustments", "homonym_declared_reason", "name_key", "usage_name_key",
    ]  # fmt: skip
    now = timezone.now()
    index_defs = []
    if is_pg:
        # Bulk-load practice: drop the secondary indexes, COPY, then build them once (constraints stay).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = indexname)",
                [[cand_table, key_table]],
            )
            index_defs = cursor.fetchall()
            for name, _ in index_defs:
                cursor.execute(f'DROP INDEX "{name}"')
    stored = []
    key_id = 0
    total_keys = 0
    for start in range(0, n, batch):
        rows, keys = [], []
        for i in range(start + 1, min(n, start + batch) + 1):
            p = people.person()
            stored.append(p)
            facts = facts_of(p)
            rows.append((
                i, uuid.uuid4(), now, now, numero_format(i), p["civility"], p["birth_name"], p["usage_name"],
                p["first_names"], p["birth_date"], "", p["place"], "", "", "", "", "", "",
                normalize_name(p["birth_name"])[:150], normalize_name(p["usage_name"])[:150],
            ))  # fmt: skip
            for k in blocking_keys(facts):
                key_id += 1
                keys.append((key_id, i, k))
        total_keys += len(keys)
        with transaction.atomic(), connection.cursor() as cursor:
            if is_pg:
                with cursor.cursor.copy(f"COPY {cand_table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                with cursor.cursor.copy(f"COPY {key_table} (id, candidat_id, key) FROM STDIN") as copy:
                    for row in keys:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {cand_table} ({', '.join(cols)}) VALUES ({marks})",
                    [tuple(str(v) if isinstance(v, uuid.UUID) else v for v in r) for r in rows],
                )
                cursor.executemany(f"INSERT INTO {key_table} (id, candidat_id, key) VALUES (%s, %s, %s)", keys)
        print(f"\r  {_common.fr(min(n, start + batch)):>9} dossiers chargés", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        if is_pg:
            t0 = time.perf_counter()
            for _, definition in index_defs:
                cursor.execute(definition)
            print(f"  {len(index_defs)} index reconstruits en {time.perf_counter() - t0:.1f} s")
            for table in (cand_table, key_table):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            cursor.execute(f"ANALYZE {cand_table}")
            cursor.execute(f"ANALYZE {key_table}")
        else:
            cursor.execute("ANALYZE")
    CompteurCandidat.objects.update_or_create(name="candidat", defaults={"last_value": n})
    return stored, total_keys


# ----------------------------------------------------------------------------------------------------------
# Measures


def make_queries(stored, people, count, rng):
    """(kind, expected candidate id or None, query identity). Negatives are fresh people."""
    kinds = CERTAIN_KINDS + PROBABLE_KINDS
    queries = []
    per_kind = max(1, count // (len(kinds) + 1))
    for kind in kinds:
        made, tries = 0, 0
        while made < per_kind and tries < per_kind * 50:
            tries += 1
            idx = rng.randrange(len(stored))
            q = people.variant(stored[idx], kind)
            if q is not None:
                queries.append((kind, idx + 1, q))
                made += 1
    for _ in range(per_kind):
        queries.append(("inconnu", None, people.person()))
    rng.shuffle(queries)
    return queries


def run_indexed(queries):
    from ceres.candidats.selectors import doublons_find

    timings, results, cpu = [], [], []
    for _, _, q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        found = doublons_find(facts_of(q))
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        results.append({c.pk: m.level for c, m in found})
    run_indexed.cpu = cpu
    return timings, results


def run_naive(queries):
    """Baseline: no blocking keys, read every file and compare it (a full fuzzy scan)."""
    from ceres.candidats.models import Candidat
    from ceres.personnes.identite import IdentityFacts, compare

    timings, results = [], []
    for _, _, q in queries:
        t0 = time.perf_counter()
        facts = facts_of(q)
        found = {}
        rows = Candidat.objects.values_list(
            "pk", "birth_name", "first_names", "birth_date", "usage_name", "birth_place_code"
        ).iterator(chunk_size=20_000)
        for pk, name, firsts, birth, usage, place in rows:
            match = compare(facts, IdentityFacts(name, firsts, birth, usage, place))
            if match:
                found[pk] = match.level
        timings.append((time.perf_counter() - t0) * 1000)
        results.append(found)
    return timings, results


def quality(queries, results):
    """Recall per kind (certain kinds must be found as certain), precision over every returned file."""
    hits, totals = {}, {}
    returned = correct = 0
    for (kind, expected, _), found in zip(queries, results, strict=True):
        returned += len(found)
        if expected is not None:
            totals[kind] = totals.get(kind, 0) + 1
            level = found.get(expected)
            ok = level == "certain" if kind in CERTAIN_KINDS else level is not None
            hits[kind] = hits.get(kind, 0) + ok
            correct += expected in found
    recall = {k: hits.get(k, 0) / totals[k] for k in totals}
    certain = [k for k in CERTAIN_KINDS if k in totals]
    probable = [k for k in PROBABLE_KINDS if k in totals]
    agg_certain = sum(hits.get(k, 0) for k in certain) / max(1, sum(totals[k] for k in certain))
    agg_probable = sum(hits.get(k, 0) for k in probable) / max(1, sum(totals[k] for k in probable))
    precision = correct / returned if returned else 1.0
    return recall, agg_certain, agg_probable, precision


def evaluation_set():
    """Recall/precision on the labelled pairs of the test suite, through the real duplicate check."""
    from ceres.candidats import services
    from ceres.candidats.selectors import doublons_find
    from tests.personnes import evaluation

    communes, countries = evaluation.load_referentiel()
    pairs = evaluation.pairs()
    firsts = [
        services.candidat_insert(services.Candidat(**evaluation.identity(p["a"], communes, countries))) for p in pairs
    ]
    levels = []
    for pair, first in zip(pairs, firsts, strict=True):
        found = doublons_find(evaluation.facts(pair["b"]))
        levels.append(next((match.level for candidat, match in found if candidat.pk == first.pk), None))
    score = evaluation.score(pairs, levels)
    print("\nJeu d'évaluation étiqueté (tests/personnes/evaluation, historique Insee) :")
    for line in score.lines():
        print(f"  {line}")
    for miss in score.misses[:10]:
        print(f"  manqué : {miss}")
    return score.certain_recall >= 0.99 and score.any_recall >= 0.98 and score.certain_precision >= 0.99


def main():
    args, is_pg = parse_args()
    with _common.own_database("doublons", migrate="candidats", keep=args.keep):
        from django.db import connection

        print(_common.machine())
        rng = random.Random(args.seed)
        people = People(rng)
        print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']}), {_common.fr(args.n)} dossiers")
        t1 = time.perf_counter()
        stored, total_keys = load(args.n, people, is_pg)
        t2 = time.perf_counter()
        rate = args.n / (t2 - t1)
        print(f"Génération + chargement {t2 - t1:.1f} s ({_common.fr(rate)} dossiers/s)")
        print(f"{_common.fr(total_keys)} clés de blocage, {total_keys / args.n:.1f} par dossier")

        queries = make_queries(stored, people, args.queries, rng)
        run_indexed(queries[:50])  # warm-up (connections, caches)
        timings, results = run_indexed(queries)
        recall, rc, rp, precision = quality(queries, results)
        p50, p95 = _common.percentile(timings, 50), _common.percentile(timings, 95)
        print(f"\nContrôle de doublons par clés de blocage indexées ({len(queries)} requêtes) :")
        print(f"  p50 = {p50:.2f} ms ; p95 = {p95:.2f} ms ; max = {max(timings):.2f} ms   (cible p95 ≤ 10 ms)")
        cpu = run_indexed.cpu
        where = "tout le contrôle, base comprise" if not is_pg else "côté Python seulement, sans le serveur"
        print(
            f"  temps CPU du processus ({where}, peu sensible à la charge de la machine) : "
            f"p50 = {_common.percentile(cpu, 50):.2f} ms ; p95 = {_common.percentile(cpu, 95):.2f} ms"
        )
        for kind in CERTAIN_KINDS + PROBABLE_KINDS:
            if kind in recall:
                print(f"  rappel {kind:<20} {recall[kind]:7.2%}")
        print(f"  rappel certains = {rc:.2%} (cible ≥ 99 %) ; rappel probables = {rp:.2%} (cible ≥ 95 %)")
        print(f"  précision = {precision:.2%} (cible ≥ 95 %)")

        sample = queries[: args.naive_sample]
        naive_t, naive_r = run_naive(sample)
        idx_t = timings[: args.naive_sample]
        same = sum(set(a) == set(b) for a, b in zip(naive_r, results[: args.naive_sample], strict=True))
        n50 = statistics.median(naive_t)
        print(f"\nBase de comparaison naïve : balayage complet + comparaison floue ({len(sample)} requêtes) :")
        print(f"  p50 = {n50:.0f} ms ; max = {max(naive_t):.0f} ms")
        print(f"  mêmes dossiers trouvés que par les clés : {same}/{len(sample)}")
        print("\n" + _common.ratio_line("p50, mêmes requêtes", _common.ratio(n50, statistics.median(idx_t))))
        if not args.no_batch:
            from ceres.candidats.selectors import doublons_detect

            t0 = time.perf_counter()
            pairs = sum(1 for _ in doublons_detect())
            print(
                f"\nDétection par lot (detecter_doublons) : {_common.fr(pairs)} paires"
                f" en {time.perf_counter() - t0:.1f} s"
            )
        evaluation_ok = evaluation_set()
        ok = p95 <= 10 and rc >= 0.99 and rp >= 0.95 and precision >= 0.95 and evaluation_ok
        scale_note = (
            ""
            if args.n >= 2_000_000
            else f" — mesuré sur {_common.fr(args.n)} dossiers, la cible porte sur 2 000 000 (--full)"
        )
        print(
            _common.verdict(
                "p95 ≤ 10 ms, rappel ≥ 99 % certains / ≥ 95 % probables, précision ≥ 95 % ; jeu étiqueté : "
                "certains ≥ 99 %, certains + probables ≥ 98 %, précision des certains ≥ 99 %",
                ok,
            )
            + scale_note
        )


if __name__ == "__main__":
    main()
