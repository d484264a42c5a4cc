"""Loaders of the NSF nomenclature and of the titres professionnels (idempotent, bulk, a few seconds).

Sources (see data/README.md): NSF from the code de l'éducation D311-4 + France Compétences labels; titles from
the France Compétences extract of the Ministry of Labour certifications (RNCP number, NSF, version chain) merged on
RNCP number with the titles of DOMAIN.md §9 (intitulé, level, dates, CCP).

Titles are *filled, never overwritten*: the loader creates missing rows and fills empty fields only, so that the
corrections made by the national administrator (admin, `import_rncp`) survive every `make run`.
"""

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from ceres.core.text import search_key
from ceres.referentiels.models import Ccp, Nsf, TitreProfessionnel
from ceres.referentiels.rules import normalize_nsf, normalize_rncp

DATA = Path(__file__).resolve().parent.parent / "data"
NSF_DIR = DATA / "nsf"
FC_FILE = DATA / "titres" / "certifications_ministere_travail_2026-02-01.csv"
SEED_FILE = DATA / "titres" / "titres_domaine.json"
NAMES_FILE = DATA / "titres" / "intitules_titres_recuperes.csv"
FC_SOURCE = "France Compétences, export du 01/02/2026"
NAMES_SOURCE = "intitulé : Certif Info (Carif-Oref)"
TP_PREFIX = "titre professionnel "

# Which letters apply to which NSF groups (code de l'éducation D311-4).
LETTERS_BY_DOMAIN = {"1": "abcdefg", "2": "mnprstuvw", "3": "mnprstuvw", "4": "z"}

# Fields filled from the data files when empty in the database.
TITRE_FIELDS = [
    "code_titre",
    "millesime",
    "sigle",
    "intitule",
    "intitule_key",
    "niveau",
    "start_date",
    "end_date",
    "fiabilite",
    "notes",
    "source",
]


def _counters():
    return Counter({"créés": 0, "modifiés": 0, "inchangés": 0})


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_nsf() -> dict:
    """The 93 groups (legal wording), every group + applicable letter, and France Compétences' labelled codes."""
    letters = {row["lettre"]: row["libelle"] for row in _read_csv(NSF_DIR / "nsf_codes_lettres.csv")}
    wanted = {}
    for row in _read_csv(NSF_DIR / "nsf_groupes_93.csv"):
        group, label = row["code"], row["libelle"]
        wanted[group] = {"label": label, "group": group, "letter": ""}
        for letter in LETTERS_BY_DOMAIN.get(group[0], ""):
            wanted[f"{group}{letter}"] = {
                "label": f"{label} ({letters[letter].lower()})",
                "group": group,
                "letter": letter,
            }
    for row in _read_csv(NSF_DIR / "nsf_codes_fins_france_competences_2026-02-01.csv"):
        code = normalize_nsf(row["nsf_code"])
        if code in wanted and not row["lettre"]:
            continue  # groups keep the legal wording (France Compétences uses later Insee labels for a few)
        wanted[code] = {"label": row["libelle"], "group": row["groupe_3"] or code[:3], "letter": row["lettre"]}

    counters = _counters()
    existing = {n.code: n for n in Nsf.objects.all()}
    to_create, to_update = [], []
    for code, fields in wanted.items():
        row = existing.get(code)
        if row is None:
            to_create.append(Nsf(code=code, **fields))
            counters["créés"] += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            to_update.append(row)
            counters["modifiés"] += 1
        else:
            counters["inchangés"] += 1
    Nsf.objects.bulk_create(to_create, batch_size=500)
    Nsf.objects.bulk_update(to_update, ["label", "group", "letter"], batch_size=500)
    return dict(counters)


def _split(value):
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def clean_certif_info_name(raw: str) -> str:
    """Certif Info writes « Titre professionnel conseiller de vente »; the parchemin prints « Conseiller de vente »."""
    name = " ".join(raw.split())
    if name.lower().startswith(TP_PREFIX):
        name = name[len(TP_PREFIX) :]
    return name[:1].upper() + name[1:]


