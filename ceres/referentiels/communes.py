"""THE commune / country search service, used by every commune or country field of CERES and by the public API.

Matching: the query goes through `search_key` (lowercase, no accents, separators as spaces, "st" -> "saint",
leading article dropped), then is matched as a *prefix* of the indexed `name_key` column — never a scan:
- SQLite: range `name_key >= k AND name_key < k + U+FFFF` (BINARY collation, served by the index in order);
- PostgreSQL: `LIKE 'k%'` (Django adds a varchar_pattern_ops index to every indexed CharField), because a range
  is only correct under the C collation and production databases may use a French one.
Digits (or 2A/2B) search the INSEE code instead (exact, then prefix).
Word prefixes inside a name ("clemenciat" alone) are not matched: it would need an extra key table, and users
type the beginning of a name (the leading article is ignored, "st" is expanded).

Ranking: exact name (or code) first, then prefixes; inside each, names still current before ancient ones, then
alphabetical (no population figures in the COG). With `on_date`, only names valid on that day are returned.
"""

import re
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from ceres.core.text import search_key
from ceres.referentiels.models import Commune, Departement, Pays

MAX_LIMIT = 50
CODE_RE = re.compile(r"^(?:\d{1,5}|\d[0-9ab]|\d[0-9ab]\d{1,3})$", re.IGNORECASE)
ARM_CITIES = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}
# Codes whose meaning changed: label of rows that ended before the given day.
HISTORICAL_DEPARTEMENTS = {
    "20": (date(1976, 1, 1), "Corse"),
    "75": (date(1968, 1, 1), "Seine"),
    "78": (date(1968, 1, 1), "Seine-et-Oise"),
    "91": (date(1962, 7, 6), "Alger (Algérie)"),
    "92": (date(1962, 7, 6), "Oran (Algérie)"),
    "93": (date(1962, 7, 6), "Constantine (Algérie)"),
    "94": (date(1962, 7, 6), "Territoires du Sud (Algérie)"),
    "95": (date(1956, 3, 3), "Maroc"),
    "96": (date(1956, 3, 21), "Tunisie"),
}
# Overseas collectivities and former territories (not in the Departement table).
COLLECTIVITES = {
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "981": "Île des Faisans",
    "984": "Terres australes et antarctiques françaises",
    "985": "Mayotte",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
    "989": "La Passion-Clipperton",
}
KIND_LABELS = {
    Commune.Kind.COMMUNE: "commune",
    Commune.Kind.ARRONDISSEMENT: "arrondissement municipal",
    Commune.Kind.DELEGUEE: "commune déléguée",
    Commune.Kind.ASSOCIEE: "commune associée",
}


class InvalidQuery(ValueError):
    """Bad parameter; the message is French and shown to the user."""


