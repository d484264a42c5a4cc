"""THE commune / country search service, used by every commune or country field of CERES and by the public API.

Matching: the query goes through `search_key` (lowercase, no accents, separators as spaces, "st" -> "saint",
leading article dropped), then is matched as a *prefix* of the indexed `name_key` column — never a scan:
- SQLite: range `name_key >= k AND name_key < k + U+FFFF` (BINARY collation, served by the index in order);
- PostgreSQL: the same range with the byte-wise operators `~>=~ ~<~` of the varchar_pattern_ops index that
  Django adds to every indexed CharField (a plain range would be wrong under a French collation).
Digits (or 2A/2B) search the INSEE code the same way (exact, then prefix). One SQL query per search, built
once per shape (this is the hottest path of the product: typed at every keystroke of every commune field).
Inner words ("clemenciat" alone for L'Abergement-Clémenciat, "valserine", "saint georges"): when the whole-name
prefixes do not fill the page, a second query reads the same kind of range on `CommuneMot.word_key` (the name key
from its 2nd, 3rd… word on, connectors such as "sur" or "de" skipped), joined to the commune.

Ranking: exact name (or code) first, then prefixes; names still current before ancient ones, then alphabetical
(no population figures in the COG), among the first WINDOW prefix matches in key order; then inner-word matches,
ranked the same way. With `on_date`, only names valid on that day are returned.
"""

import bisect
import re
import time
import unicodedata
from collections import namedtuple
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection

from ceres.core.text import search_key
from ceres.referentiels.models import COG_START, Commune, CommuneMot, Departement, Pays
from ceres.referentiels.territoires import departement_on

MAX_LIMIT = 50
MAX_QUERY_LENGTH = 100  # longer than any commune or country name
WINDOW = 100
# Columns read by a search (tuples, not model instances: 3× cheaper, no timestamp conversions).
COMMUNE_COLUMNS = (
    "id", "code_insee", "kind", "name", "name_key", "departement_code", "start_date", "end_date", "parent_code",
    "successor_code", "successor_name", "event", "event_successor_code", "event_successor_name", "departement_name",
)  # fmt: skip
PAYS_COLUMNS = ("id", "code", "name", "official_name", "name_key", "start_date", "end_date")
CODE_RE = re.compile(r"^(?:\d{1,5}|\d[0-9ab]|\d[0-9ab]\d{1,3})$", re.IGNORECASE | re.ASCII)
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ARM_CITIES = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}
# Words that do not start an inner-word key: nobody searches "sur valserine" or "de gaulle" for a commune.
CONNECTORS = frozenset(
    "a au aux d de del des du en et l la las le les lez lo los sous sur y".split()
)  # fmt: skip
KIND_LABELS = {
    Commune.Kind.COMMUNE: "commune",
    Commune.Kind.ARRONDISSEMENT: "arrondissement municipal",
    Commune.Kind.DELEGUEE: "commune déléguée",
    Commune.Kind.ASSOCIEE: "commune associée",
}


def name_word_keys(name_key: str) -> set[str]:
    """Keys indexed in CommuneMot for a name key: the name from each inner word on, connectors skipped."""
    words = name_key.split()
    return {" ".join(words[i:]) for i in range(1, len(words)) if words[i] not in CONNECTORS}


def inner_word_key(key: str) -> str:
    """The query as matched against CommuneMot: leading connectors dropped ("sur valserine" -> "valserine")."""
    words = key.split()
    while words and words[0] in CONNECTORS:
        words.pop(0)
    return " ".join(words)


class InvalidQuery(ValueError):
    """Bad parameter; the message is French and shown to the user."""


def clean_query(q: str | None) -> str:
    """Typed text as searched: compatibility forms folded (full-width "ＬＹＯＮ", "０１０１８"), control characters
    (NUL refused by PostgreSQL, tabs) turned into spaces, cut to MAX_QUERY_LENGTH."""
    text = unicodedata.normalize("NFKC", (q or "")[: 4 * MAX_QUERY_LENGTH])
    return CONTROL_RE.sub(" ", text).strip()[:MAX_QUERY_LENGTH]


def known_date(on_date: date | None) -> date | None:
    """The COG starts on 01/01/1943: an earlier day (a birth in 1938) is searched in that first known state,
    the closest description there is, rather than matching nothing."""
    return max(on_date, COG_START) if on_date else None


