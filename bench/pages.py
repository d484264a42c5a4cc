"""Page benchmark: every main page of every role, server time and query count, at national volume.

Logs in as each role (accounts of bench/national.py), requests each page of ``PAGES`` ``--samples`` times, each sample
on a different object or search term (one run per sample: no warm-up kept, no best-of), and prints p50/p95 of the
server time (the Django test client in-process: URL resolution, middlewares, view, queries, template) and the
largest query count against the targets of issue #14 (p95 <= 100 ms, <= 20 queries).

    # on the national database of bench/national.py (read mostly: a page that logs a consultation adds to the journal)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceres_national_2m .venv/bin/python bench/pages.py --on-database
    # without --on-database: builds a national-like database of its own first (SQLite or <base>_bench_pages, dropped
    # at the end), 20,000 files (--quick: 2,000 files, 3 samples per page: the smoke run of .ci/run)
    .venv/bin/python bench/pages.py --quick

Add a page: one ``Page(role, label, path)`` line in ``PAGES`` (``path`` receives the context ``c`` and the sample
number ``i``: ``c.pick("sessions", i)`` rotates over the samples prepared in ``Context``).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import _common

TARGET_MS = 100
TARGET_QUERIES = 20


@dataclass
class Page:
    role: str  # key of Context.users ("" = anonymous)
    label: str
    path: Callable  # (context, sample index) -> URL
    status: int = 200


def session_url(c, i, suffix=""):
    return f"/sessions/{c.pick('sessions', i)}/{suffix}"


PAGES = [
    # Agent UD of the busiest département: the page every UD agent lands on, then its daily work.
    Page("ud", "Tableau de bord", lambda c, i: "/tableau-de-bord/"),
    Page("ud", "Candidats (liste)", lambda c, i: "/candidats/"),
    Page("ud", "Candidats : nom (début)", lambda c, i: f"/candidats/?q={c.pick('prefixes', i)}"),
    Page("ud", "Candidats : nom complet", lambda c, i: f"/candidats/?q={c.pick('names', i)}"),
    Page("ud", "Candidats : numéro", lambda c, i: f"/candidats/?q={c.pick('numeros', i)}"),
    Page(
        "ud", "Candidats : nom + naissance", lambda c, i: "/candidats/?q={}&birth_date={}".format(*c.pick("births", i))
    ),
    Page("ud", "Fiche candidat", lambda c, i: f"/candidats/{c.pick('candidats', i)}/"),
    Page("ud", "Parcours candidat", lambda c, i: f"/sessions/parcours/{c.pick('candidats', i)}/"),
    Page("ud", "Doublons", lambda c, i: "/candidats/doublons/"),
    Page("ud", "Sessions (liste)", lambda c, i: "/sessions/"),
    Page("ud", "Sessions : page 40", lambda c, i: "/sessions/?page=40"),
    Page("ud", "Sessions : résultats saisis", lambda c, i: "/sessions/?status=resultats_saisis"),
    Page("ud", "Fiche session", session_url),
    Page("ud", "Parchemins de la session", lambda c, i: f"/documents/sessions/{c.pick('sessions', i)}/parchemins/"),
    Page("ud", "Membres de jury", lambda c, i: "/jurys/"),
    Page(
        "ud",
        "Jurés à convoquer",
        lambda c, i: "/jurys/a-convoquer/?titre={}&start_date={}".format(*c.pick("convene", i)),
    ),
    Page("ud", "Agréments", lambda c, i: "/centres/agrements/"),
    Page("ud", "Statistiques (page préparée)", lambda c, i: "/statistiques/"),
    # Agent DREETS of that region.
    Page("dreets", "Tableau de bord", lambda c, i: "/tableau-de-bord/"),
    Page("dreets", "Centres", lambda c, i: "/centres/"),
    Page("dreets", "Agréments", lambda c, i: "/centres/agrements/"),
    Page("dreets", "Candidats (liste)", lambda c, i: "/candidats/"),
    Page("dreets", "Candidats : nom (début)", lambda c, i: f"/candidats/?q={c.pick('prefixes', i)}"),
    Page("dreets", "Sessions (liste)", lambda c, i: "/sessions/"),
    # Manager of the biggest centre.
    Page("centre", "Tableau de bord", lambda c, i: "/tableau-de-bord/"),
    Page("centre", "Sessions (liste)", lambda c, i: "/sessions/"),
    Page("centre", "Fiche session", lambda c, i: f"/sessions/{c.pick('centre_sessions', i)}/"),
    Page(
        "centre",
        "Inscrire : recherche par nom",
        lambda c, i: "/sessions/{}/inscrire/?q={}".format(c.pick("centre_sessions", i), c.pick("names", i)),
    ),
    Page(
        "centre",
        "Inscrire : nom + naissance",
        lambda c, i: "/sessions/{}/inscrire/?q={}&birth_date={}".format(
            c.pick("centre_sessions", i), *c.pick("births", i)
        ),
    ),
    Page("centre", "Candidats (liste)", lambda c, i: "/candidats/"),
    Page("centre", "Candidats : nom (début)", lambda c, i: f"/candidats/?q={c.pick('prefixes', i)}"),
    Page("centre", "Mes agréments", lambda c, i: "/centres/agrements/mes-agrements/"),
    # National administrator (reads everything).
    Page("admin", "Tableau de bord", lambda c, i: "/tableau-de-bord/"),
    Page("admin", "Candidats (liste)", lambda c, i: "/candidats/"),
    Page("admin", "Candidats : nom (début)", lambda c, i: f"/candidats/?q={c.pick('prefixes', i)}"),
    Page("admin", "Sessions (liste)", lambda c, i: "/sessions/"),
    Page("admin", "Doublons", lambda c, i: "/candidats/doublons/"),
    Page("admin", "Titres", lambda c, i: "/referentiels/titres/"),
    # Statistics: the default page is prepared by the statistics job (calculer_statistiques); another period is
    # computed on request (each sample a different period: never served from the cache).
    Page("admin", "Statistiques (page préparée)", lambda c, i: "/statistiques/"),
    Page(
        "admin", "Statistiques : autre période", lambda c, i: f"/statistiques/?start={2016 + i % 8}-{1 + i % 12:02d}"
    ),
    # Juror.
    Page("jury", "Tableau de bord", lambda c, i: "/tableau-de-bord/"),
    Page("jury", "Mon espace", lambda c, i: "/jurys/mon-espace/"),
    Page("jury", "Sessions (liste)", lambda c, i: "/sessions/"),
    # Without an account: verification of a printed number, public API.
    Page("", "Vérifier un parchemin", lambda c, i: f"/documents/verifier/{c.pick('numbers', i)}"),
    Page("", "API communes", lambda c, i: f"/api/v1/communes/?q={c.pick('communes', i)}"),
    Page("", "API pays", lambda c, i: f"/api/v1/pays/?q={c.pick('pays', i)}"),
]


class Context:
    """Users of each role and rotating samples (objects in the UD's / centre's scope, search terms)."""

    def __init__(self, samples: int):
        from django.db.models import Count

        from ceres.candidats.models import Candidat
        from ceres.comptes.models import User
        from ceres.examens.models import Certification, Inscription, SessionExamen

        # The busiest département (most sessions in the last year), its UD agent, its DREETS, its biggest centre.
        recent = SessionExamen.objects.filter(start_date__gte=dt.date.today() - dt.timedelta(days=365))
        top = recent.values("departement__code").annotate(n=Count("id")).order_by("-n").first()
        code = top["departement__code"]
        ud = User.objects.filter(email__startswith=f"bench-ud-{code}-").order_by("email").first()
        region_code = ud.ud.departement.region.code
        centre = recent.filter(departement__code=code).values("centre_id").annotate(n=Count("id")).order_by("-n")[0]
        self.users = {
            "ud": ud,
            "dreets": User.objects.filter(email__startswith=f"bench-dreets-{region_code}-").order_by("email").first(),
            "centre": User.objects.get(email=f"bench-centre-{centre['centre_id']}@ceres.bench"),
            "admin": User.objects.get(email="bench-admin@ceres.bench"),
            "jury": User.objects.filter(email__startswith="bench-jury-").order_by("id").first(),
        }
        self.where = f"département {code} (UD), région {region_code} (DREETS), centre n° {centre['centre_id']}"
        k = max(samples, 5)
        sessions = list(
            recent.filter(departement__code=code, status="validee").order_by("-planned_candidates", "-id")[:k]
        )
        self.data = {
            "sessions": [s.public_id for s in sessions],
            "centre_sessions": list(
                SessionExamen.objects.filter(centre_id=centre["centre_id"])
                .order_by("-start_date", "-id")
                .values_list("public_id", flat=True)[:k]
            ),
            "convene": [
                (s.titre_id, (dt.date.today() + dt.timedelta(days=20 + j)).isoformat()) for j, s in enumerate(sessions)
            ],
        }
        people = list(
            Candidat.objects.filter(
                pk__in=Inscription.objects.filter(session__in=sessions).values("candidat_id")[: k * 4]
            ).values_list("public_id", "numero", "birth_name", "name_key", "birth_date")[:k]
        )
        self.data["candidats"] = [p[0] for p in people]
        self.data["numeros"] = [p[1] for p in people]
        self.data["names"] = [p[2] for p in people]
        self.data["prefixes"] = [p[3][:3] for p in people]
        self.data["births"] = [(p[2], p[4].isoformat()) for p in people]
        self.data["numbers"] = list(
            Certification.objects.filter(number__isnull=False).order_by("-id").values_list("number", flat=True)[:k]
        )
        self.data["communes"] = ["bourg", "st etienne", "lyon", "arlod", "marseille", "val", "saint-", "ch", "mont",
                                 "clemenciat"]  # fmt: skip
        self.data["pays"] = ["maroc", "al", "belg", "tun", "port", "ital"]

    def pick(self, key: str, i: int):
        values = self.data[key]
        return values[i % len(values)]


def measure(pages, context, samples: int, *, explain: bool = False):
    """Per page: server time (wall), this process's CPU time, time spent in SQL, query count; one run per sample."""
    from django.db import connection
    from django.test import Client

    clients = {}
    for role, user in context.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    clients[""] = Client()
    state = {"n": 0, "sql": 0.0, "slowest": (0.0, "")}

    def count(execute, sql, params, many, ctx):
        state["n"] += 1
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            spent = (time.perf_counter() - t0) * 1000
            state["sql"] += spent
            if spent > state["slowest"][0]:
                state["slowest"] = (spent, sql)

    rows = []
    for page in pages:
        timings, cpus, sqls, counts, errors = [], [], [], [], []
        state["slowest"] = (0.0, "")
        client = clients[page.role]
        for i in range(samples):
            url = page.path(context, i)
            state["n"], state["sql"] = 0, 0.0
            with connection.execute_wrapper(count):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url, REMOTE_ADDR=f"10.{i // 250}.{i % 250}.1")
                elapsed, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            timings.append(elapsed)
            cpus.append(cpu)
            sqls.append(state["sql"])
            counts.append(state["n"])
            if response.status_code != page.status:
                errors.append(f"{url} -> {response.status_code}")
        row = {
            "page": page,
            "time": _common.summary(timings),
            "cpu": _common.percentile(cpus, 95),
            "sql": _common.percentile(sqls, 95),
            "queries": max(counts),
            "errors": errors,
            "slowest": state["slowest"],
        }
        rows.append(row)
        print(".", end="", flush=True)
    print()
    return rows


