"""National-volume generator: a CERES database the size of ten years of the whole country.

Builds, in the database of DATABASE_URL (PostgreSQL: COPY; SQLite: batched inserts, small volumes only):
référentiels (the repository's own data), ~centres of very different sizes (Pareto, AFPA/GRETA bigger), their sites
and agréments, agents (national, DREETS, UD, centre managers, jurors), jurors and habilitations, then ten years of
sessions (2 per cent CCS-less CCP sessions, cancelled ones, recent ones still open), their jury, registrations
(returning candidates after a partial success or a failure), CCP results, the certifications the UD's validation
awards (titles + CCPs, partial successes, numbered), printed parchemins with reprints (duplicatas), candidate blocking
keys, potential duplicates (variants of real people) and the audit journal.

For N candidates (2,000,000 by default): N/8 sessions, ~0.94 N registrations, ~2.2 N certifications, ~2.3 N journal
rows. Ids are sequential; every random draw comes from --seed (same seed, same database).

    createdb -h 127.0.0.1 -U postgres ceres_national_2m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceres_national_2m .venv/bin/python bench/national.py
    DATABASE_URL=… .venv/bin/python bench/national.py --candidates 200000    # 200 k
    DATABASE_URL=… .venv/bin/python bench/national.py --recreate              # drop everything first

Accounts (password ``Ceres-bench-2026!``; bench/pages.py and bench/charge.py use them): ``bench-admin@ceres.bench``,
``bench-dreets-<region>-<i>@ceres.bench``, ``bench-ud-<département>-<i>@ceres.bench``,
``bench-centre-<n>@ceres.bench`` (one per centre, n = centre id), ``bench-jury-<n>@ceres.bench``.
The database of DATABASE_URL is written to (that is the point): never point it at a database you care about.
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib
import io
import json
import math
import random
import sys
import time
import uuid

import _common

PASSWORD = "Ceres-bench-2026!"
DOMAIN = "ceres.bench"
TODAY = dt.date.today()
YEARS = 10

# Rough weight of each département's activity (population); others weigh 1.
DEPT_WEIGHTS = {
    "75": 5, "13": 5, "59": 6, "69": 5, "92": 4, "93": 4, "94": 3.5, "33": 4, "31": 3.5, "44": 3.5, "06": 3,
    "67": 3, "34": 3, "38": 3, "62": 3.5, "76": 3, "77": 3.5, "78": 3.5, "91": 3, "95": 3, "35": 2.7, "57": 2.5,
    "974": 2, "83": 2.7, "30": 1.9, "45": 1.7, "49": 2, "29": 2, "63": 1.7, "60": 2, "42": 1.9, "74": 2, "54": 1.8,
    "68": 1.9, "971": 0.9, "972": 0.8, "973": 0.7, "976": 0.6, "48": 0.2, "23": 0.3, "05": 0.4, "15": 0.4,
    "90": 0.4, "09": 0.4, "04": 0.4, "52": 0.4, "55": 0.5, "32": 0.5, "46": 0.5, "43": 0.6,
}  # fmt: skip
CENTRE_TYPES = [("organisme_prive", 0.58, 1), ("greta", 0.15, 2.5), ("cfa", 0.15, 1.5), ("afpa", 0.06, 6),
                ("crp", 0.03, 1), ("autre", 0.03, 0.7)]  # fmt: skip
ROUTES = [("formation_continue", 0.58), ("apprentissage", 0.22), ("vae", 0.15), ("equivalence", 0.05)]


def parse_args():
    parser = _common.parser(__doc__)
    parser.add_size("--candidates", quick=3_000, default=2_000_000, full=2_000_000, help="dossiers candidats")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--recreate", action="store_true", help="vider la base (DROP SCHEMA public) avant")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------------------------------------------------
# Bulk writing: PostgreSQL COPY (secondary indexes and constraints dropped during the load), SQLite executemany


class Writer:
    """Rows for one model: tuples in the order of ``fields`` (attnames); every other column takes the model's default
    (so a column added later with a default does not break the generator)."""

    def __init__(self, model, fields: list[str], *, pg: bool):
        from django.db.models.fields import NOT_PROVIDED

        self.model, self.pg, self.table = model, pg, model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [by_attname[name] for name in fields]
        self.extra = []  # (field, constant or callable)
        for f in model._meta.concrete_fields:
            if f.attname in fields or f.primary_key:
                continue
            if getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue  # the database fills it
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.extra.append((f, NOW))
            elif f.has_default() and callable(f.default):
                self.extra.append((f, f.default))
            else:
                self.extra.append((f, f.get_default()))
        self.columns = [f.column for f in self.fields] + [f.column for f, _ in self.extra]
        self.constant = all(not callable(v) for _, v in self.extra)
        self.tail = tuple(v for _, v in self.extra) if self.constant else None
        self.count = 0

    def full(self, row):
        tail = self.tail if self.constant else tuple(v() if callable(v) else v for _, v in self.extra)
        return row + tail

    def write(self, rows) -> None:
        from django.db import connection

        rows = [self.full(r) for r in rows]
        self.count += len(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f'COPY "{self.table}" ({", ".join(self.columns)}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row([_pg(v) for v in row] if self._json else row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f'INSERT INTO "{self.table}" ({", ".join(self.columns)}) VALUES ({marks})',
                    [tuple(_sqlite(v) for v in r) for r in rows],
                )

    @property
    def _json(self):
        return any(f.get_internal_type() == "JSONField" for f in self.fields) or any(
            f.get_internal_type() == "JSONField" for f, _ in self.extra
        )


NOW = None  # set in build()


def _pg(value):
    return json.dumps(value) if isinstance(value, dict | list) else value


def _sqlite(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


class Batch:
    """Buffers rows of a Writer and flushes every ``size`` rows."""

    def __init__(self, writer: Writer, size: int = 50_000):
        self.writer, self.size, self.rows = writer, size, []

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self):
        self.writer.write(self.rows)
        self.rows = []


def drop_secondary(tables: list[str]) -> list[str]:
    """Drop every index and constraint except primary keys on these tables; returns the SQL to recreate them
    (indexes first, then unique/check constraints, then foreign keys)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f', 'c', 'x')",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    order = {"u": 0, "x": 0, "c": 1, "f": 2}
    recreate = [definition for _, definition in indexes]
    for table, name, definition, _kind in sorted(constraints, key=lambda c: order[c[3]]):
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return recreate