def parse_date_param(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidQuery(
            f"La date « {value} » n'est pas valide : elle doit être au format AAAA-MM-JJ (par exemple 1965-06-01)."
        ) from None


Row = namedtuple("Row", COMMUNE_COLUMNS)
PaysRow = namedtuple("PaysRow", PAYS_COLUMNS)


@lru_cache(maxsize=64)
def _search_sql(vendor: str, model_name: str, field: str, dated: bool, window: int) -> str:
    """SQL of one search, built once per shape. Hand-written because this is the hottest path of the product:
    building the same ORM query at every keystroke cost twice the query itself. Portable SQL; the prefix
    condition is the only vendor-specific part (see the module docstring). `model_name` "commune_mot": range on
    CommuneMot.word_key, joined to its commune (the word key comes last in each row)."""
    qn = connection.ops.quote_name
    model = Pays if model_name == "pays" else Commune
    table = f"{qn(model._meta.db_table)} t"
    columns = [f"t.{qn(c)}" for c in (COMMUNE_COLUMNS[:-1] if model is Commune else PAYS_COLUMNS)]
    if model is Commune:
        departements = qn(Departement._meta.db_table)
        columns.append(
            f"(SELECT d.{qn('name')} FROM {departements} d WHERE d.{qn('code')} = t.{qn('departement_code')})"
        )
    column = f"t.{qn(field)}"
    if model_name == "commune_mot":
        column = f"m.{qn(field)}"
        columns.append(column)
        words = qn(CommuneMot._meta.db_table)
        table = f"{words} m INNER JOIN {table} ON t.{qn('id')} = m.{qn('commune_id')}"
    if vendor == "postgresql":
        # Byte-wise operators of the varchar_pattern_ops index Django adds to every indexed CharField: a range
        # that is right under any database collation, read in index order (no sort of the whole prefix).
        where = [f"({column} ~>=~ %s)", f"({column} ~<~ %s)"]
        order = f"{column} USING ~<~"
    else:  # SQLite: BINARY collation, the plain index serves the range in order
        where = [f"{column} >= %s", f"{column} < %s"]
        order = column
    if dated:  # PeriodQuerySet.valid_on: half-open [start_date, end_date)
        where.append(f"(t.{qn('start_date')} <= %s OR t.{qn('start_date')} IS NULL)")
        where.append(f"(t.{qn('end_date')} > %s OR t.{qn('end_date')} IS NULL)")
    return f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {window}"


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


class MemoryIndex:
    """Every commune name period (≈ 46,000) of the database, held by the process and sorted three ways (name key,
    INSEE code, inner-word key): a prefix is two bisections and a short walk, no round trip to the database
    (issue #14: p95 under 1 ms in-process on PostgreSQL). Rows are the tuples the SQL path returns, in the same
    order for equal keys (the SQL orders by the key only: ties follow the id here), so ranking is shared.

    Built when the server process starts (``config/warmup.py``; else on its first search). After
    ``CERES_COMMUNES_MEMORY_TTL`` seconds one small query compares the referential with the index (``stamp``): a
    ``load_referentiels`` run by another process is seen within that delay, and only then is the index read again."""

    def __init__(self):
        self.stamp = stamp()
        qn = connection.ops.quote_name
        communes = qn(Commune._meta.db_table)
        departements = qn(Departement._meta.db_table)
        columns = ", ".join(f"t.{qn(c)}" for c in COMMUNE_COLUMNS[:-1])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}, d.{qn('name')} FROM {communes} t LEFT JOIN {departements} d "
                f"ON d.{qn('code')} = t.{qn('departement_code')} ORDER BY t.{qn('id')}"
            )
            rows = [tuple(_as_row(Row, values)) for values in cursor.fetchall()]
            cursor.execute(f"SELECT {qn('commune_id')}, {qn('word_key')} FROM {qn(CommuneMot._meta.db_table)}")
            words = cursor.fetchall()
        by_id = {row[0]: row for row in rows}
        name_at, code_at = COMMUNE_COLUMNS.index("name_key"), COMMUNE_COLUMNS.index("code_insee")
        self.sorted = {
            "name_key": sorted(rows, key=lambda r: r[name_at]),
            "code_insee": sorted(rows, key=lambda r: r[code_at]),
            "word_key": sorted(((*by_id[cid], word) for cid, word in words if cid in by_id), key=lambda r: r[-1]),
        }
        self.keys = {
            "name_key": [r[name_at] for r in self.sorted["name_key"]],
            "code_insee": [r[code_at] for r in self.sorted["code_insee"]],
            "word_key": [r[-1] for r in self.sorted["word_key"]],
        }
        self.built_at = time.monotonic()

    def execute(self, field: str, key: str, on_date: date | None, window: int) -> list[tuple]:
        keys, rows = self.keys[field], self.sorted[field]
        start, end = COMMUNE_COLUMNS.index("start_date"), COMMUNE_COLUMNS.index("end_date")
        found = []
        for i in range(bisect.bisect_left(keys, key), bisect.bisect_left(keys, key + "\uffff")):
            row = rows[i]
            if on_date is not None and not (
                (row[start] is None or row[start] <= on_date) and (row[end] is None or row[end] > on_date)
            ):
                continue
            found.append(row)
            if len(found) >= window:
                break
        return found


