"""Reprise (migration) of jurors and habilitations from the former system's CSV export (or an XLSX workbook).

One row per habilitation, the juror's identity repeated on each row (format: docs/imports/reprise_jurys.md).
Idempotent: jurors are keyed on the former system's juror id, habilitations on the former habilitation id.
Every habilitation not taken over is reported with its reason (reconciliation report).
Run by the command (import_reprise_jurys) or from the browser (ceres.core.imports: ImportReprise, run_reprise_import):
same rows, same report; from the browser a UD agent takes over only the jurors of their own UD.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ceres.core import fichiers, imports
from ceres.core.dates import fr_date
from ceres.core.exports import csv_text
from ceres.core.fichiers import (
    FileRefused,
    decode,
    is_xlsx,
    missing_columns_message,
    read_table,
    read_xlsx_table,
    summary_line,
    validation_reason,
)
from ceres.jurys import rules, services
from ceres.jurys.enums import Civilite, StatutHabilitation, StatutProfessionnel
from ceres.jurys.models import Habilitation, MembreJury
from ceres.referentiels.models import Commune, Pays, TitreProfessionnel, UniteDepartementale

OPERATION = "reprise de l'ancien système"

COLUMNS = [
    "id_jure",
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "code_commune_naissance",
    "code_pays_naissance",
    "adresse",
    "code_postal",
    "code_commune_residence",
    "email",
    "telephone",
    "profession",
    "employeur",
    "siret_employeur",
    "statut",
    "annees_experience",
    "code_departement_ud",
    "id_habilitation",
    "code_titre",
    "code_rncp",
    "date_debut",
    "date_fin",
    "fin_de_vie",
    "date_decision",
    "statut_habilitation",
    "motif_statut",
]
# File column → text field of MembreJury (lengths checked before the service, to name the column).
TEXT_COLUMNS = {
    "nom_naissance": "birth_name",
    "nom_usage": "usage_name",
    "prenoms": "first_names",
    "adresse": "address",
    "code_postal": "postal_code",
    "email": "email",
    "telephone": "phone",
    "profession": "profession",
    "employeur": "employer_name",
}
# A juror's identity, repeated on each of their lines: lines that disagree are not merged silently.
IDENTITY = ("nom_naissance", "prenoms", "date_naissance")
REQUIRED = ["id_jure", "nom_naissance", "prenoms", "date_naissance", "code_departement_ud", "date_debut"]

# Reason codes of the reconciliation report.
TITRE_INCONNU = "titre_inconnu"
COMMUNE_INCONNUE = "commune_inconnue"
DATES_INCOHERENTES = "dates_incoherentes"
DOUBLON_JURE = "doublon_jure"
UD_INCONNUE = "ud_inconnue"
LIGNE_INVALIDE = "ligne_invalide"
AUTRE_UD = "autre_ud"  # browser import of a UD agent only
REASON_LABELS = {
    TITRE_INCONNU: "titre inconnu",
    COMMUNE_INCONNUE: "commune inconnue",
    DATES_INCOHERENTES: "dates incohérentes",
    DOUBLON_JURE: "membre de jury en double",
    UD_INCONNUE: "unité départementale inconnue",
    LIGNE_INVALIDE: "ligne invalide",
    AUTRE_UD: "membre d'une autre unité départementale",
}

STATUTS = {fold_value: value for value, label in StatutProfessionnel.choices for fold_value in (value, label.lower())}
STATUTS_HABILITATION = {"": StatutHabilitation.ACTIVE, "active": StatutHabilitation.ACTIVE}
STATUTS_HABILITATION |= {"suspendue": StatutHabilitation.SUSPENDUE, "retiree": StatutHabilitation.RETIREE}
STATUTS_HABILITATION |= {"retirée": StatutHabilitation.RETIREE}
TRUE_VALUES = {"1", "oui", "o", "vrai", "true", "x"}


# Template of the file (browser import): (column, what it holds, required).
TEMPLATE_COLUMNS = [
    ("id_jure", "Identifiant du membre dans l'ancien système (clé de reprise).", True),
    ("civilite", "M ou MME.", True),
    ("nom_naissance", "Nom de naissance.", True),
    ("nom_usage", "Nom d'usage, s'il diffère.", False),
    ("prenoms", "Prénoms dans l'ordre de l'état civil, séparés par des espaces.", True),
    ("date_naissance", "JJ/MM/AAAA.", True),
    ("code_commune_naissance", "Code INSEE de la commune de naissance à la date de naissance (né en France).", False),
    ("code_pays_naissance", "Code INSEE du pays de naissance, 99xxx (né hors de France).", False),
    ("adresse", "Adresse.", False),
    ("code_postal", "Code postal.", False),
    ("code_commune_residence", "Code INSEE de la commune de résidence actuelle.", False),
    ("email", "Courriel.", False),
    ("telephone", "Téléphone.", False),
    ("profession", "Profession.", False),
    ("employeur", "Nom de l'employeur.", False),
    ("siret_employeur", "SIRET de l'employeur (14 chiffres).", False),
    ("statut", "salarie, employeur, independant ou retraite.", False),
    ("annees_experience", "Nombre entier.", False),
    ("code_departement_ud", "Département de l'unité départementale qui gère la fiche (69, 2A…).", True),
    ("id_habilitation", "Identifiant de l'habilitation dans l'ancien système (conseillé : clé de reprise).", False),
    ("code_titre", "Code du titre professionnel (colonne présente ; code titre ou RNCP rempli).", True),
    ("code_rncp", "Numéro RNCP de la version du titre.", False),
    ("date_debut", "Début de l'habilitation, JJ/MM/AAAA.", True),
    ("date_fin", "Fin de l'habilitation, vide si fin_de_vie.", False),
    ("fin_de_vie", "oui : habilitation jusqu'à la fin de vie du titre.", False),
    ("date_decision", "Date de la décision.", False),
    ("statut_habilitation", "active (défaut), suspendue ou retiree.", False),
    ("motif_statut", "Motif d'une suspension ou d'un retrait.", False),
]
assert [name for name, _, _ in TEMPLATE_COLUMNS] == COLUMNS

HORS_UD = "Membre de jury d'une autre unité départementale que la vôtre : reprise réservée à son UD."


class Rejected(Exception):
    def __init__(self, code: str, message: str, column: str = ""):
        super().__init__(message)
        self.code, self.message, self.column = code, message, column


@dataclass
class Rejet:
    line: int
    id_jure: str
    id_habilitation: str
    code: str
    message: str
    column: str = ""  # the file's column at fault, empty when the whole line is concerned

    @property
    def reason(self) -> str:
        return REASON_LABELS[self.code]


@dataclass
class ReportReprise:
    lines: int = 0
    jures_created: int = 0
    jures_updated: int = 0
    jures_unchanged: int = 0
    habilitations_created: int = 0
    habilitations_unchanged: int = 0
    jures_rejected: int = 0
    rejets: list[Rejet] = field(default_factory=list)
    outcome: list[tuple[int, str]] = field(default_factory=list)  # (line, fate) of every line read

    @property
    def changed(self) -> bool:
        return bool(self.jures_created or self.jures_updated or self.habilitations_created)

    def summary(self) -> list[str]:
        """One line per kind of object, in the format shared by every import (jurors have no line count: a
        juror spans several lines, and a rejected line is a habilitation not taken over)."""
        return [
            summary_line(
                "Habilitations",
                lines=self.lines,
                created=self.habilitations_created,
                updated=0,
                unchanged=self.habilitations_unchanged,
                rejected=len(self.rejets),
                feminine=True,
            ),
            summary_line(
                "Membres de jury",
                lines=None,
                created=self.jures_created,
                updated=self.jures_updated,
                unchanged=self.jures_unchanged,
                rejected=self.jures_rejected,
            ),
        ]

    def bilan(self) -> imports.Bilan:
        """The report as the browser import shows and keeps it (ceres.core.imports)."""
        return imports.Bilan(
            lines=self.lines,
            summary=" ".join(self.summary()),
            counts=[
                ("Lignes lues", self.lines),
                ("Habilitations créées", self.habilitations_created),
                ("Habilitations déjà reprises (inchangées)", self.habilitations_unchanged),
                ("Lignes rejetées (habilitations non reprises)", len(self.rejets)),
                ("Membres de jury créés", self.jures_created),
                ("Membres de jury modifiés", self.jures_updated),
                ("Membres de jury inchangés", self.jures_unchanged),
                ("Membres de jury rejetés", self.jures_rejected),
            ],
            report=[
                imports.Ligne(
                    r.line,
                    r.column,
                    " / ".join(p for p in (f"juré {r.id_jure}" if r.id_jure else "", r.id_habilitation) if p),
                    f"rejetée : {r.reason}",
                    r.message,
                )
                for r in self.rejets
            ],
            outcome=sorted(self.outcome),
        )

    def rejets_csv(self) -> str:
        return csv_text(
            ["ligne", "id_jure", "id_habilitation", "motif", "detail"],
            ([r.line, r.id_jure, r.id_habilitation, r.reason, r.message] for r in self.rejets),
        )


def parse_date(value: str, what: str, column: str = "") -> datetime.date | None:
    try:
        return fichiers.parse_date(value)
    except ValueError:
        raise Rejected(LIGNE_INVALIDE, f"{what} « {value.strip()} » illisible (attendu JJ/MM/AAAA).", column) from None


def read_rows(data: bytes | str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(rows as (line number as a spreadsheet shows it, {column: stripped value}), ragged lines with their reason).
    FileRefused (a ValueError) when the file cannot be read or lacks a required column."""
    if isinstance(data, bytes) and is_xlsx(data):
        header, values, ragged = read_xlsx_table(data)
    else:
        header, values, ragged = read_table(decode(data))
    header = [name.strip().lower() for name in header]
    missing = [c for c in REQUIRED + ["code_titre"] if c not in header]
    if missing:
        raise FileRefused(missing_columns_message(missing))
    rows = [(line, {k: v.strip() for k, v in zip(header, cells, strict=True) if k}) for line, cells in values]
    return rows, ragged