# ----------------------------------------------------------------------------------------------------------
# Random helpers


class Draw:
    """Weighted choice in O(log n) from a list of (value, weight)."""

    def __init__(self, rng: random.Random, items):
        import bisect
        import itertools

        self.rng, self.bisect = rng, bisect.bisect
        self.values = [v for v, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))

    def __call__(self):
        return self.values[self.bisect(self.cum, self.rng.random() * self.cum[-1])]


def siret(rng: random.Random, i: int) -> str:
    body = f"{rng.randrange(10**8):08d}{i:05d}"
    for last in range(10):
        candidate = body + str(last)
        from ceres.core.validators import luhn_ok

        if luhn_ok(candidate):
            return candidate
    raise AssertionError


# ----------------------------------------------------------------------------------------------------------
# Blocking keys of the duplicate check: the Python-heavy part, computed by worker processes over id ranges

KEY_WORKERS = 2


def _keys_of_range(bounds) -> int:
    from django.db import connection, connections

    from ceres.candidats.models import Candidat, CandidatCle
    from ceres.personnes.identite import IdentityFacts, blocking_keys

    low, high = bounds
    connections.close_all()  # a forked worker opens its own connection
    writer = Batch(Writer(CandidatCle, ["candidat_id", "key"], pg=connection.vendor == "postgresql"), 200_000)
    count = 0
    fields = ("id", "birth_name", "first_names", "birth_date", "usage_name", "birth_place_code")
    for start in range(low, high, 20_000):
        rows = Candidat.objects.filter(id__gte=start, id__lt=min(high, start + 20_000)).values_list(*fields)
        for pk, name, firsts, birth, usage, place in rows:
            for key in blocking_keys(IdentityFacts(name, firsts, birth, usage, place)):
                writer.add((pk, key))
                count += 1
    writer.flush()
    connections.close_all()
    return count


def _loading_session(sender, connection, **kwargs):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        # Ten years of history are loaded as they were (validated results, back-dated journal): the database's
        # immutability triggers (docs/decisions/0004) are skipped for the generator's connections only, as on a
        # replica (reserved to a superuser, never the application's role).
        cursor.execute("SET session_replication_role = replica")


def write_keys(last_id: int, *, pg: bool, workers: int) -> int:
    from django.db import connections

    step = -(-last_id // (workers * 4))
    ranges = [(low, min(last_id + 1, low + step)) for low in range(1, last_id + 1, step)]
    if workers <= 1:
        return sum(_keys_of_range(r) for r in ranges)
    import multiprocessing

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap_unordered(_keys_of_range, ranges))


# ----------------------------------------------------------------------------------------------------------
# The build


