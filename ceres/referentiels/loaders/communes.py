"""Loads communes (every name period since 1943) and countries from the INSEE COG 2026 files in data/cog/.

Idempotent: the desired rows are computed in memory, compared with the table, and only differences are
written (bulk_create / bulk_update). Rows are never deleted: other tables point at them (birth communes,
UD communes) and a code never disappears from the COG history.
"""

import csv
import lzma
from collections import defaultdict
from datetime import date
from pathlib import Path

from django.utils import timezone

from ceres.core.text import search_key
from ceres.referentiels.communes import name_word_keys
from ceres.referentiels.models import Commune, CommuneMot, Pays

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cog"

COM, ARM, COMD, COMA = (
    Commune.Kind.COMMUNE,
    Commune.Kind.ARRONDISSEMENT,
    Commune.Kind.DELEGUEE,
    Commune.Kind.ASSOCIEE,
)
COMMUNE_FIELDS = [
    "name",
    "name_key",
    "departement_code",
    "end_date",
    "parent_code",
    "successor_code",
    "successor_name",
    "event",
    "event_successor_code",
    "event_successor_name",
]
PAYS_FIELDS = ["name", "official_name", "name_key", "end_date"]
# Cities split into arrondissements municipaux: ARM code prefix -> commune code.
ARM_PARENTS = {"751": "75056", "693": "69123", "132": "13055"}


