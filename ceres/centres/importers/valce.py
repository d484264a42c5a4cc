"""VALCE import: agréments exported from the former VALCE application (format: docs/imports/valce.md).

Idempotent on the VALCE id. Every line is either written (created / updated), found unchanged, ignored as an exact
duplicate, or rejected with its line number and a French reason; one bad line never stops the others.
Built for volume: référentiel lookups and existing rows are cached, new agréments and their journal entries are
written with bulk_create in chunks (bench/valce_import.py measures it against a row-by-row baseline).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ceres.centres import rules
from ceres.centres.enums import DecisionAgrement, StatutAgrement, TypeCentre
from ceres.centres.models import Agrement, Centre, ImportValce, Site, address_key
from ceres.core import fichiers, imports, locks
from ceres.core.fichiers import (
    read_columns,
    summary_line,
    validation_reason,
)
from ceres.core.journal import journal_record, snapshot
from ceres.core.models import JournalEntry
from ceres.core.text import fold, search_key
from ceres.core.validators import siret_errors
from ceres.referentiels.models import Ccs, Commune, Departement, TitreProfessionnel

CHUNK = 1000

# Canonical column → accepted header spellings (compared folded, spaces/underscores ignored).
COLUMNS = {
    "id_valce": ("id_valce", "identifiant valce", "id valce", "numero agrement", "id"),
    "siret": ("siret", "siret centre"),
    "raison_sociale": ("raison_sociale", "raison sociale", "nom centre", "centre"),
    "type_centre": ("type_centre", "type centre", "type"),
    "departement_centre": ("departement_centre", "departement centre", "departement"),
    "site_nom": ("site_nom", "nom site", "site"),
    "site_adresse": ("site_adresse", "adresse site", "adresse"),
    "site_code_postal": ("site_code_postal", "code postal site", "code postal", "cp"),
    "site_commune_insee": ("site_commune_insee", "code insee commune", "code insee", "insee"),
    "site_commune": ("site_commune", "commune site", "commune"),
    "titre": ("titre", "code titre", "rncp", "code rncp", "titre rncp"),
    "ccs": ("ccs", "code ccs"),
    "date_debut": ("date_debut", "date debut", "debut"),
    "date_fin": ("date_fin", "date fin", "fin"),
    "decision": ("decision", "libelle decision", "statut"),
    "date_decision": ("date_decision", "date decision"),
    "motif": ("motif", "motif decision"),
}
JOURNAL_FIELDS = [
    "public_id",
    "centre",
    "site",
    "titre",
    "ccs",
    "start_date",
    "end_date",
    "decision",
    "decision_date",
    "decision_reason",
    "valce_id",
]
FK_FIELDS = ["centre", "site", "titre", "ccs", "decision_by"]
REQUIRED = ("id_valce", "siret", "raison_sociale", "site_adresse", "titre", "date_debut", "date_fin", "decision")

# Decision labels seen in VALCE, folded (lowercase, no accents, single spaces). Explicit on purpose (R5).
DECISIONS = {
    "acceptee": DecisionAgrement.ACCEPTEE,
    "accepte": DecisionAgrement.ACCEPTEE,
    "accordee": DecisionAgrement.ACCEPTEE,
    "accorde": DecisionAgrement.ACCEPTEE,
    "agree": DecisionAgrement.ACCEPTEE,
    "agreee": DecisionAgrement.ACCEPTEE,
    "en instruction": DecisionAgrement.EN_INSTRUCTION,
    "en cours": DecisionAgrement.EN_INSTRUCTION,
    "en cours d instruction": DecisionAgrement.EN_INSTRUCTION,
    "en construction": DecisionAgrement.EN_INSTRUCTION,
    "deposee": DecisionAgrement.EN_INSTRUCTION,
    "refusee": DecisionAgrement.REFUSEE,
    "refuse": DecisionAgrement.REFUSEE,
    "rejetee": DecisionAgrement.REFUSEE,
    "classee sans suite": DecisionAgrement.CLASSEE_SANS_SUITE,
    "classe sans suite": DecisionAgrement.CLASSEE_SANS_SUITE,
    "sans suite": DecisionAgrement.CLASSEE_SANS_SUITE,
    "retiree": DecisionAgrement.RETIREE,
    "retire": DecisionAgrement.RETIREE,
    "retrait": DecisionAgrement.RETIREE,
}

TYPES = {
    "": TypeCentre.AUTRE,
    "organisme prive": TypeCentre.ORGANISME_PRIVE,
    "organisme de formation": TypeCentre.ORGANISME_PRIVE,
    "of": TypeCentre.ORGANISME_PRIVE,
    "prive": TypeCentre.ORGANISME_PRIVE,
    "afpa": TypeCentre.AFPA,
    "greta": TypeCentre.GRETA,
    "cfa": TypeCentre.CFA,
    "crp": TypeCentre.CRP,
    "esrp": TypeCentre.CRP,
    "crp esrp": TypeCentre.CRP,
    "autre": TypeCentre.AUTRE,
}


def map_decision(label: str) -> str | None:
    return DECISIONS.get(fold(label))


def map_type(label: str) -> str | None:
    return TYPES.get(fold(label))


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y")


def parse_date(value: str) -> datetime.date | None:
    """None when empty or unreadable: the line is then refused for its missing date."""
    try:
        return fichiers.parse_date(value, DATE_FORMATS)
    except ValueError:
        return None


def normalise_titre_code(value: str) -> tuple[str, str]:
    """('rncp', 'RNCP37098') or ('tp', 'TP-01234') from what users type ('37098', 'rncp 37098', 'TP01234')."""
    raw = (value or "").strip().upper().replace(" ", "")
    if raw.startswith("TP"):
        digits = raw[2:].lstrip("-")
        return "tp", f"TP-{digits}"
    if raw.startswith("RNCP"):
        raw = raw[4:]
    return "rncp", f"RNCP{raw}"


@dataclass
class Ligne:
    line: int
    valce_id: str
    reason: str

    def as_dict(self):
        return {"ligne": self.line, "id_valce": self.valce_id, "motif": self.reason}


@dataclass
class ImportReport:
    wet_run: bool = False
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    centres_created: int = 0
    sites_created: int = 0
    rejected: list[Ligne] = field(default_factory=list)
    duplicates: list[Ligne] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    outcome: list[tuple[int, str]] = field(default_factory=list)  # (line, fate) of every line read

    @staticmethod
    def _n(count: int, singular: str, plural: str) -> str:
        return f"{count} {singular if count <= 1 else plural}"

    def summary(self) -> str:
        if self.file_errors:
            return "Fichier refusé : " + " ".join(self.file_errors)
        line = summary_line(
            "Agréments",
            lines=self.lines,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=len(self.rejected),
            extra=(self._n(len(self.duplicates), "doublon ignoré", "doublons ignorés"),),
        )
        extra = (
            f" Centres créés : {self.centres_created}, sites créés : {self.sites_created}."
            if (self.centres_created or self.sites_created)
            else ""
        )
        return line + extra

    def as_dict(self) -> dict:
        return {
            "lignes": self.lines,
            "crees": self.created,
            "modifies": self.updated,
            "inchanges": self.unchanged,
            "centres_crees": self.centres_created,
            "sites_crees": self.sites_created,
            "rejets": [r.as_dict() for r in self.rejected],
            "doublons": [r.as_dict() for r in self.duplicates],
            "erreurs_fichier": self.file_errors,
        }

    def bilan(self) -> imports.Bilan:
        """The report as the browser import shows and keeps it (ceres.core.imports)."""

        def lignes(items, result):
            return [imports.Ligne(i.line, "", i.valce_id, result, i.reason) for i in items]

        return imports.Bilan(
            lines=self.lines,
            summary=self.summary(),
            counts=[
                ("Lignes lues", self.lines),
                ("Agréments créés", self.created),
                ("Agréments modifiés", self.updated),
                ("Agréments inchangés", self.unchanged),
                ("Centres créés", self.centres_created),
                ("Sites créés", self.sites_created),
                ("Doublons ignorés", len(self.duplicates)),
                ("Lignes rejetées", len(self.rejected)),
            ],
            report=sorted(lignes(self.rejected, REJETE) + lignes(self.duplicates, IGNORE), key=lambda item: item.line),
            outcome=sorted(self.outcome),
            file_errors=list(self.file_errors),
        )


# What happens to a line (the fates compared between the check and the application of a browser import).
CREE, MODIFIE, INCHANGE, IGNORE, REJETE = "créé", "modifié", "inchangé", "doublon ignoré", "rejeté"


class Reject(Exception):
    pass


def read_csv(data: bytes | str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(file errors, rows as (line number as in a spreadsheet, row with canonical keys))."""
    errors, rows, _ragged = read_file(data)
    return errors, rows