def read_recovered_names() -> dict[str, dict]:
    """Names (and levels, for current versions) recovered from Certif Info for 543 fiches (data/README.md)."""
    names = {}
    for row in _read_csv(NAMES_FILE):
        former_version = row["source"].endswith("#Code_Ancien_RNCP")
        names[normalize_rncp(row["numero_fiche"])] = {
            "intitule": clean_certif_info_name(row["intitule"]),
            "niveau": int(row["niveau"]) if row["niveau"] else None,
            "detail": (
                "Intitulé de l'ancienne version, donné par la fiche Certif Info de la suivante ; niveau inconnu."
                if former_version
                else "Intitulé et niveau de la fiche Certif Info de même numéro RNCP (mise à jour de juin 2024)."
            ),
        }
    return names


def read_sources():
    """Merge the France Compétences extract and the DOMAIN.md seed into {key: spec} (pure data, no DB).

    key = RNCP number when known, else ("sigle", sigle, intitulé). spec = {"fields", "nsf", "ccps", "anciennes"}.
    """
    specs = {}
    names = read_recovered_names()
    for row in _read_csv(FC_FILE):
        code = normalize_rncp(row["numero_fiche"])
        fields = {
            "code_rncp": code,
            "source": FC_SOURCE,
            "notes": (
                f"Fiche {row['repertoire']} du ministère du Travail (export France Compétences du 01/02/2026) : "
                "intitulé, niveau et dates absents de l'extrait."
            ),
        }
        if code in names:
            name = names[code]
            fields |= {
                "intitule": name["intitule"],
                "intitule_key": search_key(name["intitule"]),
                "niveau": name["niveau"],
                "fiabilite": TitreProfessionnel.Fiabilite.MOYENNE,
                "source": f"{FC_SOURCE} ; {NAMES_SOURCE}",
                "notes": (
                    f"Fiche {row['repertoire']} du ministère du Travail (export France Compétences du 01/02/2026). "
                    + name["detail"]
                ),
            }
        specs[code] = {
            "fields": fields,
            "nsf": [normalize_nsf(c) for c in _split(row["nsf_codes"])],
            "ccps": [],
            "anciennes": [normalize_rncp(c) for c in _split(row["anciennes_certifications"])],
            "nouvelles": [normalize_rncp(c) for c in _split(row["nouvelles_certifications"])],
        }
    with open(SEED_FILE, encoding="utf-8") as handle:
        seed = json.load(handle)["titres"]
    for item in seed:
        code = normalize_rncp(item["code_rncp"]) if item.get("code_rncp") else None
        key = code or ("sigle", item["sigle"], item["intitule"])
        fc = specs.get(code) if code else None
        notes = item.get("notes", "")
        seed_nsf = [normalize_nsf(c) for c in item.get("nsf", [])]
        if fc and fc["nsf"] and seed_nsf and sorted(seed_nsf) != sorted(fc["nsf"]):
            notes += f" NSF du brief ({', '.join(seed_nsf)}) remplacé par celui de France Compétences."
        fields = {
            "code_rncp": code,
            "code_titre": item.get("code_titre", ""),
            "millesime": item.get("millesime", ""),
            "sigle": item["sigle"],
            "intitule": item["intitule"],
            "intitule_key": search_key(item["intitule"]),
            "niveau": item.get("niveau"),
            "start_date": _date(item.get("start_date")),
            "end_date": _date(item.get("end_date")),
            "partial_success_allowed": item.get("partial_success_allowed", True),
            "fiabilite": item.get("fiabilite", ""),
            "notes": notes.strip(),
            "source": f"DOMAIN.md §{item['ref']}" + (f" ; {FC_SOURCE}" if fc else ""),
        }
        specs[key] = {
            "fields": fields,
            "nsf": (fc["nsf"] if fc and fc["nsf"] else seed_nsf),
            "ccps": [dict(ccp, order=i) for i, ccp in enumerate(item.get("ccps", []), start=1)],
            "anciennes": fc["anciennes"] if fc else [],
            "nouvelles": fc["nouvelles"] if fc else [],
        }
    return specs


