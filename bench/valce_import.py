"""Benchmark of the VALCE import (ceres/centres/importers/valce.py) on 100,000 generated lines.

Generates (fixed seed) a VALCE export: 2,000 centres with valid SIRETs, ~3,000 sites in real current communes,
agréments on real title versions of the loaded référentiel, decision labels in their usual spellings
("Acceptée", "ACCEPTEE", " acceptée ", "Refusée"…), 1% of bad lines (SIRET key, unknown title, reversed dates).
Measures, in the same run and the same database:
- the import (wet run) of the 100,000 lines, then a second identical import (idempotence: "0 créé, 0 modifié");
- a naive baseline on the first --baseline-lines lines: row-by-row get_or_create / update_or_create without any
  cache, one journal_record per agrément (what a first version would do);
and prints lines/s and the ratio. Everything is rolled back at the end, and it runs on its own database anyway
(bench/_common.py: temporary SQLite file or ``<base>_bench_valce`` on the PostgreSQL server of DATABASE_URL), migrated
and loaded with the référentiels of the repository.

    .venv/bin/python bench/valce_import.py [--quick] [--lines 100000] [--baseline-lines 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/valce_import.py
"""

import csv
import datetime as dt
import io
import random
import sys

import _common

N_CENTRES = 2_000
SEED = 2026
LABELS = ["Acceptée", "ACCEPTEE", " acceptée ", "accepté", "Refusée", "En cours d'instruction", "Retirée"]
TYPES = ["Organisme privé", "AFPA", "GRETA", "CFA", "CRP / ESRP", "Autre"]


def siret(n: int) -> str:
    from ceres.core.validators import luhn_ok

    base = f"{700000000000 + n:013d}"
    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def generate(n_lines: int) -> str:
    from ceres.centres.importers.valce import COLUMNS
    from ceres.referentiels.models import Commune, Departement, TitreProfessionnel

    rng = random.Random(SEED)
    today = dt.date.today()
    titres = list(
        TitreProfessionnel.objects.filter(start_date__isnull=False)
        .exclude(code_rncp=None)
        .filter(end_date__gt=today + dt.timedelta(days=400))
        .values_list("code_rncp", "start_date", "end_date")
    )
    communes = list(
        Commune.objects.current()
        .filter(kind=Commune.Kind.COMMUNE)
        .filter(departement_code__in=Departement.objects.values("code"))
        .values_list("code_insee", "name", "departement_code")
    )
    if not titres or not communes:
        sys.exit("Référentiels absents : lancez d'abord `manage.py load_referentiels --wet-run` (ou `make bench`).")
    centres = []
    for i in range(N_CENTRES):
        sites = [rng.choice(communes) for _ in range(rng.choice([1, 1, 2]))]
        centres.append((siret(i), f"Centre bench {i}", rng.choice(TYPES), sites))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(list(COLUMNS))
    for n in range(n_lines):
        centre_siret, name, type_centre, sites = rng.choice(centres)
        k = rng.randrange(len(sites))
        insee, commune_name, dep = sites[k]
        code_rncp, t_start, t_end = rng.choice(titres)
        start = max(t_start, today - dt.timedelta(days=rng.randint(0, 1500)))
        end = min(t_end, start + dt.timedelta(days=rng.randint(365, 1825)))
        bad = rng.random()
        if bad < 0.004:
            centre_siret = centre_siret[:-1] + str((int(centre_siret[-1]) + 1) % 10)
        elif bad < 0.007:
            code_rncp = "RNCP0"
        elif bad < 0.01:
            start, end = end, start
        writer.writerow(
            [
                f"B{n:07d}",
                centre_siret,
                name,
                type_centre,
                dep,
                f"Site {k}",
                f"{k + 1} rue du Banc d'essai",
                f"{dep[:2]}000",
                insee,
                commune_name,
                code_rncp,
                "",
                start.strftime("%d/%m/%Y"),
                end.strftime("%d/%m/%Y"),
                rng.choice(LABELS),
                start.strftime("%d/%m/%Y"),
                "",
            ]
        )
    return out.getvalue()