def report(rows, samples: int, *, explain: bool = False) -> int:
    width = max(len(f"{r['page'].role or 'public'} · {r['page'].label}") for r in rows)
    print(
        f"\n{'Page':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'CPU p95':>7}  {'SQL p95':>7}  {'requêtes':>8}  "
        f"cible (p95 <= {TARGET_MS} ms, <= {TARGET_QUERIES} requêtes)"
    )
    misses = 0
    for r in rows:
        figures = r["time"]
        ok = figures["p95"] <= TARGET_MS and r["queries"] <= TARGET_QUERIES and not r["errors"]
        misses += not ok
        name = f"{r['page'].role or 'public'} · {r['page'].label}"
        verdict = "atteinte" if ok else "MANQUÉE"
        if r["errors"]:
            verdict += f" — erreurs : {r['errors'][0]} ({len(r['errors'])})"
        print(
            f"{name:<{width}}  {figures['p50']:>7.1f}  {figures['p95']:>7.1f}  {r['cpu']:>7.1f}  {r['sql']:>7.1f}  "
            f"{r['queries']:>8}  {verdict}"
        )
    print(
        f"\n{len(rows)} pages, {samples} échantillons chacune (un passage par échantillon) ; {misses} hors cible. "
        "CPU : temps processeur du processus Python (rendu compris) ; SQL : attente des requêtes."
    )
    if explain:
        print("\nRequête la plus lente de chaque page :")
        for r in sorted(rows, key=lambda r: -r["slowest"][0])[:12]:
            print(f"  {r['slowest'][0]:8.1f} ms  {r['page'].role} · {r['page'].label} : {r['slowest'][1][:400]}")
    return misses


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--samples", quick=3, default=20, full=30, help="échantillons par page")
    parser.add_size("--build", quick=2000, default=20_000, full=0, help="taille de la base jetable construite d'abord")
    parser.add_argument(
        "--on-database",
        action="store_true",
        help="mesurer sur la base de DATABASE_URL telle quelle (la base nationale de bench/national.py)",
    )
    parser.add_argument("--role", default="", help="pages d'un seul rôle (ud, dreets, centre, admin, jury, public)")
    parser.add_argument(
        "--only", default="", help="pages dont le nom contient ce texte (« Doublons », « ud · Fiche »), sans casse"
    )
    parser.add_argument("--skip", default="", help="sans les pages dont le nom contient ce texte (« Statistiques »)")
    parser.add_argument(
        "--no-statistics-job",
        action="store_true",
        help="ne pas lancer calculer_statistiques avant la mesure (tables de synthèse déjà à jour ; les pages "
        "par défaut ne sont alors pas préparées dans le cache de ce processus)",
    )
    parser.add_argument("--strict", action="store_true", help="code de sortie 1 si une page manque sa cible")
    parser.add_argument("--slowest", action="store_true", help="afficher la requête SQL la plus lente de chaque page")
    args = parser.parse_args()
    if args.full:
        args.on_database = True
    pages = [
        p
        for p in PAGES
        if (not args.role or (p.role or "public") == args.role)
        and args.only.lower() in f"{p.role or 'public'} · {p.label}".lower()
        and not (args.skip and args.skip.lower() in f"{p.role or 'public'} · {p.label}".lower())
    ]
    if not pages:
        parser.error("aucune page ne correspond à --role / --only")

    def run():
        from django.conf import settings
        from django.db import connection

        settings.CERES_COMMUNES_IN_MEMORY = True  # the production setting (the bench runs on the test settings)
        from config.warmup import warm_up

        t0 = time.perf_counter()
        warm_up()  # what config/wsgi.py does when the app server starts, before any request
        started = time.perf_counter() - t0
        context = Context(args.samples)
        print(_common.machine())
        from ceres.candidats.models import Candidat

        print(f"Base : {connection.vendor}, {_common.fr(Candidat.objects.count())} candidats ; {context.where}")
        print(f"Processus préparé au démarrage (config/warmup.py) en {started:.1f} s")
        if any("Statistiques" in p.label for p in pages) and not args.no_statistics_job:
            import io

            from django.core.management import call_command

            t0 = time.perf_counter()
            job = io.StringIO()
            call_command("calculer_statistiques", "--wet-run", stdout=job)  # as the nightly job does
            spent = time.perf_counter() - t0
            print(f"Statistiques calculées et pages préparées en {spent:.1f} s : {job.getvalue()!r}")
        rows = measure(pages, context, args.samples)
        misses = report(rows, args.samples, explain=args.slowest)
        if any(r["errors"] for r in rows):
            sys.exit(2)
        if args.strict and misses:
            sys.exit(1)

    if not args.on_database:
        with _common.own_database("pages", keep=args.keep):
            import national

            national.build(args.build, out=lambda m: None)
            run()
    else:
        _common.setup_django()
        run()


if __name__ == "__main__":
    main()