def _find_existing():
    by_rncp, by_sigle = {}, {}
    for titre in TitreProfessionnel.objects.all():
        if titre.code_rncp:
            by_rncp[titre.code_rncp] = titre
        else:
            by_sigle[("sigle", titre.sigle, titre.intitule)] = titre
    return by_rncp, by_sigle


@transaction.atomic
def load_titres() -> dict:
    specs = read_sources()
    counters = _counters()
    by_rncp, by_sigle = _find_existing()
    touched = set()

    # 1. Rows: create missing ones, fill empty fields of existing ones.
    to_create = []
    for key, spec in specs.items():
        existing = by_rncp.get(key) if isinstance(key, str) else by_sigle.get(key)
        if existing is None:
            titre = TitreProfessionnel(**spec["fields"])
            titre.full_clean(validate_unique=False, validate_constraints=False)
            to_create.append(titre)
            continue
        changed = [f for f in TITRE_FIELDS if f in spec["fields"] and _fill(existing, f, spec["fields"][f])]
        if "intitule" in changed and spec["fields"]["source"].endswith(NAMES_SOURCE):
            # A name recovered now: the row's provenance must say where it came from, not « absent de l'extrait ».
            for field in ("source", "notes", "fiabilite"):
                setattr(existing, field, spec["fields"][field])
            changed = list(dict.fromkeys([*changed, "source", "notes", "fiabilite"]))
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
            touched.add(existing.pk)
    TitreProfessionnel.objects.bulk_create(to_create, batch_size=500)
    created = {t.pk for t in to_create}
    counters["créés"] = len(created)
    by_rncp, by_sigle = _find_existing()

    def resolve(key):
        return by_rncp.get(key) if isinstance(key, str) else by_sigle.get(key)

    # 2. Predecessors from the version chain (only when not already set).
    for key, spec in specs.items():
        titre = resolve(key)
        if titre.predecessor_id is None:
            previous = next((by_rncp[c] for c in spec["anciennes"] if c in by_rncp and c != key), None)
            if previous:
                titre.predecessor = previous
                titre.save(update_fields=["predecessor", "updated_at"])
                touched.add(titre.pk)
        for newer_code in spec["nouvelles"]:
            newer = by_rncp.get(newer_code)
            if newer and newer.predecessor_id is None and newer.pk != titre.pk:
                newer.predecessor = titre
                newer.save(update_fields=["predecessor", "updated_at"])
                touched.add(newer.pk)

    # 3. NSF codes and CCP, only for titles that have none yet.
    nsf_by_code = {n.code: n for n in Nsf.objects.all()}
    with_nsf = set(TitreProfessionnel.nsf_codes.through.objects.values_list("titreprofessionnel_id", flat=True))
    with_ccps = set(Ccp.objects.values_list("titre_id", flat=True))
    links, ccps = [], []
    for key, spec in specs.items():
        titre = resolve(key)
        if titre.pk not in with_nsf:
            codes = [c for c in dict.fromkeys(spec["nsf"]) if c in nsf_by_code]
            links += [
                TitreProfessionnel.nsf_codes.through(titreprofessionnel=titre, nsf=nsf_by_code[c]) for c in codes
            ]
            if codes:
                touched.add(titre.pk)
        if spec["ccps"] and titre.pk not in with_ccps:
            ccps += [
                Ccp(
                    titre=titre,
                    order=c["order"],
                    code_bloc=c.get("code_bloc", ""),
                    code_cp=c.get("code_cp", ""),
                    intitule=c["intitule"],
                )
                for c in spec["ccps"]
            ]
            touched.add(titre.pk)
    TitreProfessionnel.nsf_codes.through.objects.bulk_create(links, batch_size=500)
    Ccp.objects.bulk_create(ccps, batch_size=500)

    counters["modifiés"] = len(touched - created)
    counters["inchangés"] = len(specs) - counters["créés"] - counters["modifiés"]
    return dict(counters)


def _fill(obj, field, value) -> bool:
    """Set `field` only if the database value is empty and the file gives one."""
    if value in (None, "") or getattr(obj, field) not in (None, ""):
        return False
    setattr(obj, field, value)
    return True
