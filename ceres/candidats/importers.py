"""CSV import of candidate files (data taken over from another tool), through ``services.candidat_create``.

Every line goes through the same duplicate check as the screen (R7: one file per person):
- a *certain* match is not created: the line is reported with the existing file's number (so a second run of
  the same file creates nothing: the import is idempotent);
- *probable* matches are created (nobody is there to choose during an import) and the pairs are stored for the
  UD's "Doublons" page, where they are merged or set aside;
- invalid lines are rejected with their line number and a French reason; the other lines still load.
Format: docs/imports/candidats.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ceres.candidats import services
from ceres.candidats.models import Candidat, Civilite
from ceres.core import fichiers, imports, locks
from ceres.core.fichiers import (
    read_columns,
    summary_line,
    validation_reason,
)
from ceres.referentiels.models import Commune, Pays

# Canonical column → accepted header spellings (compared folded, underscores as spaces).
COLUMNS = {
    "reference": ("reference", "identifiant", "id"),
    "civilite": ("civilite", "sexe"),
    "nom_naissance": ("nom_naissance", "nom de naissance", "nom"),
    "nom_usage": ("nom_usage", "nom d usage", "nom marital"),
    "prenoms": ("prenoms", "prenom"),
    "date_naissance": ("date_naissance", "date de naissance", "naissance"),
    "commune_naissance_insee": ("commune_naissance_insee", "code insee naissance", "insee naissance"),
    "pays_naissance": ("pays_naissance", "code pays naissance", "pays naissance"),
    "ville_naissance_etranger": ("ville_naissance_etranger", "ville naissance etranger", "ville de naissance"),
    "nationalite": ("nationalite", "code nationalite"),
    "adresse": ("adresse",),
    "code_postal": ("code_postal", "code postal", "cp"),
    "commune_insee": ("commune_insee", "code insee commune", "code insee residence"),
    "email": ("email", "courriel", "adresse e-mail", "e-mail", "mail"),
    "telephone": ("telephone", "tel"),
}
REQUIRED = ("civilite", "nom_naissance", "prenoms", "date_naissance")


@dataclass
class Ligne:
    line: int
    reference: str
    reason: str
    column: str = ""  # the file's column at fault (canonical name), empty when the whole line is concerned


@dataclass
class CandidatImportReport:
    wet_run: bool = False
    lines: int = 0
    created: int = 0
    rejected: list[Ligne] = field(default_factory=list)
    duplicates: list[Ligne] = field(default_factory=list)
    probables: list[Ligne] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    outcome: list[tuple[int, str]] = field(default_factory=list)  # (line, fate) of every line read

    def summary(self) -> str:
        if self.file_errors:
            return "Fichier refusé : " + " ".join(self.file_errors)
        # A candidate file is never updated by an import: a line already in CERES counts as unchanged.
        return summary_line(
            "Candidats",
            lines=self.lines,
            created=self.created,
            updated=0,
            unchanged=len(self.duplicates),
            rejected=len(self.rejected),
            extra=(f"{len(self.probables)} à vérifier parmi les créés (dossiers ressemblants)",),
        )

    def bilan(self) -> imports.Bilan:
        """The report as the browser import shows and keeps it (ceres.core.imports)."""

        def lignes(items, result):
            return [imports.Ligne(i.line, i.column, i.reference, result, i.reason) for i in items]

        return imports.Bilan(
            lines=self.lines,
            summary=self.summary(),
            counts=[
                ("Lignes lues", self.lines),
                ("Nouveaux dossiers", self.created),
                ("dont ressemblant à un dossier existant (paire à vérifier par l'UD)", len(self.probables)),
                ("Déjà dans CERES (non créés)", len(self.duplicates)),
                ("Lignes rejetées", len(self.rejected)),
            ],
            report=sorted(
                lignes(self.rejected, REJETE) + lignes(self.duplicates, DEJA_PRESENT), key=lambda item: item.line
            ),
            # « Dossier n° … créé ; il ressemble au dossier n° … »: the new number is not known before the application.
            notes=[
                imports.Ligne(i.line, i.column, i.reference, A_VERIFIER, i.reason.split(" ; ", 1)[-1].capitalize())
                for i in self.probables
            ],
            outcome=list(self.outcome),
            file_errors=list(self.file_errors),
        )


class Reject(Exception):
    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.column = column


# Model field → column of the file, to name the column of a refusal from the service.
FIELD_COLUMNS = {
    "civility": "civilite",
    "birth_name": "nom_naissance",
    "usage_name": "nom_usage",
    "first_names": "prenoms",
    "birth_date": "date_naissance",
    "birth_commune": "commune_naissance_insee",
    "birth_country": "pays_naissance",
    "birth_town_abroad": "ville_naissance_etranger",
    "nationality": "nationalite",
    "address": "adresse",
    "postal_code": "code_postal",
    "commune": "commune_insee",
    "email": "email",
    "phone": "telephone",
}
# What happens to a line (the fates compared between the check and the application).
CREE, A_VERIFIER, DEJA_PRESENT, REJETE = "créé", "créé, à vérifier", "déjà présent", "rejeté"


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


def parse_date(value: str) -> datetime.date | None:
    """None when empty or unreadable: the line is then refused for its missing birth date."""
    try:
        return fichiers.parse_date(value, DATE_FORMATS)
    except ValueError:
        return None


def read_csv(data: bytes | str):
    """(file errors, rows as (line number as in a spreadsheet, row with canonical keys), ragged lines); an XLSX
    workbook (its first sheet) is read like a CSV."""
    return read_columns(data, COLUMNS, REQUIRED, xlsx=True)


def _commune_on(code: str, day: datetime.date) -> Commune:
    rows = list(Commune.objects.filter(code_insee=code.upper()).valid_on(day))
    if not rows:
        what = "n'existait pas à la date de naissance" if Commune.objects.filter(code_insee=code).exists() else ""
        raise Reject(
            f"Commune de naissance inconnue : code INSEE « {code} » {what}".strip() + ".", "commune_naissance_insee"
        )
    # A commune (COM) wins over a delegated namesake carrying the same code.
    return sorted(rows, key=lambda c: c.kind != Commune.Kind.COMMUNE)[0]


def _pays(code: str, day: datetime.date | None, label: str, column: str) -> Pays:
    """Country valid on `day` (birth country: what the page accepts), or the latest name (nationality)."""
    qs = Pays.objects.filter(code=code)
    latest = qs.order_by("-start_date").first()
    if latest is None:
        raise Reject(f"{label} inconnu : code INSEE « {code} » (attendu 99xxx).", column)
    if day is None:
        return latest
    pays = qs.valid_on(day).first()
    if pays is None:
        raise Reject(
            f"{label} inconnu à la date de naissance : le code INSEE « {code} » ({latest.name}) ne désignait aucun "
            f"pays le {day:%d/%m/%Y} ; indiquez le pays ou territoire de cette date (avant l'indépendance : la "
            "commune, ou l'ancien territoire français).",
            column,
        )
    return pays


def build_data(row: dict) -> dict:
    """Service data for one line, or Reject with the French reason."""
    civility = Civilite.read(row["civilite"])
    if civility is None:
        raise Reject(f"Civilité inconnue : « {row['civilite']} » (attendu M ou MME).", "civilite")
    if not row["nom_naissance"]:
        raise Reject("Nom de naissance manquant.", "nom_naissance")
    if not row["prenoms"]:
        raise Reject("Prénoms manquants.", "prenoms")
    birth_date = parse_date(row["date_naissance"])
    if birth_date is None:
        raise Reject(
            f"Date de naissance illisible : « {row['date_naissance']} » (attendu JJ/MM/AAAA).", "date_naissance"
        )
    data = {
        "civility": civility,
        "birth_name": row["nom_naissance"],
        "usage_name": row["nom_usage"],
        "first_names": row["prenoms"],
        "birth_date": birth_date,
        "birth_commune": None,
        "birth_country": None,
        "birth_town_abroad": row["ville_naissance_etranger"],
        "nationality": None,
        "address": row["adresse"],
        "postal_code": row["code_postal"][:5],
        "commune": None,
        "email": row["email"],
        "phone": row["telephone"][:20],
    }
    if row["commune_naissance_insee"] and row["pays_naissance"]:
        raise Reject("Commune et pays de naissance sont tous deux remplis : un seul des deux.", "pays_naissance")
    if row["commune_naissance_insee"]:
        data["birth_commune"] = _commune_on(row["commune_naissance_insee"], birth_date)
    elif row["pays_naissance"]:
        data["birth_country"] = _pays(row["pays_naissance"], birth_date, "Pays de naissance", "pays_naissance")
    if row["nationalite"]:
        data["nationality"] = _pays(row["nationalite"], None, "Pays de nationalité", "nationalite")
    if row["commune_insee"]:
        data["commune"] = Commune.objects.current().filter(code_insee=row["commune_insee"].upper()).first()
        if data["commune"] is None:
            raise Reject(f"Commune de résidence inconnue : code INSEE « {row['commune_insee']} ».", "commune_insee")
    return data


def _numbers(exc) -> str:
    return ", ".join(f"n° {c.numero}" for c in exc.existing)


def import_candidats(
    data: bytes | str, *, by=None, centre=None, wet_run: bool = False, progress=None
) -> CandidatImportReport:
    """Run the import in one transaction, rolled back unless wet_run. ``progress(done, total)`` is called after each
    line (the browser import shows it)."""
    errors, rows, ragged = read_csv(data)
    report = CandidatImportReport(wet_run=wet_run, file_errors=errors)
    if errors:
        return report
    report.rejected.extend(Ligne(line, "", reason) for line, reason in ragged)
    report.outcome.extend((line, REJETE) for line, _ in ragged)
    report.lines = len(ragged)
    try:
        # Two imports at once deadlocked on the duplicate checks: one runs, the other is told to wait.
        with locks.exclusive("import:candidats"), transaction.atomic():
            _run(rows, report, by=by, centre=centre, progress=progress)
            report.outcome.sort()
            report.rejected.sort(key=lambda item: item.line)
            if not wet_run:
                raise _DryRun
    except _DryRun:
        pass
    except locks.AlreadyRunning as exc:
        return CandidatImportReport(wet_run=wet_run, file_errors=[exc.message])
    return report


def _run(rows, report: CandidatImportReport, *, by, centre, progress=None):
    created_on_line: dict[str, int] = {}
    total = len(rows)

    def where(exc) -> str:
        lines = [f"ligne {created_on_line[c.numero]}" for c in exc.existing if c.numero in created_on_line]
        return f" (créé par ce fichier, {', '.join(lines)})" if lines else ""

    references: dict[str, tuple[int, dict]] = {}
    for done, (line, row) in enumerate(rows, start=1):
        if progress is not None:
            progress(done - 1, total)
        report.lines += 1
        ref = row["reference"]
        try:
            first_line, first_row = references.setdefault(ref, (line, row)) if ref else (line, row)
            if first_row != row:
                # One reference, two people: the source file is inconsistent; the identical-line case is left to
                # the duplicate check, which names the file created by the first line.
                raise Reject(f"La référence {ref} figure déjà ligne {first_line} avec d'autres valeurs.", "reference")
            values = build_data(row)
            candidat = services.candidat_create(data=values, by=by, centre=centre)
        except Reject as exc:
            report.rejected.append(Ligne(line, ref, str(exc), exc.column))
            report.outcome.append((line, REJETE))
            continue
        except services.DoublonCertain as exc:
            report.duplicates.append(
                Ligne(line, ref, f"Ce candidat existe déjà : dossier {_numbers(exc)}{where(exc)}. Non créé.")
            )
            report.outcome.append((line, DEJA_PRESENT))
            continue
        except services.DoublonsProbables as exc:
            # Nobody can choose during an import: create, and leave the pairs to the UD's duplicates page.
            candidat = services.candidat_create(
                data=values, by=by, centre=centre, ignore_probables=True, imported=True
            )
            report.probables.append(
                Ligne(
                    line,
                    ref,
                    f"Dossier n° {candidat.numero} créé ; il ressemble au dossier {_numbers(exc)} : "
                    "paire à vérifier dans la page « Doublons ».",
                )
            )
            report.outcome.append((line, A_VERIFIER))
        except ValidationError as exc:
            column = next((FIELD_COLUMNS[f] for f in getattr(exc, "error_dict", {}) if f in FIELD_COLUMNS), "")
            report.rejected.append(Ligne(line, ref, validation_reason(exc, Candidat), column))
            report.outcome.append((line, REJETE))
            continue
        else:
            report.outcome.append((line, CREE))
        created_on_line[candidat.numero] = line
        report.created += 1
    if progress is not None:
        progress(total, total)


class _DryRun(Exception):
    pass


def import_candidats_bilan(data: bytes, *, by, centre, wet_run: bool, progress) -> imports.Bilan:
    """The importer of the browser import (ceres.core.imports.execute)."""
    return import_candidats(data, by=by, centre=centre, wet_run=wet_run, progress=progress).bilan()


# Columns of the downloadable template: (name, what to type, required).
TEMPLATE_COLUMNS = [
    ("reference", "Votre référence du candidat (facultative, rappelée dans le rapport des lignes rejetées).", False),
    ("civilite", "M, Monsieur, MME ou Madame.", True),
    ("nom_naissance", "Nom de naissance.", True),
    ("nom_usage", "Nom d'usage, s'il diffère.", False),
    ("prenoms", "Prénoms, séparés par des virgules, dans l'ordre de l'état civil.", True),
    ("date_naissance", "Date de naissance : JJ/MM/AAAA (ou AAAA-MM-JJ).", True),
    (
        "commune_naissance_insee",
        "Né en France : code INSEE de la commune de naissance (5 caractères, ex. 69123).",
        False,
    ),
    ("pays_naissance", "Né à l'étranger : code INSEE du pays de naissance à cette date (99xxx).", False),
    ("ville_naissance_etranger", "Né à l'étranger : ville de naissance.", False),
    ("nationalite", "Code INSEE du pays de nationalité (99xxx ; France : 99100).", False),
    ("adresse", "Adresse postale.", False),
    ("code_postal", "Code postal.", False),
    ("commune_insee", "Code INSEE de la commune de résidence.", False),
    ("email", "Adresse e-mail (convocations).", False),
    ("telephone", "Téléphone.", False),
]
