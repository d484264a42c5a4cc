"""Benchmark of the VALCE import (ceres/centres/importers/valce.py) on 100,000 generated lines.

Generates (fixed seed) a VALCE export: 2,000 centres with valid SIRETs, ~3,000 sites in real current communes,
agréments on real title versions of the loaded référentiel, decision labels in their usual spellings
("Acceptée", "ACCEPTEE", " acceptée ", "Refusée"…), 1% of bad lines (SIRET key, unknown title, reversed dates).
Measures, in the same run and the same database:
- the import (wet run) of the 100,000 lines, then a second identical import (idempotence: "0 créé, 0 modifié");
- a naive baseline on the first BASELINE_LINES lines: row-by-row get_or_create / update_or_create without any
  cache, one journal_record per agrément (what a first version would do);
and prints lines/s and the ratio. Everything is rolled back at the end: the database is left as it was.

Needs the référentiels (``make bench`` runs migrate + load_referentiels first).

    .venv/bin/python bench/valce_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceres .venv/bin/python bench/valce_import.py
"""

import csv
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from ceres.centres.importers.valce import COLUMNS, import_valce, map_decision, parse_date, read_csv  # noqa: E402
from ceres.centres.models import Agrement, Centre, Site  # noqa: E402
from ceres.core.journal import journal_record, snapshot  # noqa: E402
from ceres.core.validators import luhn_ok  # noqa: E402
from ceres.referentiels.models import Commune, Departement, TitreProfessionnel  # noqa: E402

N_LINES = int(os.environ.get("BENCH_VALCE_LINES", 100_000))
BASELINE_LINES = int(os.environ.get("BENCH_VALCE_BASELINE_LINES", 5_000))
N_CENTRES = 2_000
SEED = 2026
LABELS = ["Acceptée", "ACCEPTEE", " acceptée ", "accepté", "Refusée", "En cours d'instruction", "Retirée"]
TYPES = ["Organisme privé", "AFPA", "GRETA", "CFA", "CRP / ESRP", "Autre"]


def siret(n: int) -> str:
    base = f"{700000000000 + n:013d}"
    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def generate(n_lines: int) -> str:
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


def main():
    print(f"Base : {connection.vendor}. Génération de {N_LINES} lignes…")
    data = generate(N_LINES)
    with transaction.atomic():
        start, cpu = time.perf_counter(), time.process_time()
        report, _ = import_valce(data, filename="bench.csv", wet_run=True)
        first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"Import   : {report.summary()}")
        print(
            f"           {first:.1f} s, {N_LINES / first:.0f} lignes/s (CPU du processus Python : {first_cpu:.1f} s)"
        )
        start, cpu = time.perf_counter(), time.process_time()
        again, _ = import_valce(data, filename="bench.csv", wet_run=True)
        second, second_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"Réimport : {again.summary()}")
        print(f"           {second:.1f} s, {N_LINES / second:.0f} lignes/s (CPU : {second_cpu:.1f} s)")
        assert again.created == 0 and again.updated == 0, "le second import doit ne rien changer"
        transaction.set_rollback(True)
    with transaction.atomic():
        start, cpu = time.perf_counter(), time.process_time()
        done = naive_import(data, BASELINE_LINES)
        naive, naive_cpu = time.perf_counter() - start, time.process_time() - cpu
        transaction.set_rollback(True)
    naive_rate, fast_rate = done / naive, N_LINES / first
    print(
        f"Naïf     : {done} lignes en {naive:.1f} s, {naive_rate:.0f} lignes/s (CPU : {naive_cpu:.1f} s ; "
        "get_or_create ligne à ligne, sans cache, un journal_record par ligne)"
    )
    print(f"Rapport  : import {fast_rate / naive_rate:.1f}× plus rapide que la base naïve (temps écoulé)")
    print(f"           {(N_LINES / first_cpu) / (done / naive_cpu):.1f}× en temps CPU Python")


if __name__ == "__main__":
    main()