def build(n: int, *, seed: int = 2026, out=log) -> dict[str, int]:  # noqa: C901 (one linear story)
    global NOW
    from django.apps import apps as django_apps
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from doublons import People

    from ceres.candidats import rules as candidat_rules
    from ceres.candidats.models import Candidat, CandidatAcces, CandidatCle, CompteurCandidat, DoublonPotentiel
    from ceres.centres.models import Agrement, Centre, MembreCentre, Site, address_key
    from ceres.comptes.enums import Role
    from ceres.comptes.models import User
    from ceres.core.models import JournalEntry
    from ceres.core.text import search_key
    from ceres.documents.models import Parchemin
    from ceres.editique import rules as doc_rules
    from ceres.editique.models import Compteur
    from ceres.examens.models import Certification, Inscription, MembreConvoque, ResultatCcp, SessionExamen
    from ceres.jurys.models import Habilitation, MembreJury
    from ceres.personnes.identite import IdentityFacts, compare, normalize_name
    from ceres.referentiels.models import Commune, Departement, Pays, TitreProfessionnel, UniteDepartementale

    pg = connection.vendor == "postgresql"
    rng = random.Random(seed)
    NOW = timezone.now()
    t_start = time.perf_counter()
    stats: dict[str, int] = {}

    if not Commune.objects.exists():
        out("Référentiels (données du dépôt)…")
        call_command("load_referentiels", wet_run=True, stdout=io.StringIO())
    if Candidat.objects.exists() or SessionExamen.objects.exists():
        raise SystemExit("La base contient déjà des candidats ou des sessions : --recreate pour la vider.")

    if pg:
        from django.db.backends.signals import connection_created

        connection_created.connect(_loading_session, dispatch_uid="national-loading-session")
        connection.close()  # reopened with the loading settings (and again after each fork of the key workers)

    # ---------------------------------------------------------------- référentiels in memory
    depts = list(Departement.objects.select_related("region").order_by("code"))
    uds = {u.departement_id: u for u in UniteDepartementale.objects.all()}
    communes_by_dept = collections.defaultdict(list)
    for cid, dcode in Commune.objects.filter(end_date__isnull=True, kind="COM").values_list("id", "departement_code"):
        communes_by_dept[dcode].append(cid)
    if not communes_by_dept:
        for cid, dcode in Commune.objects.filter(end_date__isnull=True).values_list("id", "departement_code"):
            communes_by_dept[dcode].append(cid)
    all_communes = list(Commune.objects.values_list("id", "code_insee"))
    countries = list(Pays.objects.filter(end_date__isnull=True).exclude(code="99100").values_list("id", flat=True))
    france = Pays.objects.filter(code="99100").values_list("id", flat=True).first()
    titres = []
    for t in TitreProfessionnel.objects.prefetch_related("ccps").order_by("id"):
        ccps = sorted((c.order, c.id) for c in t.ccps.all())
        if len(ccps) >= 2:
            titres.append((t.id, [c for _, c in ccps]))
    if not titres:
        raise SystemExit("Aucun titre avec au moins deux CCP : référentiels incomplets.")
    depts = [d for d in depts if communes_by_dept.get(d.code) and d.id in uds]
    dept_draw = Draw(rng, [(d, DEPT_WEIGHTS.get(d.code, 1.0)) for d in depts])
    titre_draw = Draw(rng, [(t, 1 / (i + 3)) for i, t in enumerate(rng.sample(titres, len(titres)))])
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())

    def users(rows):
        objs = [
            User(email=e, first_name=f, last_name=la, role=r, region_id=reg, ud_id=ud, password=password, **x)
            for e, f, la, r, reg, ud, x in rows
        ]
        return User.objects.bulk_create(objs, batch_size=2000)

    # ---------------------------------------------------------------- accounts of the administrations
    with transaction.atomic():
        admin = users([(f"bench-admin@{DOMAIN}", "Agathe", "NATIONALE", Role.ADMIN_NATIONAL, None, None, {})])[0]
        regions = sorted({d.region_id: d.region for d in depts}.values(), key=lambda r: r.code)
        users(
            (f"bench-dreets-{r.code}-{i}@{DOMAIN}", "Agent", f"DREETS {r.code}", Role.AGENT_DREETS, r.id, None, {})
            for r in regions
            for i in (1, 2, 3)
        )
        ud_users = users(
            (f"bench-ud-{d.code}-{i}@{DOMAIN}", "Agent", f"UD {d.code}", Role.AGENT_UD, None, uds[d.id].id, {})
            for d in depts
            for i in (1, 2, 3, 4)
        )
        ud_user_by_dept = collections.defaultdict(list)
        for u in ud_users:
            ud_user_by_dept[u.ud_id].append(u.id)
    out(f"Comptes des administrations : {1 + 3 * len(regions) + 4 * len(depts)}")

    # ---------------------------------------------------------------- centres, sites, agréments, managers
    n_centres = max(30, n // 650)
    type_draw = Draw(rng, [((t, w), p) for t, p, w in CENTRE_TYPES])
    centres, sizes = [], []
    labels = {"organisme_prive": "Formation", "greta": "GRETA", "cfa": "CFA", "afpa": "AFPA", "crp": "CRP",
              "autre": "Institut"}  # fmt: skip
    for i in range(1, n_centres + 1):
        d = dept_draw()
        (kind, weight) = type_draw()
        commune = rng.choice(communes_by_dept[d.code])
        word = rng.choice(("Avenir", "Compétences", "Métiers", "Pro", "Horizon", "Atout"))
        name = f"{labels[kind]} {word} {d.code}-{i}"
        centres.append(
            Centre(name=name, name_key=search_key(name, drop_article=False), siret=siret(rng, i), type=kind,
                   departement=d, commune_id=commune, address=f"{rng.randrange(1, 120)} rue des Écoles",
                   postal_code=f"{d.code[:2]}{rng.randrange(1000):03d}"[:5], email=f"contact{i}@centre.{DOMAIN}")
        )  # fmt: skip
        sizes.append(weight * rng.paretovariate(1.3))
    with transaction.atomic():
        centres = Centre.objects.bulk_create(centres, batch_size=2000)
        sites = []
        for c in centres:
            for k in range(1 + (rng.random() < 0.25)):
                address = f"{k + 1} place du Marché"
                sites.append(
                    Site(centre=c, name=f"Site {k + 1}", address=address, postal_code=c.postal_code,
                         commune_id=c.commune_id, address_key=address_key(address, c.postal_code))
                )  # fmt: skip
        sites = Site.objects.bulk_create(sites, batch_size=2000)
        sites_of = collections.defaultdict(list)
        for s in sites:
            sites_of[s.centre_id].append(s.id)
        agrements = []
        for c, size in zip(centres, sizes, strict=True):
            count = max(1, min(25, int(size * 1.5)))
            for t in {titre_draw()[0] for _ in range(count)}:
                agrements.append(
                    Agrement(centre=c, site_id=rng.choice(sites_of[c.id]), titre_id=t,
                             start_date=TODAY - dt.timedelta(days=365 * YEARS + 200),
                             end_date=TODAY + dt.timedelta(days=rng.randrange(200, 1500)), decision="acceptee",
                             decision_date=TODAY - dt.timedelta(days=365 * YEARS + 230), decision_by=admin)
                )  # fmt: skip
        agrements = Agrement.objects.bulk_create(agrements, batch_size=5000)
        agrements_of = collections.defaultdict(list)
        for a in agrements:
            agrements_of[a.centre_id].append(a)
        managers = users(
            (f"bench-centre-{c.id}@{DOMAIN}", "Gestion", c.name[:100], Role.GESTIONNAIRE_CENTRE, None, None, {})
            for c in centres
        )
        MembreCentre.objects.bulk_create(
            [MembreCentre(user=u, centre=c, is_admin=True) for u, c in zip(managers, centres, strict=True)],
            batch_size=5000,
        )
        manager_of = {c.id: u.id for u, c in zip(managers, centres, strict=True)}
    stats["centres"], stats["agrements"] = len(centres), len(agrements)
    out(f"Centres : {len(centres)}, sites : {len(sites)}, agréments : {len(agrements)}")

    # ---------------------------------------------------------------- jurors and habilitations
    people = People(rng)
    n_jurors = max(60, n // 50)
    titres_by_dept = collections.defaultdict(set)
    for a in agrements:
        titres_by_dept[a.centre.departement_id].add(a.titre_id)
    jurors, dept_of_juror = [], []
    for i in range(n_jurors):
        d = dept_draw()
        p = people.person()
        m = MembreJury(civility=p["civility"], birth_name=p["birth_name"], usage_name=p["usage_name"],
                       first_names=p["first_names"].replace(",", ""), birth_date=dt.date(1950, 1, 1)
                       + dt.timedelta(days=rng.randrange(365 * 45)), birth_commune_id=rng.choice(all_communes)[0],
                       commune_id=rng.choice(communes_by_dept[d.code]), email=f"jure{i}@jury.{DOMAIN}",
                       profession="Formateur", employer_name=f"Entreprise {rng.randrange(5000)}", status="salarie",
                       years_experience=rng.randrange(3, 30), ud=uds[d.id])  # fmt: skip
        m.fill_keys()
        jurors.append(m)
        dept_of_juror.append(d.id)
    with transaction.atomic():
        jury_users = users(
            (f"bench-jury-{i + 1}@{DOMAIN}", "Juré", f"N{i + 1}", Role.MEMBRE_JURY, None, None, {})
            for i in range(min(300, n_jurors))
        )
        for m, u in zip(jurors, jury_users, strict=False):
            m.user = u
        jurors = MembreJury.objects.bulk_create(jurors, batch_size=5000)
        habs = []
        jurors_by_dept_titre = collections.defaultdict(list)
        jurors_by_dept = collections.defaultdict(list)
        for m, d_id in zip(jurors, dept_of_juror, strict=True):
            jurors_by_dept[d_id].append(m.id)
            options = sorted(titres_by_dept[d_id]) or [titre_draw()[0]]
            for t in set(rng.choice(options) for _ in range(rng.choice((1, 1, 2, 3)))):
                habs.append(
                    Habilitation(membre=m, titre_id=t, start_date=TODAY - dt.timedelta(days=rng.randrange(4000)),
                                 end_date=None, until_end_of_life=True, ud_id=m.ud_id, decision_date=TODAY
                                 - dt.timedelta(days=rng.randrange(4000, 4300)),
                                 status="active" if rng.random() < 0.92 else "suspendue")
                )  # fmt: skip
                jurors_by_dept_titre[d_id, t].append(m.id)
        Habilitation.objects.bulk_create(habs, batch_size=5000)
    stats["jures"], stats["habilitations"] = len(jurors), len(habs)
    out(f"Jurés : {len(jurors)}, habilitations : {len(habs)}")

    # ---------------------------------------------------------------- the big tables
    big = [SessionExamen, MembreConvoque, Candidat, CandidatCle, CandidatAcces, Inscription, ResultatCcp,
           Certification, DoublonPotentiel, JournalEntry, Parchemin]  # fmt: skip
    recreate = drop_secondary([m._meta.db_table for m in big]) if pg else []
    if pg:
        out(f"{len(recreate)} index et contraintes retirés le temps du chargement")

    W = {}  # noqa: N806
    W["session"] = Batch(Writer(SessionExamen, [
        "id", "public_id", "centre_id", "site_id", "agrement_id", "departement_id", "titre_id", "type", "start_date",
        "end_date", "convocation_date", "responsable_id", "planned_candidates", "status", "submitted_at", "pv_number",
        "validated_at", "validated_by_id", "created_by_id", "created_at", "pv_signed",
    ], pg=pg), 20_000)  # fmt: skip
    W["jury"] = Batch(Writer(MembreConvoque, ["session_id", "membre_id", "added_by_id", "convocation_sent_at"], pg=pg))
    W["candidat"] = Batch(Writer(Candidat, [
        "id", "public_id", "numero", "civility", "birth_name", "usage_name", "first_names", "birth_date",
        "birth_commune_id", "birth_country_id", "birth_town_abroad", "birth_place_code", "nationality_id", "address",
        "postal_code", "commune_id", "email", "created_by_centre_id", "name_key", "usage_name_key", "first_names_key",
        "created_at",
    ], pg=pg), 20_000)  # fmt: skip
    W["inscription"] = Batch(Writer(Inscription, [
        "id", "public_id", "session_id", "candidat_id", "route", "entretien_final", "decision", "registered_by_id",
        "created_at", "convocation_sent_at",
    ], pg=pg))  # fmt: skip
    W["resultat"] = Batch(Writer(ResultatCcp, ["inscription_id", "ccp_id", "value", "created_at"], pg=pg), 100_000)
    W["certification"] = Batch(Writer(Certification, [
        "candidat_id", "titre_id", "session_id", "inscription_id", "kind", "ccp_id", "awarded_on", "number",
        "created_at",
    ], pg=pg), 100_000)  # fmt: skip
    W["doublon"] = Batch(Writer(DoublonPotentiel, ["candidat_a_id", "candidat_b_id", "level", "reasons", "status"],
                                pg=pg))  # fmt: skip

    # Sessions: per centre in proportion to its size, dated over ten years (a few weeks ahead for the open ones).
    n_sessions = max(40, n // 8)
    centre_draw = Draw(rng, [(c, s) for c, s in zip(centres, sizes, strict=True)])
    first_day = TODAY - dt.timedelta(days=365 * YEARS)
    span = (TODAY + dt.timedelta(days=75) - first_day).days
    session_rows = []
    for _ in range(n_sessions):
        c = centre_draw()
        a = rng.choice(agrements_of[c.id])
        start = first_day + dt.timedelta(days=int(span * math.sqrt(rng.random()) ** 0.6))  # slowly growing activity
        session_rows.append((start, c, a))
    session_rows.sort(key=lambda r: r[0])

    ccps_of = dict(titres)
    dept_code = {d.id: d.code for d in depts}
    counters: dict[tuple[int, str], int] = collections.Counter()
    mean_ccps = sum(len(c) for _, c in titres) / len(titres)
    # Calibrated so that the certifications come out near 2.3 per registration (DOMAIN: partial successes exist).
    p_partial = 0.14
    p_success = max(0.5, min(0.8, (2.75 - p_partial * mean_ccps / 2) / (mean_ccps + 1)))
    decision_draw = Draw(rng, [("reussite", p_success), ("reussite_partielle", p_partial),
                               ("echec", (1 - p_success - p_partial) * 0.55),
                               ("absent", (1 - p_success - p_partial) * 0.45)])  # fmt: skip
    route_draw = Draw(rng, ROUTES)
    pool = collections.defaultdict(collections.deque)  # département -> candidates who may come back
    obtained: dict[int, set] = {}
    cand_id = ins_id = 0
    stats.update(certifications=0, resultats=0, inscriptions=0, cles=0, doublons=0, convoques=0)
    earlier = []  # a sample of (id, identity) for duplicate variants
    avg_size = 0.94 * n / n_sessions
    dup_rate = 0.003

    def new_candidate(d_id, centre_id, created_at, session_start, person=None):
        nonlocal cand_id
        cand_id += 1
        p = person or people.person()
        age_days = rng.randrange(17 * 365, 58 * 365)
        birth = p["birth_date"] if person else session_start - dt.timedelta(days=age_days)
        if rng.random() < 0.86:
            bc, bcode = rng.choice(all_communes)
            country, abroad, nat = None, "", france
        else:
            bc, bcode, country, abroad = None, "", rng.choice(countries), "Ville"
            nat = country if rng.random() < 0.6 else france
            bcode = ""
        code = dept_code[d_id]
        home = rng.choice(communes_by_dept[code]) if rng.random() < 0.85 else rng.choice(all_communes)[0]
        place = bcode or ("99" + str(country)[-3:] if country else "")
        W["candidat"].add((
            cand_id, uuid.uuid4(), candidat_rules.numero_format(cand_id), p["civility"], p["birth_name"],
            p["usage_name"], p["first_names"], birth, bc, country, abroad, place, nat,
            f"{rng.randrange(1, 99)} rue Haute",
            f"{code[:2]}{rng.randrange(100, 999)}"[:5], home, f"c{cand_id}@mail.{DOMAIN}",
            centre_id if rng.random() < 0.92 else None, normalize_name(p["birth_name"])[:100],
            normalize_name(p["usage_name"])[:100], candidat_rules.first_names_key(p["first_names"]), created_at,
        ))  # fmt: skip
        facts = IdentityFacts(p["birth_name"], p["first_names"], birth, p["usage_name"], place)
        if len(earlier) < 20_000 or rng.random() < 0.01:
            person_copy = dict(p, birth_date=birth)
            if len(earlier) < 20_000:
                earlier.append((cand_id, person_copy, facts))
            else:
                earlier[rng.randrange(len(earlier))] = (cand_id, person_copy, facts)
        return cand_id

    session_id = 0
    for start, c, a in session_rows:
        session_id += 1
        d_id = c.departement_id
        titre_id, ccps = a.titre_id, ccps_of.get(a.titre_id, [])
        kind = "ccp" if rng.random() < 0.1 else "titre"
        end = start + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        age = (TODAY - start).days
        if age < 0:
            status = "en_preparation" if rng.random() < 0.7 else "convocations_envoyees"
        elif age < 7:
            status = "en_cours"
        elif age < 60:
            status = rng.choice(("resultats_saisis", "resultats_saisis", "validee", "validee", "validee", "renvoyee"))
        else:
            status = "validee" if rng.random() < 0.95 else "annulee"
        manager = manager_of[c.id]
        ud_agent = rng.choice(ud_user_by_dept[uds[d_id].id])
        submitted = validated = None
        if status in ("resultats_saisis", "validee", "renvoyee"):
            submitted = dt.datetime.combine(end + dt.timedelta(days=rng.randrange(1, 8)), dt.time(10), dt.UTC)
        if status == "validee":
            validated = submitted + dt.timedelta(days=rng.randrange(2, 30))
        created = dt.datetime.combine(start - dt.timedelta(days=rng.randrange(20, 90)), dt.time(9), dt.UTC)
        size = max(1, min(40, int(rng.expovariate(1 / avg_size)) + 1))
        W["session"].add((
            session_id, uuid.uuid4(), c.id, a.site_id, a.id, d_id, titre_id, kind, start, end, start, manager, size,
            status, submitted, f"PV-{start.year}-{session_id}" if validated else "", validated,
            ud_agent if validated else None, manager, created, validated is not None,
        ))  # fmt: skip
        jury = jurors_by_dept_titre.get((d_id, titre_id)) or jurors_by_dept.get(d_id) or [jurors[0].id]
        for m in rng.sample(jury, min(len(jury), 2)):
            W["jury"].add((session_id, m, manager, created if age > 0 else None))
            stats["convoques"] += 1
        has_results = status in ("resultats_saisis", "validee", "renvoyee")
        session_ccps = [rng.choice(ccps)] if kind == "ccp" and ccps else ccps
        year = (validated or NOW).year
        back, coming_back = pool[d_id], []
        for _ in range(size if status != "annulee" else max(1, size // 2)):
            if back and rng.random() < 0.12:
                cid = back.popleft()
            else:
                cid = None
                if earlier and rng.random() < dup_rate:
                    other_id, person, facts = rng.choice(earlier)
                    variant = people.variant(person, rng.choice(("accents", "faute_frappe", "prenoms_inverses")))
                    if variant:
                        cid = new_candidate(d_id, c.id, created, start, person=variant)
                        vfacts = IdentityFacts(variant["birth_name"], variant["first_names"], variant["birth_date"],
                                               variant["usage_name"], facts.birth_place_code)  # fmt: skip
                        match = compare(vfacts, facts)
                        if match and other_id != cid:
                            W["doublon"].add((other_id, cid, match.level, list(match.reasons),
                                              "a_traiter" if rng.random() < 0.8 else "ecarte"))  # fmt: skip
                            stats["doublons"] += 1
                if cid is None:
                    cid = new_candidate(d_id, c.id, created - dt.timedelta(days=rng.randrange(30)), start)
            ins_id += 1
            decision = decision_draw() if has_results else ""
            W["inscription"].add((
                ins_id, uuid.uuid4(), session_id, cid, route_draw(),
                "favorable" if decision == "reussite" and kind == "titre" else "sans_objet", decision, manager,
                created + dt.timedelta(days=rng.randrange(15)), created if age > 0 else None,
            ))  # fmt: skip
            stats["inscriptions"] += 1
            if not has_results:
                continue
            before = obtained.pop(cid, set())
            got = set()
            for ccp in session_ccps:
                if decision == "reussite":
                    value = "obtenu"
                elif decision == "reussite_partielle":
                    value = "obtenu" if rng.random() < 0.5 else "non_obtenu"
                elif decision == "absent":
                    value = "non_presente"
                else:
                    value = "non_obtenu"
                W["resultat"].add((ins_id, ccp, value, submitted))
                stats["resultats"] += 1
                if value == "obtenu":
                    got.add(ccp)
            if decision in ("reussite_partielle", "echec", "absent") and rng.random() < 0.5:
                coming_back.append(cid)
                obtained[cid] = before | got
            if status != "validee":
                continue
            awards = [("ccp", ccp) for ccp in session_ccps if ccp in got and ccp not in before]
            if decision == "reussite" and kind == "titre":
                awards.append(("titre", None))
            for what, ccp in awards:
                number = None
                if start.year >= 2019 or rng.random() < 0.6:
                    counters[year, dept_code[d_id]] += 1
                    number = doc_rules.format_number(year, dept_code[d_id], counters[year, dept_code[d_id]])
                W["certification"].add((cid, titre_id, session_id, ins_id, what, ccp, validated.date(), number,
                                        validated))  # fmt: skip
                stats["certifications"] += 1
        back.extend(coming_back)
        while len(back) > 20_000:
            obtained.pop(back.popleft(), None)
        if session_id % 25_000 == 0:
            out(f"  {_common.fr(session_id)} sessions, {_common.fr(cand_id)} candidats, "
                f"{_common.fr(stats['certifications'])} certifications")  # fmt: skip
    # Files never registered (created by a centre ahead of a session, imported from the former system).
    while cand_id < n:
        c = centre_draw()
        day = first_day + dt.timedelta(days=rng.randrange(span - 75))
        new_candidate(c.departement_id, c.id, dt.datetime.combine(day, dt.time(11), dt.UTC), day)
    for batch in W.values():
        batch.flush()
    stats.update(candidats=cand_id, sessions=session_id)
    out(
        f"Tables principales écrites : {_common.fr(cand_id)} candidats, {_common.fr(session_id)} sessions, "
        f"{_common.fr(stats['inscriptions'])} inscriptions, {_common.fr(stats['certifications'])} certifications"
    )

    # ---------------------------------------------------------------- blocking keys, in parallel (pure Python work)
    t0 = time.perf_counter()
    stats["cles"] = write_keys(cand_id, pg=pg, workers=KEY_WORKERS if pg else 1)
    out(f"Clés de rapprochement : {_common.fr(stats['cles'])} ({time.perf_counter() - t0:.0f} s)")

    # ---------------------------------------------------------------- access to the files, parchemins, journal (SQL)
    t0 = time.perf_counter()
    backfill = importlib.import_module("ceres.candidats.migrations.0008_acces").backfill
    with connection.schema_editor() as editor:
        backfill(django_apps, editor)
    stats["acces"] = CandidatAcces.objects.count()
    out(f"Accès aux dossiers : {_common.fr(stats['acces'])} ({time.perf_counter() - t0:.0f} s)")
    sql_uuid = "CAST(public_id AS text)" if pg else (
        "lower(substr(public_id,1,8)||'-'||substr(public_id,9,4)||'-'||substr(public_id,13,4)||'-'||"
        "substr(public_id,17,4)||'-'||substr(public_id,21))"
    )  # fmt: skip
    empty_json = "'{}'::jsonb" if pg else "'{}'"
    new_uuid = "gen_random_uuid()" if pg else "lower(hex(randomblob(16)))"
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        # Originals printed for ~70 % of the numbered titles, duplicatas (reprints) for ~3 % of them.
        for nature, edition, reason, modulo, delay in (
            ("original", 0, "", "% 10 < 7", 5),
            ("duplicata", 1, "perte", "% 100 < 3", 200),
        ):
            cursor.execute(f"""
                INSERT INTO {Parchemin._meta.db_table} (public_id, created_at, updated_at, certification_id, number,
                    nature, edition, reason, reason_detail, template, printed_by_id, file, sha256, signature, facts)
                SELECT {new_uuid}, c.created_at {"+" if pg else ""} {f"interval '{delay} days'" if pg else ""},
                       c.created_at, c.id, c.number, '{nature}', {edition}, '{reason}', '', 'parchemin',
                       s.validated_by_id,
                       'parchemins/bench.pdf',
                       '{"0" * 64}', 'bench', {empty_json}
                FROM {Certification._meta.db_table} c JOIN {SessionExamen._meta.db_table} s ON s.id = c.session_id
                WHERE c.kind = 'titre' AND c.number IS NOT NULL AND c.id {modulo}
            """)  # fmt: skip
        cursor.execute(f"SELECT COUNT(*) FROM {Parchemin._meta.db_table}")
        stats["parchemins"] = cursor.fetchone()[0]
        out(f"Parchemins imprimés : {_common.fr(stats['parchemins'])} ({time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        journal = JournalEntry._meta.db_table
        cols = "created_at, actor_id, actor_label, action, operation, object_type, object_id, object_repr, changes, "
        cols += "reason"
        repr_c = "upper(birth_name) || ' ' || first_names"
        steps = [
            ("candidats", f"""SELECT t.created_at, m.user_id,
                COALESCE('bench-centre-' || m.centre_id || '@{DOMAIN}', 'reprise'), 'create', 'création',
                'candidats.candidat', {sql_uuid.replace("public_id", "t.public_id")}, {repr_c}, {empty_json}, ''
                FROM {Candidat._meta.db_table} t LEFT JOIN {MembreCentre._meta.db_table} m
                ON m.centre_id = t.created_by_centre_id"""),
            ("inscriptions", f"""SELECT created_at, registered_by_id, 'centre', 'create', 'inscription',
                'examens.inscription', {sql_uuid}, 'inscription ' || id, {empty_json}, ''
                FROM {Inscription._meta.db_table}"""),
            ("sessions", f"""SELECT created_at, created_by_id, 'centre', 'create', 'création', 'examens.sessionexamen',
                {sql_uuid}, 'session ' || id, {empty_json}, '' FROM {SessionExamen._meta.db_table}"""),
            ("validations", f"""SELECT validated_at, validated_by_id, 'UD', 'update', 'validation',
                'examens.sessionexamen', {sql_uuid}, 'session ' || id, {empty_json}, ''
                FROM {SessionExamen._meta.db_table} WHERE validated_at IS NOT NULL"""),
            ("consultations", f"""SELECT t.created_at, NULL, 'UD', 'view', 'consultation', 'candidats.candidat',
                {sql_uuid.replace("public_id", "t.public_id")}, {repr_c}, {empty_json}, ''
                FROM {Candidat._meta.db_table} t WHERE t.id % 10 = 3"""),
        ]  # fmt: skip
        for _, select in steps:
            cursor.execute(f"INSERT INTO {journal} ({cols}) {select}")
        cursor.execute(f"SELECT COUNT(*) FROM {journal}")
        stats["journal"] = cursor.fetchone()[0]
        out(f"Journal : {_common.fr(stats['journal'])} entrées ({time.perf_counter() - t0:.0f} s)")

        if pg:
            t0 = time.perf_counter()
            for sql in recreate:
                cursor.execute(sql)
            out(f"{len(recreate)} index et contraintes reconstruits ({time.perf_counter() - t0:.0f} s)")
            for model in big:
                table = model._meta.db_table
                last = f"COALESCE((SELECT MAX(id) FROM {table}), 1)"
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")
    CompteurCandidat.objects.update_or_create(name="candidat", defaults={"last_value": cand_id})
    Compteur.objects.bulk_create(
        [
            Compteur(year=y, departement_code=doc_rules.normalize_departement(code), last_value=v)
            for (y, code), v in counters.items()
        ]
    )
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE" if pg else "ANALYZE")
        out(f"VACUUM ANALYZE ({time.perf_counter() - t0:.0f} s)")
    stats["seconds"] = int(time.perf_counter() - t_start)
    return stats


def main():
    args = parse_args()
    if not _common.is_postgres() and args.candidates > 200_000:
        raise SystemExit("Au-delà de 200 000 dossiers : PostgreSQL (DATABASE_URL=postgres://…).")
    _common.setup_django()
    from django.core.management import call_command
    from django.db import connection

    if args.recreate:
        if connection.vendor != "postgresql":
            raise SystemExit("--recreate : PostgreSQL seulement (pour SQLite, supprimez le fichier).")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"Migrations ({time.perf_counter() - t0:.0f} s)")
    stats = build(args.candidates, seed=args.seed)
    print(_common.machine())
    width = max(map(len, stats))
    for key, value in stats.items():
        print(f"  {key:<{width}} {_common.fr(value):>12}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"  Taille de la base : {cursor.fetchone()[0]}")
    print(f"Construit en {stats['seconds'] // 60} min {stats['seconds'] % 60:02d} s", file=sys.stderr)


if __name__ == "__main__":
    main()