def read_csv(name: str, data_dir: Path | None = None):
    with lzma.open((data_dir or DATA_DIR) / f"{name}.csv.xz", "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def parse_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def departement_from_code(code: str) -> str:
    """Département (or overseas collectivity) of a commune code: 3 characters for 97x/98x, else 2 (20 = Corsica
    before 1976, 91-96 before 1968 = Algeria, Morocco, Tunisia: told apart by dates at display time)."""
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def arm_parent(code: str) -> str:
    return ARM_PARENTS.get(code[:3], "")


def successor_resolver(history_rows, mvt_rows):
    """Returns resolve(code, end_date) -> current COM/ARM code that took over `code` (mergers followed
    transitively through the movements file), or "" when nothing in today's COG covers it (e.g. Algeria)."""
    alive = {r["code"] for r in history_rows if r["end_date"] is None and r["kind"] in (COM, ARM)}
    last_end: dict[str, date] = {}
    for r in history_rows:
        if r["kind"] in (COM, ARM) and r["end_date"] is not None:
            last_end[r["code"]] = max(r["end_date"], last_end.get(r["code"], r["end_date"]))
    moves = defaultdict(list)  # code before -> [(date, code after)] towards a commune (not a déléguée)
    for m in mvt_rows:
        if m["TYPECOM_AV"] in (COM, ARM) and m["TYPECOM_AP"] in (COM, ARM):
            moves[m["COM_AV"]].append((parse_date(m["DATE_EFF"]), m["COM_AP"]))
    # Overseas code changes are not in the movements file (Mayotte 985xx -> 976xx in 2007, Saint-Barthélemy
    # 97123 -> 97701…): a same-named row starting the day the old one ended is its continuation.
    started = {(r["start_date"], search_key(r["name"])): r["code"] for r in history_rows}
    names = {(r["code"], r["end_date"]): search_key(r["name"]) for r in history_rows}
    cache: dict[str, str] = {}

    def next_code(code: str, when: date | None) -> str:
        others = sorted((d, c) for d, c in moves.get(code, []) if c != code)
        same_day = [c for d, c in others if d == when]
        if same_day:
            # A split (rare) sends a code to several communes: keep the first by code, deterministic.
            return sorted(same_day)[0]
        later = [c for d, c in others if when is None or d >= when]
        if later:
            return later[0]
        renamed = started.get((when, names.get((code, when))), "")
        return renamed if renamed != code else ""

    def resolve(code: str, seen=()) -> str:
        if code in alive:
            return code
        if code in cache:
            return cache[code]
        if code in seen:
            return ""
        nxt = next_code(code, last_end.get(code))
        result = resolve(nxt, (*seen, code)) if nxt else ""
        cache[code] = result
        return result

    return resolve


# INSEE movement code (MOD) -> event; 32/33 become DELEGUEE/ASSOCIEE when the code lives on as such.
EVENTS = {
    "10": Commune.Event.RENOMMEE,
    "20": Commune.Event.SCISSION,
    "21": Commune.Event.SCISSION,
    "30": Commune.Event.SUPPRESSION,
    "31": Commune.Event.FUSION,
    "32": Commune.Event.FUSION,
    "33": Commune.Event.FUSION,
    "34": Commune.Event.FUSION,
    "41": Commune.Event.CODE_DEPARTEMENT,
    "50": Commune.Event.CODE_CHEF_LIEU,
    "72": Commune.Event.DELEGUEE,
}
# When one period ends with several movement codes, the most telling one wins.
EVENT_PRIORITY = ["32", "31", "33", "34", "72", "30", "41", "50", "21", "20", "10"]
NO_EVENT = {"event": "", "event_successor_code": "", "event_successor_name": ""}


def events_index(mvt_rows) -> dict[tuple[str, str, date], list[dict]]:
    index = defaultdict(list)
    for m in mvt_rows:
        index[(m["TYPECOM_AV"], m["COM_AV"], parse_date(m["DATE_EFF"]))].append(m)
    return index


def direct_event(code: str, name: str, moves: list[dict]) -> dict[str, str]:
    """The event that ended a name period (its movements on its end date) and the first commune it led to."""
    moves = [m for m in moves if m["LIBELLE_AV"] == name] or moves
    moves = [m for m in moves if m["MOD"] in EVENTS]
    if not moves:
        return NO_EVENT
    mod = min((m["MOD"] for m in moves), key=EVENT_PRIORITY.index)
    moves = [m for m in moves if m["MOD"] == mod]
    event = EVENTS[mod]
    kinds_kept = {m["TYPECOM_AP"] for m in moves if m["COM_AP"] == code}
    if mod == "32" and COMD in kinds_kept:
        event = Commune.Event.DELEGUEE
    elif mod == "33" and COMA in kinds_kept:
        event = Commune.Event.ASSOCIEE
    # The commune it led to (not the déléguée it became itself), a déléguée only when nothing else is known.
    targets = sorted((m["COM_AP"], m["LIBELLE_AP"]) for m in moves if m["TYPECOM_AP"] in (COM, ARM))
    targets = targets or sorted((m["COM_AP"], m["LIBELLE_AP"]) for m in moves if m["TYPECOM_AP"] == COMD)
    # A split goes on under the same code; a merger leads to the commune that absorbed this one.
    same = [t for t in targets if t[0] == code]
    others = [t for t in targets if t[0] != code]
    ordered = same + others if event == Commune.Event.SCISSION else others + same
    if not ordered:
        return {**NO_EVENT, "event": event}
    return {"event": event, "event_successor_code": ordered[0][0], "event_successor_name": ordered[0][1]}


def deleguee_start_dates(mvt_rows) -> dict[tuple[str, str, str], date]:
    """Start of the current period of each commune déléguée/associée: the last movement that produced this
    (kind, code, name) from something else (creation, COMA->COMD, renaming)."""
    starts: dict[tuple[str, str, str], date] = {}
    for m in mvt_rows:
        kind = m["TYPECOM_AP"]
        if kind not in (COMD, COMA):
            continue
        before = (m["TYPECOM_AV"], m["COM_AV"], m["LIBELLE_AV"])
        after = (kind, m["COM_AP"], m["LIBELLE_AP"])
        if before == after:
            continue  # re-emission of the same déléguée when its commune nouvelle grows
        day = parse_date(m["DATE_EFF"])
        if after not in starts or day > starts[after]:
            starts[after] = day
    return starts


def build_communes(data_dir: Path | None = None) -> dict[tuple, dict]:
    """Desired table content: {(code_insee, kind, start_date): {field: value}}."""
    history = []
    for r in read_csv("v_commune_depuis_1943", data_dir):
        history.append(
            {
                "code": r["COM"],
                "kind": r["TYPECOM"],
                "name": r["LIBELLE"],
                "start_date": parse_date(r["DATE_DEBUT"]),
                "end_date": parse_date(r["DATE_FIN"]),
            }
        )
    main_keys = {(r["code"], r["kind"], r["start_date"]) for r in history}
    # Algeria before 1962, Morocco, Tunisia, overseas collectivities: all recorded as communes.
    for r in read_csv("v_commune_outremer_depuis_1943", data_dir):
        row = {
            "code": r["COM_COMER"],
            "kind": COM,
            "name": r["LIBELLE"],
            "start_date": parse_date(r["DATE_DEBUT"]),
            "end_date": parse_date(r["DATE_FIN"]),
        }
        if (row["code"], row["kind"], row["start_date"]) not in main_keys:
            history.append(row)
    current_codes = {h["code"] for h in history if h["end_date"] is None}
    for r in read_csv("v_commune_comer_2026", data_dir):
        if r["COM_COMER"] not in current_codes:  # safety net: today's overseas communes must all be there
            history.append(
                {"code": r["COM_COMER"], "kind": COM, "name": r["LIBELLE"], "start_date": None, "end_date": None}
            )

    mvt = list(read_csv("v_mvt_commune_2026", data_dir))
    resolve = successor_resolver(history, mvt)
    events = events_index(mvt)
    current = list(read_csv("v_commune_2026", data_dir))
    current_dep = {r["COM"]: r["DEP"] for r in current if r["TYPECOM"] == COM}
    current_name = {r["code"]: r["name"] for r in history if r["end_date"] is None and r["kind"] in (COM, ARM)}
    current_name.update({r["COM"]: r["LIBELLE"] for r in current if r["TYPECOM"] == COM})

    desired: dict[tuple, dict] = {}
    for r in history:
        code, kind = r["code"], r["kind"]
        if r["start_date"] and r["end_date"] and r["end_date"] <= r["start_date"]:
            # Zero-length periods exist (Freigné 44225: changed département and merged on 2018-01-01):
            # valid on no day, and the previous code's row already carries the name.
            continue
        successor, event = "", NO_EVENT
        if r["end_date"] is not None:
            successor = resolve(code)
            event = direct_event(code, r["name"], events.get((kind, code, r["end_date"]), []))
        parent = arm_parent(code) if kind == ARM else ""
        dep = current_dep.get(code) if r["end_date"] is None else None
        desired[(code, kind, r["start_date"])] = {
            "name": r["name"],
            "name_key": search_key(r["name"]),
            "departement_code": dep or departement_from_code(code),
            "end_date": r["end_date"],
            "parent_code": parent,
            "successor_code": successor,
            "successor_name": current_name.get(successor, "") if successor else "",
            **event,
        }

    starts = deleguee_start_dates(mvt)
    for r in current:
        kind = r["TYPECOM"]
        if kind not in (COMD, COMA):
            continue
        code, parent = r["COM"], r["COMPARENT"]
        desired[(code, kind, starts.get((kind, code, r["LIBELLE"])))] = {
            "name": r["LIBELLE"],
            "name_key": search_key(r["LIBELLE"]),
            "departement_code": r["DEP"] or departement_from_code(code),
            "end_date": None,
            "parent_code": parent,
            # A déléguée is not a commune any more: the commune covering it today is its parent.
            "successor_code": parent,
            "successor_name": current_name.get(parent, ""),
            **NO_EVENT,
        }
    return desired


def build_pays(data_dir: Path | None = None) -> dict[tuple, dict]:
    desired: dict[tuple, dict] = {}
    for r in read_csv("v_pays_et_territoire_depuis_1943", data_dir):
        desired[(r["COG"], parse_date(r["DATE_DEBUT"]))] = {
            "name": r["LIBCOG"],
            "official_name": r["LIBENR"],
            "name_key": search_key(r["LIBCOG"]),
            "end_date": parse_date(r["DATE_FIN"]),
        }
    # Former French overseas territories (Madagascar before 1960…) for people born there before independence.
    for r in read_csv("v_tom_depuis_1943", data_dir):
        if len(r["COMER"]) != 5 or not r["COMER"].isdigit():
            continue
        key = (r["COMER"], parse_date(r["DATE_DEBUT"]))
        desired.setdefault(
            key,
            {
                "name": r["LIBELLE"],
                "official_name": f"{r['LIBELLE']} (territoire français)",
                "name_key": search_key(r["LIBELLE"]),
                "end_date": parse_date(r["DATE_FIN"]),
            },
        )
    return desired


def sync(model, key_fields: list[str], fields: list[str], desired: dict[tuple, dict]) -> dict[str, int]:
    """Writes only the differences between `desired` and the table; returns the counters."""
    existing = {}
    for row in model.objects.values("pk", *key_fields, *fields):
        existing[tuple(row[f] for f in key_fields)] = row
    to_create, to_update = [], []
    now = timezone.now()
    unchanged = 0
    for key, values in desired.items():
        row = existing.get(key)
        if row is None:
            to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
        elif any(row[f] != values[f] for f in fields):
            to_update.append(model(pk=row["pk"], updated_at=now, **values))
        else:
            unchanged += 1
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=1000)
    return {"créées": len(to_create), "modifiées": len(to_update), "inchangées": unchanged}