def stamp() -> tuple:
    """What changes when the loader writes communes or their inner words (rows created, updated with
    ``updated_at``, words deleted): one query, ≈ 10 ms on the 46,000 periods."""
    qn = connection.ops.quote_name
    communes, words = qn(Commune._meta.db_table), qn(CommuneMot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX({qn('updated_at')}), (SELECT COUNT(*) FROM {words}) FROM {communes}")
        return tuple(cursor.fetchone())


_memory: dict[str, MemoryIndex] = {}


def memory_index() -> MemoryIndex | None:
    """The process's in-memory index when ``CERES_COMMUNES_IN_MEMORY`` is on (off in tests: their database changes
    from one test to the next)."""
    if not getattr(settings, "CERES_COMMUNES_IN_MEMORY", False):
        return None
    index = _memory.get(connection.alias)
    if index is not None and time.monotonic() - index.built_at > settings.CERES_COMMUNES_MEMORY_TTL:
        if stamp() == index.stamp:
            index.built_at = time.monotonic()  # referential unchanged: the index stays
        else:
            index = None
    if index is None:
        index = _memory[connection.alias] = MemoryIndex()
    return index


def memory_index_reset() -> None:
    _memory.clear()


def _execute(model_name: str, field: str, key: str, on_date: date | None, window: int) -> list[tuple]:
    if model_name != "pays":
        index = memory_index()
        if index is not None:
            return index.execute(field, key, on_date, window)
    params = [key, key + "\uffff"]
    if on_date is not None:
        day = connection.ops.adapt_datefield_value(on_date)
        params += [day, day]
    sql = _search_sql(connection.vendor, model_name, field, on_date is not None, window)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_row(row_class, values):
    """Row from the first len(fields) columns (SQLite returns dates as strings)."""
    start, end = row_class._fields.index("start_date"), row_class._fields.index("end_date")
    size = len(row_class._fields)
    return row_class(*values[:start], _as_date(values[start]), _as_date(values[end]), *values[end + 1 : size])


def _fetch(model_name: str, row_class, field: str, key: str, on_date: date | None, window: int) -> list:
    return [_as_row(row_class, values) for values in _execute(model_name, field, key, on_date, window)]


def _word_ranked(key: str, on_date: date | None, limit: int, exclude: set[int]) -> list:
    """Communes with an inner word starting with `key` (one indexed query on CommuneMot), ranked like _ranked:
    exact word first, current names before ancient ones, then alphabetical; one row per name period."""
    best: dict[int, tuple] = {}
    for values in _execute("commune_mot", "word_key", key, on_date, max(WINDOW, 4 * limit)):
        row = _as_row(Row, values)
        if row.id in exclude:
            continue
        rank = (values[-1] != key, row.end_date is not None, row.name_key, row.code_insee, row.kind)
        if row.id not in best or rank < best[row.id][0]:
            best[row.id] = (rank, row)
    return [row for _, row in sorted(best.values(), key=lambda item: item[0])][:limit]


def _ranked(model_name, row_class, field, key, on_date, limit: int, tie_breakers: tuple[str, ...]) -> list:
    """One indexed query: the first `window` prefix matches in index order, ranked in Python.

    Exact matches sort first in the index anyway (a key is the smallest string it prefixes). Inside the window,
    names still current come before ancient ones; beyond it, order stays alphabetical: the window is large
    enough (≥ 100 rows) for a user who types 3 letters, and it keeps the query a bounded index range scan.
    """
    rows = _fetch(model_name, row_class, field, key, on_date, max(WINDOW, 4 * limit))
    rows.sort(
        key=lambda row: (
            getattr(row, field) != key,
            row.end_date is not None,
            *(getattr(row, name) or "" for name in tie_breakers),
        )
    )
    return rows[:limit]


def _clean_limit(limit) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def search_communes(q: str, *, on_date: date | None = None, limit: int = 20) -> list[dict]:
    """Communes (every name period since 1943) matching `q`, valid on `on_date` if given. JSON-ready dicts."""
    text = clean_query(q)
    on_date = known_date(on_date)
    limit = _clean_limit(limit)
    if CODE_RE.match(text):
        rows = _ranked("commune", Row, "code_insee", text.upper(), on_date, limit, ("code_insee", "kind", "name_key"))
    else:
        key = search_key(text)
        if not key:
            return []
        rows = _ranked("commune", Row, "name_key", key, on_date, limit, ("name_key", "code_insee", "kind"))
        word_key = inner_word_key(key)
        if len(rows) < limit and word_key:
            # Not enough whole-name matches: complete with names that have an inner word starting so.
            rows += _word_ranked(word_key, on_date, limit - len(rows), {row.id for row in rows})
    return describe_communes(rows, on_date)


def departement_label(code: str, end_date: date | None, names: dict[str, str], on_date: date | None = None) -> str:
    """Département of a name period as it was named on `on_date` (searched date), else on its last day."""
    day = on_date or (end_date - timedelta(days=1) if end_date is not None else None)
    return departement_on(code, day, names.get(code, ""))


def period_label(start: date | None, end: date | None) -> str:
    """French validity period; `end` is exclusive in the data, shown as the last valid day."""
    # The COG's first state: a name dated 01/01/1943 was already in use then, not created that day.
    known = start is not None and start > COG_START
    since = f"depuis le {start:%d/%m/%Y}" if known else "depuis 1943 (au moins)"
    if end is None:
        return since
    last = end - timedelta(days=1)
    return f"du {start:%d/%m/%Y} au {last:%d/%m/%Y}" if known else f"de 1943 (au moins) au {last:%d/%m/%Y}"


EVENT_SENTENCES = {
    Commune.Event.RENOMMEE: "renommée {target} le {day}",
    Commune.Event.FUSION: "fusionnée le {day} dans {target}",
    Commune.Event.DELEGUEE: "devenue le {day} commune déléguée {de_target}",
    Commune.Event.ASSOCIEE: "devenue le {day} commune associée {de_target}",
    Commune.Event.CODE_DEPARTEMENT: "changement de département le {day} : devenue {target}",
    Commune.Event.CODE_CHEF_LIEU: "changement de code le {day} (transfert de chef-lieu) : devenue {target}",
    Commune.Event.SCISSION: "divisée le {day} en plusieurs communes, dont {target}",
    Commune.Event.SUPPRESSION: "supprimée le {day}, territoire rattaché {a_target}",
}
VOWELS = tuple("AEIOUYÀÂÉÈÊËÎÏÔŒÙÛ")


def de(name: str) -> str:
    """French "de" before a commune name: d'Amareins, du Poizat (Le Poizat), des Avenières, de Valserhône."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    return f"d'{name}" if name.startswith(VOWELS) else f"de {name}"


def a(name: str) -> str:
    """French "à" before a commune name: au Poizat (Le Poizat), aux Avenières, à Oyonnax."""
    if name.startswith("Le "):
        return f"au {name[3:]}"
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    return f"à {name}"


def event_label(row) -> str:
    """What ended a name period, as of that day ("fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033)");
    empty when the INSEE movements say nothing (overseas code changes, Algeria…)."""
    if not row.event or row.end_date is None:
        return ""
    if not row.event_successor_code:
        return f"{Commune.Event(row.event).label.lower()} le {row.end_date:%d/%m/%Y}"
    target = f"{row.event_successor_name} ({row.event_successor_code})"
    return EVENT_SENTENCES[row.event].format(
        day=f"{row.end_date:%d/%m/%Y}", target=target, de_target=de(target), a_target=a(target)
    )


def status_label(row) -> str:
    """What the name period is, and for a vanished one what it became (direct event, then today's commune)."""
    today = f"{row.successor_name} ({row.successor_code})"
    event = event_label(row)
    if event and row.kind in (Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT):
        same = (row.successor_code, row.successor_name) == (row.event_successor_code, row.event_successor_name)
        return event if same or not row.successor_code else f"{event}, aujourd'hui {today}"
    if row.kind in (Commune.Kind.DELEGUEE, Commune.Kind.ASSOCIEE):
        label = f"{KIND_LABELS[row.kind]} {de(today)}" if row.successor_code else KIND_LABELS[row.kind]
        return label if row.end_date is None else f"ancienne {label}"
    if row.kind == Commune.Kind.ARRONDISSEMENT:
        city = ARM_CITIES.get(row.parent_code, "")
        label = f"arrondissement municipal de {city}" if city else "arrondissement municipal"
        return label if row.end_date is None else f"ancien {label}, aujourd'hui {today}"
    if row.end_date is None:
        return "commune"
    if not row.successor_code:
        return f"ancienne commune, disparue le {row.end_date:%d/%m/%Y}"
    if row.successor_code == row.code_insee:
        return f"ancien nom, aujourd'hui {today}"
    if row.successor_name == row.name:
        return f"ancien code, aujourd'hui {today}"
    return f"ancienne commune, aujourd'hui {today}"


def describe_communes(rows, on_date: date | None = None) -> list[dict]:
    return [describe_commune(row, on_date) for row in rows]


def describe_commune(row, on_date: date | None = None) -> dict:
    """JSON-ready description of a name period (a Commune, annotated with `departement_name` or not)."""
    if hasattr(row, "departement_name"):
        names = {row.departement_code: row.departement_name or ""}
    else:
        names = dict(Departement.objects.filter(code=row.departement_code).values_list("code", "name"))
    dep_name = departement_label(row.departement_code, row.end_date, names, on_date)
    status = status_label(row)
    return {
        "id": row.id,
        "nom": row.name,
        "code_insee": row.code_insee,
        "type": row.kind,
        "type_libelle": KIND_LABELS.get(row.kind, row.kind),
        "statut": status,
        "departement": {"code": row.departement_code, "nom": dep_name},
        "date_debut": row.start_date.isoformat() if row.start_date else None,
        "date_fin": row.end_date.isoformat() if row.end_date else None,
        "periode": period_label(row.start_date, row.end_date),
        "actuelle": row.end_date is None and row.kind in (Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT),
        "commune_actuelle": (
            {"code_insee": row.successor_code, "nom": row.successor_name} if row.successor_code else None
        ),
        "evenement": _event_dict(row),
        "libelle": f"{row.name} ({row.code_insee}) — {status}",
        "departement_libelle": f"{dep_name} ({row.departement_code})" if dep_name else row.departement_code,
    }


def _event_dict(row) -> dict | None:
    if not getattr(row, "event", "") or row.end_date is None:
        return None
    return {
        "type": row.event,
        "type_libelle": Commune.Event(row.event).label,
        "date": row.end_date.isoformat(),
        "commune": (
            {"code_insee": row.event_successor_code, "nom": row.event_successor_name}
            if row.event_successor_code
            else None
        ),
        "libelle": event_label(row),
    }


def commune_label(row) -> str:
    """One-line label of a commune name period, used by form widgets to show the stored value."""
    return describe_commune(row)["libelle"]


def search_pays(q: str, *, on_date: date | None = None, limit: int = 20) -> list[dict]:
    """Countries and territories (name periods since 1943) matching `q` (name or INSEE 99xxx code)."""
    text = clean_query(q)
    on_date = known_date(on_date)
    limit = _clean_limit(limit)
    if text.isascii() and text.isdigit():
        rows = _ranked("pays", PaysRow, "code", text, on_date, limit, ("code", "name_key"))
    else:
        key = search_key(text)
        if not key:
            return []
        rows = _ranked("pays", PaysRow, "name_key", key, on_date, limit, ("name_key", "code"))
    return [describe_pays(row) for row in rows]


def describe_pays(row) -> dict:
    status = (
        "pays ou territoire"
        if row.end_date is None
        else f"n'existe plus sous ce nom depuis le {row.end_date:%d/%m/%Y}"
    )
    return {
        "id": row.id,
        "nom": row.name,
        "nom_officiel": row.official_name,
        "code_insee": row.code,
        "statut": status,
        "date_debut": row.start_date.isoformat() if row.start_date else None,
        "date_fin": row.end_date.isoformat() if row.end_date else None,
        "periode": period_label(row.start_date, row.end_date),
        "actuel": row.end_date is None,
        "libelle": f"{row.name} ({row.code})" + ("" if row.end_date is None else f" — {status}"),
    }