def read_file(data: bytes | str) -> tuple[list[str], list[tuple[int, dict]], list[tuple[int, str]]]:
    """read_csv, plus the lines whose column count differs from the header's, with their French reason."""
    # Values kept as in the file: the raw VALCE row is stored with each agrément.
    return read_columns(data, COLUMNS, REQUIRED, strip=False)


class ValceImporter:
    def __init__(self, *, by=None, region=None, filename: str = "", today: datetime.date | None = None):
        self.by = by
        self.region = region  # a DREETS agent only imports lines of their region
        self.filename = filename
        self.today = today or timezone.localdate()
        self.report = ImportReport()
        self._titres: dict[tuple[str, str], list[TitreProfessionnel]] = {}
        self._ccs: dict[tuple[int, str], Ccs | None] = {}
        self._communes: dict[str, Commune | None] = {}
        self._communes_by_name: dict[tuple[str, str], list[Commune]] = {}
        self._departements: dict[str, Departement | None] = {}
        self._centres: dict[str, Centre] = {}
        self._sites: dict[int, dict[tuple[str, int], Site]] = {}
        self._seen: dict[str, tuple[int, dict]] = {}
        self._progress = None  # progress(done, total) of a browser import
        self._done = self._total = 0
        self._actor_label = (getattr(by, "email", "") or "système") if by is not None else "système"

    # ---- référentiel lookups (cached) ----
    def titre(self, value: str, start_date: datetime.date) -> TitreProfessionnel:
        kind, code = normalise_titre_code(value)
        key = (kind, code)
        if key not in self._titres:
            qs = TitreProfessionnel.objects.filter(code_rncp=code) if kind == "rncp" else None
            if kind == "tp":
                qs = TitreProfessionnel.objects.filter(code_titre=code)
            self._titres[key] = list(qs.order_by("-start_date"))
        versions = self._titres[key]
        if not versions:
            raise Reject(f"Titre inconnu du référentiel : « {value.strip()} ».")
        # A code titre has several versions: take the one in force at the agrément's start.
        for titre in versions:
            if (titre.start_date is None or titre.start_date <= start_date) and (
                titre.end_date is None or start_date < titre.end_date
            ):
                return titre
        return versions[0]

    def ccs(self, titre: TitreProfessionnel, value: str) -> Ccs | None:
        value = (value or "").strip()
        if not value:
            return None
        key = (titre.pk, fold(value))
        if key not in self._ccs:
            self._ccs[key] = (
                Ccs.objects.filter(titre=titre).filter(Q(code__iexact=value) | Q(intitule__iexact=value)).first()
            )
        if self._ccs[key] is None:
            raise Reject(f"CCS inconnu pour le titre {titre} : « {value} ».")
        return self._ccs[key]

    def commune(self, insee: str, name: str, postal_code: str) -> Commune:
        insee = (insee or "").strip().upper()
        if insee:
            if insee not in self._communes:
                # Current communes, communes déléguées/associées and arrondissements all have no end date.
                self._communes[insee] = Commune.objects.current().filter(code_insee=insee).order_by("kind").first()
            if self._communes[insee] is None:
                raise Reject(f"Commune inconnue ou qui n'existe plus : code INSEE « {insee} ».")
            return self._communes[insee]
        if not (name or "").strip():
            raise Reject("La commune du site est manquante (code INSEE ou nom).")
        dep = (postal_code or "").strip()[:2]
        key = (fold(name), dep)
        if key not in self._communes_by_name:
            qs = Commune.objects.current().filter(name_key=search_key(name))
            if dep:
                # Postcodes of Corsica (20) and overseas (97) do not give the INSEE département code directly.
                qs = qs.filter(departement_code__startswith=dep if dep not in ("20", "97") else dep[:1])
            self._communes_by_name[key] = list(qs[:2])
        found = self._communes_by_name[key]
        if len(found) != 1:
            what = "inconnue" if not found else "ambiguë (précisez le code INSEE)"
            raise Reject(f"Commune {what} : « {name.strip()} » {postal_code.strip()}.")
        return found[0]

    def departement(self, code: str) -> Departement | None:
        code = (code or "").strip().upper()
        if len(code) == 1:
            code = "0" + code
        if code not in self._departements:
            self._departements[code] = Departement.objects.select_related("region").filter(code=code).first()
        return self._departements[code]

    # ---- centres and sites (created as needed) ----
    def prefetch(self, rows: list[tuple[int, dict]]):
        sirets = {r["siret"].replace(" ", "") for _, r in rows} - set(self._centres)
        for centre in Centre.objects.filter(siret__in=sirets).select_related("departement__region"):
            self._centres[centre.siret] = centre
        codes = {r["site_commune_insee"].strip().upper() for _, r in rows} - set(self._communes) - {""}
        if codes:
            for code in codes:
                self._communes[code] = None
            # Current communes, communes déléguées/associées and arrondissements all have no end date;
            # when a code has several current rows, the commune (COM) wins over its delegated namesake.
            rows_found = Commune.objects.current().filter(code_insee__in=codes).order_by("code_insee", "-kind")
            for commune in rows_found:
                self._communes[commune.code_insee] = commune
        # Sites of the chunk's centres in one query (no ordering: it would join the centre table).
        centre_ids = {c.pk for siret in sirets if (c := self._centres.get(siret)) is not None} - set(self._sites)
        for centre_id in centre_ids:
            self._sites[centre_id] = {}
        for site in Site.objects.filter(centre_id__in=centre_ids).order_by():
            self._sites[site.centre_id][(site.address_key, site.commune_id)] = site
        ids = {r["id_valce"].strip() for _, r in rows}
        # Locked: a concurrent import of the same agréments waits instead of overwriting this one's changes.
        return {a.valce_id: a for a in Agrement.objects.select_for_update().filter(valce_id__in=ids)}

    def centre(self, row: dict, siret: str, commune: Commune) -> Centre:
        """The existing centre (by SIRET), or a new one, validated but not saved yet."""
        centre = self._centres.get(siret)
        if centre is None:
            type_centre = map_type(row["type_centre"])
            if type_centre is None:
                raise Reject(f"Type de centre inconnu : « {row['type_centre'].strip()} ».")
            dep = self.departement(row["departement_centre"] or commune.departement_code)
            if dep is None:
                code = row["departement_centre"].strip() or commune.departement_code
                raise Reject(f"Département du centre introuvable (code « {code} »).")
            self._check_region(dep)
            centre = Centre(
                name=row["raison_sociale"].strip(),
                siret=siret,
                type=type_centre,
                departement=dep,
                address=row["site_adresse"].strip(),
                postal_code=row["site_code_postal"].strip()[:5],
                commune=commune,
            )
            try:
                centre.full_clean(exclude=["departement", "commune"], validate_unique=False)
            except ValidationError as exc:
                raise Reject(validation_reason(exc, Centre)) from exc
        else:
            self._check_region(centre.departement)
        return centre

    def _check_region(self, departement: Departement):
        if self.region is not None and departement.region_id != self.region.pk:
            raise Reject(f"Le centre est hors de votre région ({departement}) : seule sa DREETS peut l'importer.")

    def site(self, centre: Centre, row: dict, commune: Commune) -> Site:
        """The existing site, or a new one, validated but not saved yet (saved once the whole line is valid)."""
        if centre.pk is None:
            sites = {}
        elif centre.pk not in self._sites:
            sites = self._sites[centre.pk] = {
                (s.address_key, s.commune_id): s for s in Site.objects.filter(centre=centre).order_by()
            }
        else:
            sites = self._sites[centre.pk]
        address, postal_code = row["site_adresse"].strip(), row["site_code_postal"].strip()[:5]
        site = sites.get((address_key(address, postal_code), commune.pk))
        if site is None:
            site = Site(
                centre=centre,
                name=(row["site_nom"].strip() or centre.name)[:255],
                address=address,
                postal_code=postal_code,
                commune=commune,
            )
            try:
                site.full_clean(exclude=["centre", "commune"], validate_unique=False)
            except ValidationError as exc:
                raise Reject(validation_reason(exc, Site)) from exc
        return site

    def _save_new(self, centre: Centre, site: Site):
        if centre.pk is None:
            centre.save()
            self._journal_now(centre, snapshot(centre))
            self._centres[centre.siret] = centre
            self._sites[centre.pk] = {}
            self.report.centres_created += 1
        if site.pk is None:
            site.centre = centre
            site.save()
            self._journal_now(site, snapshot(site))
            self._sites[centre.pk][(site.address_key, site.commune_id)] = site
            self.report.sites_created += 1

    def _journal_entry(self, obj, action, changes) -> JournalEntry:
        return JournalEntry(
            actor=self.by if getattr(self.by, "pk", None) else None,
            actor_label=self._actor_label,
            action=action,
            operation="import_valce",
            object_type=obj._meta.label_lower,
            object_id=str(obj.public_id),
            object_repr=str(obj)[:255],
            changes=changes,
        )

    def _journal_now(self, obj, changes):
        self._journal_entry(obj, JournalEntry.Action.CREATE, changes).save()

    # ---- one line ----
    def build(self, line: int, row: dict, existing: dict[str, Agrement]) -> tuple[str, Agrement | None, dict]:
        """('create'|'update'|'unchanged', agrément, changes). Raises Reject with the reason."""
        valce_id = row["id_valce"].strip()
        if not valce_id:
            raise Reject("Identifiant VALCE manquant.")
        siret = row["siret"].replace(" ", "").strip()
        errors = siret_errors(siret)
        if errors:
            raise Reject(f"SIRET « {row['siret'].strip()} » : {errors[0]}")
        if not row["raison_sociale"].strip():
            raise Reject("Raison sociale du centre manquante.")
        decision = map_decision(row["decision"])
        if decision is None:
            raise Reject(f"Libellé de décision inconnu : « {row['decision'].strip()} ».")
        start, end = parse_date(row["date_debut"]), parse_date(row["date_fin"])
        if start is None:
            raise Reject(f"Date de début illisible : « {row['date_debut'].strip()} » (attendu JJ/MM/AAAA).")
        if end is None:
            raise Reject(f"Date de fin illisible : « {row['date_fin'].strip()} » (attendu JJ/MM/AAAA).")
        decision_date = None
        if row["date_decision"].strip():
            decision_date = parse_date(row["date_decision"])
            if decision_date is None:
                raise Reject(f"Date de décision illisible : « {row['date_decision'].strip()} ».")
        if end < start:
            raise Reject(rules.period_errors(start_date=start, end_date=end, titre_end_date=None)[0])
        if not row["site_adresse"].strip():
            raise Reject("Adresse du site manquante.")
        titre = self.titre(row["titre"], start)
        ccs = self.ccs(titre, row["ccs"])
        period = rules.period_errors(start_date=start, end_date=end, titre_end_date=titre.end_date)
        if period:
            raise Reject(period[0])
        commune = self.commune(row["site_commune_insee"], row["site_commune"], row["site_code_postal"])
        centre = self.centre(row, siret, commune)
        site = self.site(centre, row, commune)
        if ccs is not None and decision == DecisionAgrement.ACCEPTEE:
            parents = (
                Agrement.objects.filter(centre=centre, site=site, titre=titre, ccs__isnull=True) if site.pk else []
            )
            parent_errors = rules.ccs_errors(is_ccs=True, parent_statuses=[p.status_on(self.today) for p in parents])
            if parent_errors:
                raise Reject(parent_errors[0])
        values = {
            "centre": centre,
            "site": site,
            "titre": titre,
            "ccs": ccs,
            "start_date": start,
            "end_date": end,
            "decision": decision,
            "decision_date": decision_date,
            "decision_reason": row["motif"].strip(),
            "valce_raw": row,
        }
        agrement = existing.get(valce_id)
        if agrement is None:
            agrement = Agrement(valce_id=valce_id, **values)
            outcome, changes = "create", {}
        else:
            before = snapshot(agrement)
            for name, value in values.items():
                setattr(agrement, name, value)
            after = snapshot(agrement)
            changes = {k: {"avant": before.get(k), "après": v} for k, v in after.items() if before.get(k) != v}
            if not changes:
                return "unchanged", agrement, {}
            outcome = "update"
        # Foreign keys come from the caches above: skip their one-query-per-field existence checks.
        agrement.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)
        self._save_new(centre, site)
        agrement.centre, agrement.site = centre, site
        return outcome, agrement, changes

    # ---- the whole file ----
    def run(
        self, rows: Iterable[tuple[int, dict]], ragged: Iterable[tuple[int, str]] = (), progress=None
    ) -> ImportReport:
        rows = list(rows)
        self.report.rejected.extend(Ligne(line, "", reason) for line, reason in ragged)
        self.report.outcome.extend((r.line, REJETE) for r in self.report.rejected)
        self.report.lines = len(rows) + len(self.report.rejected)
        self._progress, self._done, self._total = progress, 0, len(rows)
        # CCS lines in a second pass, once title agréments are written: a CCS agrément needs its parent's (§3.1).
        titre_rows = [item for item in rows if not item[1]["ccs"].strip()]
        ccs_rows = [item for item in rows if item[1]["ccs"].strip()]
        for part in (titre_rows, ccs_rows):
            for start in range(0, len(part), CHUNK):
                self._run_chunk(part[start : start + CHUNK])
        self.report.rejected.sort(key=lambda r: r.line)
        self.report.duplicates.sort(key=lambda r: r.line)
        self.report.outcome.sort()
        if progress is not None:
            progress(self._total, self._total)
        return self.report

    def _run_chunk(self, chunk: list[tuple[int, dict]]):
        existing = self.prefetch(chunk)
        to_create: list[Agrement] = []
        journal: list[JournalEntry] = []
        for line, row in chunk:
            if self._progress is not None:
                self._progress(self._done, self._total)
            self._done += 1
            self.report.outcome.append((line, self._line(line, row, existing, to_create, journal)))
        Agrement.objects.bulk_create(to_create)
        # The raw VALCE row is kept on the agrément itself: the journal keeps the business fields.
        journal.extend(
            self._journal_entry(a, JournalEntry.Action.CREATE, snapshot(a, JOURNAL_FIELDS)) for a in to_create
        )
        JournalEntry.objects.bulk_create(journal)

    def _line(self, line: int, row: dict, existing, to_create: list, journal: list) -> str:
        """One line of the chunk; returns its fate (compared between the check and the application)."""
        valce_id = row["id_valce"].strip()
        if valce_id and valce_id in self._seen:
            first_line, first_row = self._seen[valce_id]
            if first_row == row:
                self.report.duplicates.append(
                    Ligne(line, valce_id, f"Ligne identique à la ligne {first_line} : ignorée.")
                )
                return IGNORE
            self.report.rejected.append(
                Ligne(
                    line,
                    valce_id,
                    f"L'identifiant VALCE {valce_id} figure déjà ligne {first_line} avec d'autres valeurs.",
                )
            )
            return REJETE
        try:
            # New centres and sites are only saved once the whole line is valid: no savepoint needed.
            outcome, agrement, changes = self.build(line, row, existing)
        except Reject as exc:
            self.report.rejected.append(Ligne(line, valce_id, str(exc)))
            return REJETE
        except ValidationError as exc:  # from full_clean: reject the line, keep going
            self.report.rejected.append(Ligne(line, valce_id, validation_reason(exc, Agrement)))
            return REJETE
        self._seen[valce_id] = (line, row)
        if outcome == "create":
            to_create.append(agrement)
            self.report.created += 1
            return CREE
        if outcome == "update":
            agrement.save()
            journal.append(self._journal_entry(agrement, JournalEntry.Action.UPDATE, changes))
            self.report.updated += 1
            return MODIFIE
        self.report.unchanged += 1
        return INCHANGE

    def record(self) -> ImportValce:
        """Keep the report and write the summary journal entry."""
        report = self.report
        record = ImportValce.objects.create(
            filename=self.filename[:255],
            imported_by=self.by if getattr(self.by, "pk", None) else None,
            lines=report.lines,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejected),
            report=report.as_dict(),
        )
        journal_record(
            action=JournalEntry.Action.OTHER,
            obj=record,
            by=self.by,
            operation="import_valce",
            changes={k: v for k, v in report.as_dict().items() if not isinstance(v, list)},
            reason=report.summary(),
        )
        return record


