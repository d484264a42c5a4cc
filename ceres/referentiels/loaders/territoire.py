"""Loaders of the territorial organisation (COG 2026 regions and départements, DREETS, UD) and national parameters.

Regions and départements follow the COG (updated in place). DREETS and UD rows are created with defaults and then
belong to the national administrator: a later run only fills what is still empty (name, commune), never overwrites.
"""

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction

from ceres.referentiels import parametres
from ceres.referentiels.models import Commune, Departement, Dreets, Parametre, Region, UniteDepartementale

DATA = Path(__file__).resolve().parent.parent / "data" / "territoire"

# INSEE TNCC → French connecting word before the name ("de l'Ain", "du Calvados", "des Ardennes").
CHARNIERE = {
    "0": "de ",
    "1": "d'",
    "2": "du ",
    "3": "de la ",
    "4": "des ",
    "5": "de l'",
    "6": "des ",
    "7": "de las ",
    "8": "de los ",
}
OUTRE_MER_REGIONS = {"01", "02", "03", "04", "06"}
ILE_DE_FRANCE = "11"
# Paris and the inner suburbs have DRIEETS unités départementales instead of a DDETS.
PETITE_COURONNE = {"75", "92", "93", "94"}


def _read(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _de(row):
    return f"{CHARNIERE.get(row['TNCC'], 'de ')}{row['NCCENR']}"


def dreets_name(row) -> str:
    if row["REG"] in OUTRE_MER_REGIONS:
        return f"DEETS {_de(row)}"
    if row["REG"] == ILE_DE_FRANCE:
        return "DRIEETS Île-de-France"
    return f"DREETS {row['LIBELLE']}"


def ud_name(row) -> str:
    if row["REG"] in OUTRE_MER_REGIONS:
        return f"DEETS {_de(row)}"
    if row["DEP"] in PETITE_COURONNE:
        return f"DRIEETS, unité départementale {_de(row)}"
    return f"DDETS {_de(row)}"


def _upsert(model, lookup, fields, counters):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **fields)
        obj.full_clean()
        obj.save()
        counters["créés"] += 1
    elif any(getattr(obj, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.full_clean()
        obj.save()
        counters["modifiés"] += 1
    else:
        counters["inchangés"] += 1
    return obj


@transaction.atomic
def load_territoire() -> dict:
    counters = Counter({"créés": 0, "modifiés": 0, "inchangés": 0})
    regions = {}
    for row in _read("v_region_2026.csv"):
        region = _upsert(
            Region, {"code": row["REG"]}, {"name": row["LIBELLE"], "chef_lieu_code": row["CHEFLIEU"]}, counters
        )
        regions[row["REG"]] = region
        dreets = Dreets.objects.filter(region=region).first()
        if dreets is None:
            Dreets.objects.create(region=region, name=dreets_name(row))
            counters["créés"] += 1
        else:
            counters["inchangés"] += 1

    chefs_lieux = {}
    rows = _read("v_departement_2026.csv")
    codes = [row["CHEFLIEU"] for row in rows]
    for commune in Commune.objects.filter(code_insee__in=codes, kind=Commune.Kind.COMMUNE, end_date__isnull=True):
        chefs_lieux[commune.code_insee] = commune
    sans_commune = []
    for row in rows:
        departement = _upsert(
            Departement,
            {"code": row["DEP"]},
            {"name": row["LIBELLE"], "region": regions[row["REG"]], "chef_lieu_code": row["CHEFLIEU"]},
            counters,
        )
        commune = chefs_lieux.get(row["CHEFLIEU"])
        ud = UniteDepartementale.objects.filter(departement=departement).first()
        if ud is None:
            UniteDepartementale.objects.create(departement=departement, name=ud_name(row), commune=commune)
            counters["créés"] += 1
        elif ud.commune_id is None and commune is not None:
            # Only fill: the commune (printed after « Fait à ») may have been changed by the administrator.
            ud.commune = commune
            ud.save(update_fields=["commune", "updated_at"])
            counters["modifiés"] += 1
        else:
            counters["inchangés"] += 1
        if commune is None:
            sans_commune.append(row["DEP"])
    result = dict(counters)
    if sans_commune:
        result["UD sans commune (communes non chargées ?)"] = len(sans_commune)
    return result


@transaction.atomic
def load_parametres() -> dict:
    """Create the national parameters missing from the database with their default; never touch existing values."""
    counters = Counter({"créés": 0, "modifiés": 0, "inchangés": 0})
    existing = set(Parametre.objects.values_list("code", flat=True))
    for code, defaut in parametres.DEFAUTS.items():
        if code in existing:
            counters["inchangés"] += 1
            continue
        Parametre.objects.create(code=code, label=defaut.label, value=defaut.value, unit=defaut.unit)
        counters["créés"] += 1
    return dict(counters)