def sync_words(desired: dict[tuple, dict]) -> dict[str, int]:
    """Keeps CommuneMot equal to the inner-word keys of every name period (adds and removes only differences)."""
    pks = {
        (code, kind, start): pk
        for pk, code, kind, start in Commune.objects.values_list("pk", "code_insee", "kind", "start_date")
    }
    wanted = {(pks[key], word) for key, values in desired.items() for word in name_word_keys(values["name_key"])}
    existing = {
        (commune_id, word): pk
        for pk, commune_id, word in CommuneMot.objects.values_list("pk", "commune_id", "word_key")
    }
    missing = [CommuneMot(commune_id=commune_id, word_key=word) for commune_id, word in wanted - existing.keys()]
    obsolete = [pk for pair, pk in existing.items() if pair not in wanted]
    CommuneMot.objects.bulk_create(missing, batch_size=5000)
    for start in range(0, len(obsolete), 900):  # bounded IN lists (SQLite variable limit)
        CommuneMot.objects.filter(pk__in=obsolete[start : start + 900]).delete()
    return {"mots ajoutés": len(missing), "mots retirés": len(obsolete)}


def load_communes(data_dir: Path | None = None) -> dict[str, int]:
    desired = build_communes(data_dir)
    counters = sync(Commune, ["code_insee", "kind", "start_date"], COMMUNE_FIELDS, desired)
    return {**counters, **sync_words(desired)}


def load_pays(data_dir: Path | None = None) -> dict[str, int]:
    return sync(Pays, ["code", "start_date"], PAYS_FIELDS, build_pays(data_dir))