def parse_date_param(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidQuery(
            f"La date « {value} » n'est pas valide : elle doit être au format AAAA-MM-JJ (par exemple 1965-06-01)."
        ) from None


def _prefix(queryset, field: str, key: str):
    if connection.vendor == "postgresql":
        return queryset.filter(**{f"{field}__startswith": key})
    return queryset.filter(**{f"{field}__gte": key, f"{field}__lt": key + "\uffff"})


_IS_CURRENT = Case(When(end_date__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())


def _ranked(queryset, field: str, key: str, limit: int, order: list[str]) -> list:
    """Exact matches, then current prefixes, then ancient prefixes; each step stops at `limit`."""
    found = list(queryset.filter(**{field: key}).order_by(*order)[:limit])
    found.sort(key=lambda row: row.end_date is not None)  # stable: keeps the alphabetical order
    # The CASE hides end_date from the planner: the index on end_date must not win over the one on `field`
    # (37,000 current rows), or every query would scan and sort.
    prefixed = _prefix(queryset, field, key).exclude(**{field: key}).alias(_current=_IS_CURRENT)
    for part in (prefixed.filter(_current=1), prefixed.filter(_current=0)):
        if len(found) >= limit:
            break
        found += list(part.order_by(*order)[: limit - len(found)])
    return found


def _clean_limit(limit) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def search_communes(q: str, *, on_date: date | None = None, limit: int = 20) -> list[dict]:
    """Communes (every name period since 1943) matching `q`, valid on `on_date` if given. JSON-ready dicts."""
    text = (q or "").strip()
    limit = _clean_limit(limit)
    queryset = Commune.objects.all()
    if on_date is not None:
        queryset = queryset.valid_on(on_date)
    if CODE_RE.match(text):
        rows = _ranked(queryset, "code_insee", text.upper(), limit, ["code_insee", "kind", "start_date"])
    else:
        key = search_key(text)
        if not key:
            return []
        rows = _ranked(queryset, "name_key", key, limit, ["name_key", "code_insee", "kind", "start_date"])
    return describe_communes(rows)


def departement_label(code: str, end_date: date | None, names: dict[str, str]) -> str:
    historical = HISTORICAL_DEPARTEMENTS.get(code)
    if historical and end_date is not None and end_date <= historical[0]:
        return historical[1]
    return names.get(code) or COLLECTIVITES.get(code, "")


def period_label(start: date | None, end: date | None) -> str:
    """French validity period; `end` is exclusive in the data, shown as the last valid day."""
    since = f"depuis le {start:%d/%m/%Y}" if start else "depuis 1943 au moins"
    if end is None:
        return since
    last = end - timedelta(days=1)
    return f"du {start:%d/%m/%Y} au {last:%d/%m/%Y}" if start else f"jusqu'au {last:%d/%m/%Y}"


def status_label(row) -> str:
    """What the name period is, and for a vanished one what it became."""
    today = f"{row.successor_name} ({row.successor_code})"
    if row.kind in (Commune.Kind.DELEGUEE, Commune.Kind.ASSOCIEE):
        label = f"{KIND_LABELS[row.kind]} de {today}" if row.successor_code else KIND_LABELS[row.kind]
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


def describe_communes(rows) -> list[dict]:
    codes = {row.departement_code for row in rows}
    names = dict(Departement.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [describe_commune(row, names) for row in rows]


def describe_commune(row, departement_names: dict[str, str] | None = None) -> dict:
    if departement_names is None:
        departement_names = dict(Departement.objects.filter(code=row.departement_code).values_list("code", "name"))
    dep_name = departement_label(row.departement_code, row.end_date, departement_names)
    status = status_label(row)
    return {
        "id": row.pk,
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
        "libelle": f"{row.name} ({row.code_insee}) — {status}",
        "departement_libelle": f"{dep_name} ({row.departement_code})" if dep_name else row.departement_code,
    }


def commune_label(row) -> str:
    """One-line label of a commune name period, used by form widgets to show the stored value."""
    return describe_commune(row)["libelle"]


def search_pays(q: str, *, on_date: date | None = None, limit: int = 20) -> list[dict]:
    """Countries and territories (name periods since 1943) matching `q` (name or INSEE 99xxx code)."""
    text = (q or "").strip()
    limit = _clean_limit(limit)
    queryset = Pays.objects.all()
    if on_date is not None:
        queryset = queryset.valid_on(on_date)
    if text.isdigit():
        rows = _ranked(queryset, "code", text, limit, ["code", "start_date"])
    else:
        key = search_key(text)
        if not key:
            return []
        rows = _ranked(queryset, "name_key", key, limit, ["name_key", "code", "start_date"])
    return [describe_pays(row) for row in rows]


def describe_pays(row) -> dict:
    status = (
        "pays ou territoire"
        if row.end_date is None
        else f"n'existe plus sous ce nom depuis le {row.end_date:%d/%m/%Y}"
    )
    return {
        "id": row.pk,
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


def communes_valid_on(on_date: date | None):
    """Queryset used by form fields to check a chosen commune is valid at the date of the event."""
    queryset = Commune.objects.all()
    return queryset.valid_on(on_date) if on_date else queryset


def pays_valid_on(on_date: date | None):
    queryset = Pays.objects.all()
    return queryset.valid_on(on_date) if on_date else queryset
