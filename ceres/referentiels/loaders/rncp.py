"""Refresh of the titles from a France Compétences RNCP export ("Standard" file), for the national administrator.

Format (documented in docs/imports/rncp.md): `;`-separated, fields quoted, values possibly TAB-prefixed, UTF-8
(with or without BOM; Windows-1252 accepted). Only titres professionnels are kept (Abrege_Libelle "TP", or the
Ministry of Labour as certificateur when the file has certificateur columns). Every other line is counted as ignored;
every invalid line is rejected with its number and reason, the rest loads. Values of the file overwrite the
database (it is an explicit refresh), each change is journaled; a second run of the same file changes nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ceres.core import fichiers
from ceres.core.fichiers import (
    FileRefused,
    count,
    missing_columns_message,
    read_table,
    summary_line,
    validation_reason,
)
from ceres.core.fichiers import decode as decode_file
from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry
from ceres.core.text import search_key
from ceres.referentiels import rules
from ceres.referentiels.models import TitreProfessionnel

REQUIRED_COLUMNS = ["Numero_Fiche", "Intitule", "Abrege_Libelle", "Nomenclature_Europe_Niveau", "Actif"]
MINISTERE_TRAVAIL_SIRET = "11000007200014"
UPDATED_FIELDS = ["intitule", "intitule_key", "niveau", "start_date", "end_date"]
TITLE_PREFIX = re.compile(r"^\s*(TP|titre professionnel)\s*[-:–]\s*", re.IGNORECASE)


class FormatError(FileRefused):
    """The file cannot be read at all (missing columns, not a CSV): nothing is loaded."""


@dataclass
class Rejet:
    line: int
    numero: str
    reason: str

    def __str__(self):
        return f"Ligne {self.line}{f' ({self.numero})' if self.numero else ''} rejetée : {self.reason}"


@dataclass
class ImportResult:
    lignes: int = 0
    créés: int = 0
    modifiés: int = 0
    inchangés: int = 0
    ignorés: int = 0
    rejets: list[Rejet] = field(default_factory=list)

    def counters(self) -> dict:
        return {
            "créés": self.créés,
            "modifiés": self.modifiés,
            "inchangés": self.inchangés,
            "ignorés (autres certifications)": self.ignorés,
            "rejetés": len(self.rejets),
        }

    def summary(self) -> str:
        return summary_line(
            "Titres",
            lines=self.lignes,
            created=self.créés,
            updated=self.modifiés,
            unchanged=self.inchangés,
            rejected=len(self.rejets),
            extra=(count(self.ignorés, "ignoré (autre certification)", "ignorés (autres certifications)"),),
        )


def decode(data: bytes | str) -> str:
    """Text of the file (UTF-8 with or without BOM, else Windows-1252); FormatError if it is not a text file."""
    try:
        return decode_file(data)
    except FileRefused as exc:
        raise FormatError(str(exc)) from None


def read_rows(text: str):
    """(rows, ragged): rows are (line number as a spreadsheet shows it, {column: stripped value})."""
    try:
        header, values, ragged = read_table(text)
    except FileRefused as exc:
        raise FormatError(str(exc)) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FormatError(
            f"{missing_columns_message(missing)} Attendu : un export « Standard » France Compétences séparé par "
            "des points-virgules."
        )
    return [(line, {name: cells[i].strip() for i, name in enumerate(header)}) for line, cells in values], ragged


def parse_date(value: str) -> dt.date | None:
    """ "31/12/2029" or "2029-12-31" (a time after it is ignored); empty → None; anything else raises ValueError."""
    try:
        return fichiers.parse_date(value.strip()[:10])
    except ValueError:
        raise ValueError(value.strip()) from None


def is_titre_professionnel(values: dict) -> bool:
    if values.get("Abrege_Libelle", "").upper() == "TP":
        return True
    siret = re.sub(r"\s", "", values.get("Siret_Certificateur", ""))
    return siret == MINISTERE_TRAVAIL_SIRET or "MINISTERE DU TRAVAIL" in values.get("Nom_Certificateur", "").upper()


def parse_line(values: dict) -> tuple[dict | None, str]:
    """Fields of one accepted line, or (None, French reason)."""
    numero = rules.normalize_rncp(values["Numero_Fiche"])
    problems = rules.rncp_problems(numero)
    if problems:
        return None, problems[0]
    intitule = TITLE_PREFIX.sub("", values["Intitule"]).strip()
    if not intitule:
        return None, "Intitulé vide : un titre sans intitulé ne peut pas être imprimé."
    raw_level = values["Nomenclature_Europe_Niveau"]
    niveau = rules.parse_niveau(raw_level)
    if raw_level and niveau is None:
        return None, f"Niveau « {raw_level} » non reconnu : attendu NIV3 à NIV7 (ou V, IV, III, II, I)."
    try:
        start = parse_date(values.get("Date_Effet", ""))
        end = parse_date(values.get("Date_Fin_Enregistrement", ""))
    except ValueError as exc:
        return None, f"Date « {exc} » illisible : attendu JJ/MM/AAAA."
    if start and end and end <= start:
        return None, f"La fin d'enregistrement ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y})."
    fields = {"code_rncp": numero, "intitule": intitule, "intitule_key": search_key(intitule)}
    # Empty values in the file never erase what the référentiel knows.
    if niveau is not None:
        fields["niveau"] = niveau
    if start:
        fields["start_date"] = start
    if end:
        fields["end_date"] = end
    return fields, ""


@transaction.atomic
def import_rncp(data: bytes | str, *, by=None, source_name: str = "") -> ImportResult:
    """FormatError (nothing read) when the file is refused as a whole."""
    rows, ragged = read_rows(decode(data))
    result = ImportResult(lignes=len(rows) + len(ragged))
    result.rejets.extend(Rejet(line, "", reason) for line, reason in ragged)
    seen = {}
    existing = {t.code_rncp: t for t in TitreProfessionnel.objects.filter(code_rncp__isnull=False)}
    for line, values in rows:
        if not is_titre_professionnel(values):
            result.ignorés += 1
            continue
        fields, reason = parse_line(values)
        numero = rules.normalize_rncp(values["Numero_Fiche"])
        if fields is None:
            result.rejets.append(Rejet(line, values["Numero_Fiche"], reason))
            continue
        if numero in seen:
            result.rejets.append(Rejet(line, numero, f"Fiche déjà présente ligne {seen[numero]}."))
            continue
        seen[numero] = line
        titre = existing.get(numero)
        if titre is None:
            titre = TitreProfessionnel(source=f"Import RNCP {source_name}".strip()[:100], **fields)
            try:
                titre.full_clean()
            except ValidationError as exc:
                result.rejets.append(Rejet(line, numero, validation_reason(exc, TitreProfessionnel)))
                continue
            titre.save()
            journal_record(
                action=JournalEntry.Action.CREATE,
                obj=titre,
                by=by,
                changes=diff({}, snapshot(titre, ["code_rncp", *UPDATED_FIELDS])),
                operation="import_rncp",
            )
            result.créés += 1
            continue
        before = snapshot(titre, UPDATED_FIELDS)
        for name, value in fields.items():
            setattr(titre, name, value)
        changes = diff(before, snapshot(titre, UPDATED_FIELDS))
        if not changes:
            result.inchangés += 1
            continue
        try:
            titre.full_clean()
        except ValidationError as exc:  # reported as a rejected line, the rest loads
            titre.refresh_from_db()
            result.rejets.append(Rejet(line, numero, validation_reason(exc, TitreProfessionnel)))
            continue
        titre.save()
        journal_record(action=JournalEntry.Action.UPDATE, obj=titre, by=by, changes=changes, operation="import_rncp")
        result.modifiés += 1
    result.rejets.sort(key=lambda r: r.line)
    return result