def import_valce(data: bytes | str, *, by=None, region=None, filename: str = "", wet_run: bool = False, progress=None):
    """Run the import in one transaction, rolled back unless wet_run. Returns (report, ImportValce | None).
    ``progress(done, total)`` is called after each line (the browser import shows it)."""
    errors, rows, ragged = read_file(data)
    report = ImportReport(wet_run=wet_run, file_errors=errors)
    if errors:
        return report, None
    record = None
    try:
        with locks.exclusive("import:valce"), transaction.atomic():
            importer = ValceImporter(by=by, region=region, filename=filename)
            report = importer.run(rows, ragged=ragged, progress=progress)
            report.wet_run = wet_run
            record = importer.record()
            if not wet_run:
                raise _DryRun
    except _DryRun:
        record = None
    except locks.AlreadyRunning as exc:
        report, record = ImportReport(wet_run=wet_run, file_errors=[exc.message]), None
    except IntegrityError:
        # Another import created the same agrément (same VALCE id) meanwhile: everything is rolled back.
        report = ImportReport(
            wet_run=wet_run,
            file_errors=[
                "Un autre import VALCE a enregistré les mêmes agréments ou centres pendant celui-ci : "
                "rien n'a été écrit, relancez l'import (les lignes déjà importées seront inchangées)."
            ],
        )
        record = None
    return report, record


class _DryRun(Exception):
    pass


def import_valce_bilan(data: bytes, *, by, region, filename: str, wet_run: bool, progress) -> imports.Bilan:
    """The importer of the browser import (ceres.core.imports.execute)."""
    report, _ = import_valce(data, by=by, region=region, filename=filename, wet_run=wet_run, progress=progress)
    return report.bilan()


__all__ = ["ImportReport", "StatutAgrement", "ValceImporter", "import_valce", "map_decision", "read_csv"]
