"""Pure rules of the titles référentiel (no database): codes, levels, life cycle, printability."""

import datetime as dt
import re
from dataclasses import dataclass

from ceres.core.dates import add_months, last_day_after_end_of_life

RNCP_RE = re.compile(r"^RNCP\d{3,5}$")
RS_RE = re.compile(r"^RS\d{3,5}$")

# 1969 nomenclature (Roman) → 2019 national framework (arabic).
ROMAN_LEVELS = {"V": 3, "IV": 4, "III": 5, "II": 6, "I": 7}
NIVEAU_MIN, NIVEAU_MAX = 3, 7


def normalize_nsf(raw: str) -> str:
    """ "326 t", "326T", " 326-t " → "326t". Returns "" for empty input (validation is separate)."""
    return re.sub(r"[\s\-_.]+", "", (raw or "")).lower()


def normalize_rncp(raw: str) -> str:
    """ "rncp 38667", "38667", "\\tRNCP38667" → "RNCP38667"; RS numbers keep their prefix."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if value.isdigit():
        return f"RNCP{value}"
    return value


def rncp_problems(code: str) -> list[str]:
    if not (RNCP_RE.match(code or "") or RS_RE.match(code or "")):
        return [f"Le numéro « {code} » n'est pas un numéro RNCP valide (RNCP suivi de 3 à 5 chiffres, ex. RNCP38667)."]
    return []


def parse_niveau(raw: str) -> int | None:
    """RNCP level in any observed spelling: "NIV5", "Niveau 5", "5", "III" (1969) → 5. None if empty or unknown."""
    value = re.sub(r"\s+", "", (raw or "")).upper()
    if not value:
        return None
    value = re.sub(r"^(NIVEAU|NIV\.?|N)", "", value)
    if value in ROMAN_LEVELS:
        return ROMAN_LEVELS[value]
    if value.isdigit() and NIVEAU_MIN <= int(value) <= NIVEAU_MAX:
        return int(value)
    return None


def titre_printable_problems(intitule: str, niveau: int | None, nsf_codes: list[str]) -> list[str]:
    """Why a title version cannot be printed on a parchemin (DOMAIN R6: NSF is mandatory)."""
    problems = []
    if not (intitule or "").strip():
        problems.append("Intitulé manquant : le parchemin ne peut pas nommer le titre.")
    if niveau is None:
        problems.append("Niveau manquant : le parchemin doit indiquer le niveau du titre.")
    elif not NIVEAU_MIN <= niveau <= NIVEAU_MAX:
        problems.append(f"Niveau {niveau} invalide : il doit être compris entre 3 et 7.")
    if not nsf_codes:
        problems.append("Code NSF manquant : le parchemin doit indiquer le code NSF (note de version, R6).")
    return problems


class Statut:
    A_VENIR = "a_venir"
    ACTIF = "actif"
    PROLONGATION = "prolongation"
    TERMINE = "termine"
    INCONNU = "inconnu"

    LABELS = {
        A_VENIR: "À venir",
        ACTIF: "Actif",
        PROLONGATION: "En prolongation",
        TERMINE: "Terminé",
        INCONNU: "Dates inconnues",
    }
    # Filters offered on the public list (the "inconnu" case appears only as a badge).
    FILTERS = [(ACTIF, "Actifs"), (PROLONGATION, "En prolongation"), (TERMINE, "Terminés"), (A_VENIR, "À venir")]


@dataclass(frozen=True)
class CycleDeVie:
    statut: str
    # Last day (inclusive) of sessions past the end of life, counted from its last valid day (docs/decisions/0003).
    prolongation_end: dt.date | None  # general case (12 months by default)
    prolongation_cfa_crp_end: dt.date | None  # CFA / CRP centres (24 months by default)

    @property
    def label(self):
        return Statut.LABELS[self.statut]


def titre_cycle_de_vie(
    start_date: dt.date | None,
    end_date: dt.date | None,
    today: dt.date,
    *,
    prolongation_months: int,
    prolongation_cfa_crp_months: int,
) -> CycleDeVie:
    """Life-cycle state of a title version on `today`.

    "En prolongation": past its end of life but some centres may still run sessions on it — every agreed centre
    during the délai de prolongation, CFA and CRP centres during their longer delay (DOMAIN §3.5, R3).
    """
    prolongation_end = last_day_after_end_of_life(end_date, prolongation_months) if end_date else None
    cfa_end = last_day_after_end_of_life(end_date, prolongation_cfa_crp_months) if end_date else None
    if start_date and today < start_date:
        statut = Statut.A_VENIR
    elif end_date is None:
        statut = Statut.ACTIF if start_date else Statut.INCONNU
    elif today < end_date:
        statut = Statut.ACTIF
    elif prolongation_end and cfa_end and today <= max(prolongation_end, cfa_end):  # both set with end_date
        statut = Statut.PROLONGATION
    else:
        statut = Statut.TERMINE
    return CycleDeVie(statut, prolongation_end, cfa_end)


def prolongation_cutoff(today: dt.date, months: int) -> dt.date:
    """Titles whose end of life is after this date are still within `months` of prolongation on `today`: the
    largest end of life whose delay (last_day_after_end_of_life) ends before `today`, for an indexed SQL filter."""
    cutoff = add_months(today, -months)
    # The delay is non-decreasing in the end of life; month lengths move the boundary by a few days at most.
    while last_day_after_end_of_life(cutoff, months) >= today:
        cutoff -= dt.timedelta(days=1)
    while last_day_after_end_of_life(cutoff + dt.timedelta(days=1), months) < today:
        cutoff += dt.timedelta(days=1)
    return cutoff


PARAMETRE_MAX_MOIS = 120


def parametre_problems(value: int | None, unit: str) -> list[str]:
    """A national parameter is a duration in months: whole, not negative, and no more than ten years."""
    if value is None:
        return ["Indiquez une valeur."]
    if value < 0:
        return [f"La valeur ne peut pas être négative ({value} {unit})."]
    if unit == "mois" and value > PARAMETRE_MAX_MOIS:
        return [f"{value} mois dépasse dix ans ({PARAMETRE_MAX_MOIS} mois) : vérifiez la saisie."]
    return []