class Importer:
    def __init__(self, *, by=None, ud=None):
        """``by``: the user running it from the browser (journal), None for the command; ``ud``: the only UD whose
        jurors may be taken over (a UD agent), None for all."""
        self.by, self.ud = by, ud
        self.report = ReportReprise()
        self.titres_by_code: dict[str, list[TitreProfessionnel]] = {}
        self.ud_by_dep = {ud.departement.code: ud for ud in UniteDepartementale.objects.select_related("departement")}

    # Lookups -----------------------------------------------------------------------------------------------
    def titre(self, row) -> TitreProfessionnel:
        rncp, code = row.get("code_rncp", ""), row.get("code_titre", "")
        if rncp:
            titre = TitreProfessionnel.objects.filter(code_rncp=rncp).first()
            if titre:
                return titre
        if code:
            if code not in self.titres_by_code:
                self.titres_by_code[code] = list(
                    TitreProfessionnel.objects.filter(code_titre=code).order_by("start_date")
                )
            versions = self.titres_by_code[code]
            if versions:
                # The version in force at the habilitation's start, else the latest one.
                start = parse_date(row.get("date_debut"), "Date de début", "date_debut")
                valid = [
                    t
                    for t in versions
                    if (t.start_date is None or t.start_date <= start) and (t.end_date is None or start < t.end_date)
                ]
                return (valid or versions)[-1]
        given = [g for g in (f"code titre « {code} »" if code else "", f"RNCP « {rncp} »" if rncp else "") if g]
        if not given:
            raise Rejected(
                TITRE_INCONNU, "Ni code titre ni numéro RNCP : le titre de l'habilitation manque.", "code_titre"
            )
        column = "code_titre" if code else "code_rncp"
        raise Rejected(TITRE_INCONNU, f"Titre inconnu du référentiel : {' ni '.join(given)}.", column)

    def commune(self, code: str, day: datetime.date | None, what: str, column: str) -> Commune | None:
        if not code:
            return None
        qs = Commune.objects.filter(code_insee=code)
        if not qs.exists():
            raise Rejected(COMMUNE_INCONNUE, f"{what} : code INSEE « {code} » inconnu.", column)
        rows = sorted(qs.valid_on(day) if day else qs.current(), key=lambda c: c.kind != Commune.Kind.COMMUNE)
        if not rows:
            raise Rejected(
                COMMUNE_INCONNUE,
                f"{what} : aucune commune de code « {code} » n'existait le {fr_date(day)}."
                if day
                else f"{what} : le code « {code} » ne désigne plus une commune actuelle.",
                column,
            )
        return rows[0]

    def pays(self, code: str, day: datetime.date | None) -> Pays | None:
        if not code:
            return None
        qs = Pays.objects.filter(code=code)
        latest = qs.order_by("-start_date").first()
        if latest is None:
            raise Rejected(
                COMMUNE_INCONNUE, f"Pays de naissance : code INSEE « {code} » inconnu.", "code_pays_naissance"
            )
        row = qs.valid_on(day).first() if day else latest
        if row is None:
            raise Rejected(
                COMMUNE_INCONNUE,
                f"Pays de naissance : le code INSEE « {code} » ({latest.name}) ne désignait aucun pays le "
                f"{fr_date(day)}.",
                "code_pays_naissance",
            )
        return row

    # Rows --------------------------------------------------------------------------------------------------
    def membre_fields(self, row) -> dict:
        birth_date = parse_date(row["date_naissance"], "Date de naissance", "date_naissance")
        civility = Civilite.read(row.get("civilite", ""))
        if civility is None:
            raise Rejected(LIGNE_INVALIDE, f"Civilité « {row.get('civilite', '')} » inconnue (M ou MME).", "civilite")
        status = row.get("statut", "").lower()
        if status and status not in STATUTS:
            raise Rejected(LIGNE_INVALIDE, f"Statut professionnel « {row['statut']} » inconnu.", "statut")
        years = row.get("annees_experience", "")
        if years and not (years.isascii() and years.isdigit()):
            raise Rejected(LIGNE_INVALIDE, f"Années d'expérience « {years} » illisibles.", "annees_experience")
        # The service's message does not name the field: say which column of the file is too long.
        for column, name in TEXT_COLUMNS.items():
            limit = MembreJury._meta.get_field(name).max_length
            if limit and len(row.get(column, "")) > limit:
                raise Rejected(
                    LIGNE_INVALIDE,
                    f"Colonne {column} : {len(row[column])} caractères, au plus {limit} sont acceptés.",
                    column,
                )
        return {
            "civility": civility,
            "birth_name": row["nom_naissance"],
            "usage_name": row.get("nom_usage", ""),
            "first_names": row["prenoms"],
            "birth_date": birth_date,
            "birth_commune": self.commune(
                row.get("code_commune_naissance", ""), birth_date, "Commune de naissance", "code_commune_naissance"
            ),
            "birth_country": self.pays(row.get("code_pays_naissance", ""), birth_date),
            "address": row.get("adresse", ""),
            "postal_code": row.get("code_postal", ""),
            "commune": self.commune(
                row.get("code_commune_residence", ""), None, "Commune de résidence", "code_commune_residence"
            ),
            "email": row.get("email", ""),
            "phone": row.get("telephone", ""),
            "profession": row.get("profession", ""),
            "employer_name": row.get("employeur", ""),
            "employer_siret": row.get("siret_employeur", "").replace(" ", ""),
            "status": STATUTS.get(status, ""),
            "years_experience": int(years) if years else None,
        }

    def membre(self, row) -> MembreJury:
        ud = self.ud_by_dep.get(row["code_departement_ud"].zfill(2))
        if ud is None:
            raise Rejected(
                UD_INCONNUE,
                f"Aucune unité départementale pour le département « {row['code_departement_ud']} ».",
                "code_departement_ud",
            )
        if self.ud is not None and ud.pk != self.ud.pk:
            raise Rejected(AUTRE_UD, HORS_UD, "code_departement_ud")
        fields = self.membre_fields(row)
        existing = MembreJury.objects.filter(former_id=row["id_jure"]).first()
        if existing is not None:
            changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            if self.ud is not None and existing.ud_id != self.ud.pk:
                raise Rejected(AUTRE_UD, HORS_UD, "code_departement_ud")
            if not changed:
                self.report.jures_unchanged += 1
                self.fate = "membre inchangé"
                return existing
            try:
                membre = services.membre_update(membre=existing, by=self.by, operation=OPERATION, **changed)
            except ValidationError as exc:
                raise Rejected(LIGNE_INVALIDE, validation_reason(exc, MembreJury)) from exc
            self.report.jures_updated += 1
            self.fate = "membre modifié"
            return membre
        try:
            membre = services.membre_create(ud=ud, by=self.by, former_id=row["id_jure"], operation=OPERATION, **fields)
        except services.DuplicateMembre as exc:
            other = exc.duplicates[0].membre
            ident = f" (ancien identifiant {other.former_id})" if other.former_id else ""
            raise Rejected(
                DOUBLON_JURE,
                f"Même personne que {other}{ident}, déjà dans CERES ({exc.duplicates[0].match.level} : "
                f"{', '.join(exc.duplicates[0].match.reasons)}).",
            ) from exc
        except ValidationError as exc:
            code = COMMUNE_INCONNUE if "commune" in " ".join(exc.messages).lower() else LIGNE_INVALIDE
            raise Rejected(code, validation_reason(exc, MembreJury)) from exc
        self.report.jures_created += 1
        self.fate = "membre créé"
        return membre

    def habilitation(self, row, membre: MembreJury) -> str:
        """Take over the line's habilitation; its fate."""
        former_id = row.get("id_habilitation") or f"{row['id_jure']}:{row.get('code_titre')}:{row['date_debut']}"
        if Habilitation.objects.filter(former_id=former_id).exists():
            self.report.habilitations_unchanged += 1
            return "habilitation déjà reprise"
        titre = self.titre(row)
        start = parse_date(row["date_debut"], "Date de début", "date_debut")
        end = parse_date(row.get("date_fin", ""), "Date de fin", "date_fin")
        until_end_of_life = row.get("fin_de_vie", "").lower() in TRUE_VALUES
        decision = parse_date(row.get("date_decision", ""), "Date de décision", "date_decision")
        status = STATUTS_HABILITATION.get(row.get("statut_habilitation", "").lower())
        if status is None:
            raise Rejected(
                LIGNE_INVALIDE,
                f"Statut d'habilitation « {row['statut_habilitation']} » inconnu.",
                "statut_habilitation",
            )
        errors = rules.habilitation_dates_errors(
            start_date=start,
            end_date=end,
            until_end_of_life=until_end_of_life,
            titre_start=titre.start_date,
            titre_end_of_life=titre.end_date,
            decision_date=decision,
        )
        if errors:
            raise Rejected(DATES_INCOHERENTES, " ".join(errors))
        try:
            habilitation = services.habilitation_create(
                membre=membre,
                titre=titre,
                start_date=start,
                end_date=end,
                until_end_of_life=until_end_of_life,
                ud=membre.ud,
                decision_date=decision,
                by=self.by,
                former_id=former_id,
                operation=OPERATION,
            )
            if status != StatutHabilitation.ACTIVE:
                services.habilitation_set_status(
                    habilitation=habilitation,
                    status=status,
                    reason=row.get("motif_statut") or "Statut repris de l'ancien système.",
                    by=self.by,
                )
        except ValidationError as exc:
            raise Rejected(DATES_INCOHERENTES, validation_reason(exc, Habilitation)) from exc
        self.report.habilitations_created += 1
        return "habilitation créée"

    def run(self, rows: list[tuple[int, dict]], ragged: list[tuple[int, str]] = (), progress=None) -> ReportReprise:
        """``progress(done, total)`` is called before each line (the browser import shows it)."""
        rejected_jures: dict[str, Rejected] = {}
        seen: dict[str, MembreJury] = {}
        habilitation_lines: dict[str, int] = {}
        jure_lines: dict[str, tuple[int, tuple]] = {}
        for number, reason in ragged:
            self.report.lines += 1
            self.report.rejets.append(Rejet(number, "", "", LIGNE_INVALIDE, reason))
            self.report.outcome.append((number, f"rejetée : {REASON_LABELS[LIGNE_INVALIDE]}"))
        total = len(rows)
        for done, (number, row) in enumerate(rows):
            if progress is not None:
                progress(done, total)
            self.report.lines += 1
            self.fate = ""
            id_jure = row.get("id_jure", "")
            try:
                missing = [c for c in REQUIRED if not row.get(c)]
                if missing:
                    raise Rejected(LIGNE_INVALIDE, f"Valeurs manquantes : {', '.join(missing)}.", missing[0])
                id_habilitation = row.get("id_habilitation", "")
                if id_habilitation in habilitation_lines:
                    raise Rejected(
                        LIGNE_INVALIDE,
                        f"L'habilitation {id_habilitation} figure déjà ligne {habilitation_lines[id_habilitation]}.",
                        "id_habilitation",
                    )
                if id_habilitation:
                    habilitation_lines[id_habilitation] = number
                identity = tuple(row.get(c, "").upper() for c in IDENTITY)
                first_line, first_identity = jure_lines.setdefault(id_jure, (number, identity))
                if identity != first_identity:
                    raise Rejected(
                        LIGNE_INVALIDE,
                        f"Le juré {id_jure} figure ligne {first_line} avec une autre identité "
                        "(nom, prénoms ou date de naissance) : ligne non reprise.",
                    )
                if id_jure in rejected_jures:
                    raise rejected_jures[id_jure]
                membre = seen.get(id_jure)
                if membre is None:
                    try:
                        # Savepoint: a failing juror leaves no partial write behind.
                        with transaction.atomic():
                            membre = seen[id_jure] = self.membre(row)
                    except Rejected as exc:
                        rejected_jures[id_jure] = exc
                        self.report.jures_rejected += 1
                        raise
                with transaction.atomic():
                    fate = self.habilitation(row, membre)
                self.report.outcome.append((number, ", ".join(f for f in (self.fate, fate) if f)))
            except Rejected as exc:
                self.report.rejets.append(
                    Rejet(number, id_jure, row.get("id_habilitation", ""), exc.code, exc.message, exc.column)
                )
                # A juror taken over stays so when their habilitation is rejected: both are part of the fate.
                rejected = f"rejetée : {REASON_LABELS[exc.code]}"
                self.report.outcome.append((number, ", ".join(f for f in (self.fate, rejected) if f)))
        if progress is not None:
            progress(total, total)
        return self.report


@transaction.atomic
def import_reprise(data: bytes | str, *, by=None, ud=None, progress=None) -> ReportReprise:
    """Run the import in one transaction (an unforeseen failure leaves nothing behind; the command also rolls
    back unless --wet-run). FileRefused when the whole file is refused: nothing is read."""
    rows, ragged = read_rows(data)
    report = Importer(by=by, ud=ud).run(rows, ragged, progress=progress)
    report.rejets.sort(key=lambda r: r.line)
    return report


class _DryRun(Exception):
    pass


def import_reprise_bilan(data: bytes, *, by, ud, wet_run: bool, progress) -> imports.Bilan:
    """The importer of the browser import (ceres.core.imports.execute): rolled back unless wet_run."""
    try:
        with transaction.atomic():
            bilan = import_reprise(data, by=by, ud=ud, progress=progress).bilan()
            if not wet_run:
                raise _DryRun
    except _DryRun:
        pass
    except FileRefused as exc:
        return imports.Bilan(file_errors=[str(exc)])
    return bilan