def naive_import(data: str, limit: int) -> int:
    """Row by row, no cache: what the importer would be without its lookups cache and bulk writes."""
    from ceres.centres.importers.valce import map_decision, parse_date, read_csv
    from ceres.centres.models import Agrement, Centre, Site
    from ceres.core.journal import journal_record, snapshot
    from ceres.referentiels.models import Commune, Departement, TitreProfessionnel

    _, rows = read_csv(data)
    done = 0
    for _, row in rows:
        if done >= limit:
            break
        done += 1
        try:
            titre = TitreProfessionnel.objects.get(code_rncp=row["titre"])
            commune = Commune.objects.current().filter(code_insee=row["site_commune_insee"]).first()
            departement = Departement.objects.get(code=commune.departement_code)
            centre, _ = Centre.objects.get_or_create(
                siret=row["siret"],
                defaults={"name": row["raison_sociale"], "type": "autre", "departement": departement},
            )
            site, _ = Site.objects.get_or_create(
                centre=centre,
                address=row["site_adresse"],
                commune=commune,
                defaults={"name": row["site_nom"], "postal_code": row["site_code_postal"]},
            )
            start, end = parse_date(row["date_debut"]), parse_date(row["date_fin"])
            if end < start:
                continue
            agrement, _ = Agrement.objects.update_or_create(
                valce_id=row["id_valce"],
                defaults={
                    "centre": centre,
                    "site": site,
                    "titre": titre,
                    "start_date": start,
                    "end_date": end,
                    "decision": map_decision(row["decision"]) or "en_instruction",
                    "valce_raw": row,
                },
            )
            journal_record(action="create", obj=agrement, changes=snapshot(agrement), operation="import_valce")
        except Exception:  # noqa: BLE001 - bad rows are skipped by the baseline too
            continue
    return done


def timed_import(label: str, data: str, n_lines: int):
    from ceres.centres.importers.valce import import_valce

    with _common.timer() as timing:
        report, _ = import_valce(data, filename="bench.csv", wet_run=True)
    print(f"{label:<9}: {report.summary()}")
    print(
        f"           {timing.elapsed:.1f} s, {n_lines / timing.elapsed:.0f} lignes/s"
        f" (CPU du processus Python : {timing.cpu:.1f} s)"
    )
    return report, timing


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--lines", quick=5_000, default=100_000, full=100_000, help="lignes importées")
    parser.add_size("--baseline-lines", quick=500, default=5_000, full=5_000, help="lignes de la version naïve")
    args = parser.parse_args()
    n_lines, n_naive = args.lines, args.baseline_lines
    with _common.own_database("valce", referentiels=True, keep=args.keep):
        from django.db import connection, transaction

        print(_common.machine())
        print(f"Base : {connection.vendor}. Génération de {n_lines} lignes…")
        data = generate(n_lines)
        with transaction.atomic():
            _, first = timed_import("Import", data, n_lines)
            again, _ = timed_import("Réimport", data, n_lines)
            assert again.created == 0 and again.updated == 0, "le second import doit ne rien changer"
            transaction.set_rollback(True)
        with transaction.atomic():
            with _common.timer() as naive:
                done = naive_import(data, n_naive)
            transaction.set_rollback(True)
    naive_rate, fast_rate = done / naive.elapsed, n_lines / first.elapsed
    print(
        f"Naïf     : {done} lignes en {naive.elapsed:.1f} s, {naive_rate:.0f} lignes/s (CPU : {naive.cpu:.1f} s ;"
        " get_or_create ligne à ligne, sans cache, un journal_record par ligne)"
    )
    print(_common.ratio_line("débit, temps écoulé", _common.ratio(fast_rate, naive_rate)))
    print(_common.ratio_line("débit, temps CPU Python", _common.ratio(n_lines / first.cpu, done / naive.cpu)))


if __name__ == "__main__":
    main()
