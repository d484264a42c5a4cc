"""The four CSV imports (VALCE, reprise des jurys, candidats, RNCP) fed with the files real users send.

Every import must, for the same hostile file, either load it like the clean one (encodings, separators, line
endings, blank lines, spaces, extra columns), reject the bad lines with a French reason and load the others, or
refuse the whole file with one French sentence — never a traceback, never a half-written import; and a second run
of the same file changes nothing.
"""

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass, field

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from ceres.candidats import importers as candidats_importers
from ceres.candidats.importers import import_candidats
from ceres.candidats.models import Candidat
from ceres.centres.importers.valce import ValceImporter, import_valce
from ceres.centres.models import Agrement, Centre
from ceres.core.fichiers import FileRefused
from ceres.core.models import JournalEntry
from ceres.jurys.models import Habilitation, MembreJury
from ceres.jurys.reprise import Importer, import_reprise
from ceres.referentiels.loaders import rncp as rncp_loader
from ceres.referentiels.loaders.rncp import import_rncp
from ceres.referentiels.models import TitreProfessionnel
from tests.referentiels.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
    TitreProfessionnelFactory,
    UniteDepartementaleFactory,
)

# ---- the clean file of each import (accents on purpose: they reveal encoding mistakes) ----

VALCE = [
    ["id_valce", "siret", "raison_sociale", "type_centre", "departement_centre", "site_nom", "site_adresse"]
    + ["site_code_postal", "site_commune_insee", "site_commune", "titre", "ccs", "date_debut", "date_fin"]
    + ["decision", "date_decision", "motif"],
    ["V1", "78234567800018", "Formapro Éducation", "Organisme privé", "69", "Siège", "3 rue de la République"]
    + ["69002", "69123", "Lyon", "RNCP37098", "", "01/01/2025", "31/12/2029", "Acceptée", "15/12/2024", ""],
    ["V2", "44123456700028", "CFA Métiers", "CFA", "69", "", "12 avenue Thiers"]
    + [
        "69006",
        "69123",
        "Lyon",
        "37098",
        "",
        "2025-02-01",
        "2029-12-31",
        "Refusée",
        "2025-01-20",
        "Dossier incomplet",
    ],
]
REPRISE = [
    ["id_jure", "civilite", "nom_naissance", "prenoms", "date_naissance", "code_commune_naissance"]
    + ["code_departement_ud", "id_habilitation", "code_titre", "code_rncp", "date_debut", "date_fin"],
    ["J1", "MME", "LÉGER", "Hélène", "12/03/1975", "69123", "69", "H1", "TP-01234", "", "01/09/2024", "01/09/2027"],
    ["J2", "M", "DURAND", "Loïc", "1980-06-05", "69123", "69", "H2", "TP-01234", "", "2025-01-01", "2027-06-30"],
]
CANDIDATS = [
    ["reference", "civilite", "nom_naissance", "prenoms", "date_naissance", "commune_naissance_insee", "email"],
    ["A1", "MME", "Bérénice", "Éloïse", "01/05/1990", "69123", "eloise@exemple.fr"],
    ["A2", "M", "Nguyên", "François", "1985-11-23", "69123", ""],
]
RNCP = [
    ["Id_Fiche", "Numero_Fiche", "Intitule", "Abrege_Libelle", "Nomenclature_Europe_Niveau", "Date_Effet"]
    + ["Date_Fin_Enregistrement", "Actif"],
    ["1", "RNCP37098", "Conseiller de vente", "TP", "NIV4", "01/01/2021", "01/01/2031", "ACTIVE"],
    ["2", "RNCP38667", "Assistant de direction — épreuves", "TP", "NIV5", "2024-07-29", "2029-07-29", "ACTIVE"],
]


@dataclass
class Outcome:
    refused: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: dict[int, str] = field(default_factory=dict)
    summary: str = ""


def run_valce(data):
    report, _ = import_valce(data, wet_run=True)
    if report.file_errors:
        return Outcome(refused=" ".join(report.file_errors), summary=report.summary())
    rejected = {r.line: r.reason for r in report.rejected + report.duplicates}
    return Outcome("", report.created, report.updated, report.unchanged, rejected, report.summary())


def run_reprise(data):
    try:
        report = import_reprise(data)
    except FileRefused as exc:
        return Outcome(refused=str(exc))
    rejected = {r.line: r.message for r in report.rejets}
    created = report.habilitations_created
    return Outcome("", created, 0, report.habilitations_unchanged, rejected, " ".join(report.summary()))


def run_candidats(data):
    report = import_candidats(data, wet_run=True)
    if report.file_errors:
        return Outcome(refused=" ".join(report.file_errors), summary=report.summary())
    rejected = {r.line: r.reason for r in report.rejected}
    return Outcome("", report.created, 0, len(report.duplicates), rejected, report.summary())


def run_rncp(data):
    try:
        result = import_rncp(data)
    except FileRefused as exc:
        return Outcome(refused=str(exc))
    rejected = {r.line: r.reason for r in result.rejets}
    return Outcome("", result.créés, result.modifiés, result.inchangés, rejected, result.summary())


IMPORTS = {
    "valce": (VALCE, run_valce, lambda: Agrement.objects.count()),
    "reprise": (REPRISE, run_reprise, lambda: Habilitation.objects.count()),
    "candidats": (CANDIDATS, run_candidats, lambda: Candidat.objects.count()),
    "rncp": (RNCP, run_rncp, lambda: TitreProfessionnel.objects.count()),
}


def to_csv(table, *, delimiter=";", lineterminator="\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=lineterminator).writerows(table)
    return out.getvalue()


@pytest.fixture(autouse=True)
def referentiel():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
        UniteDepartementaleFactory(departement=DepartementFactory(code="69", name="Rhône", region=region))
        CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
        # The title the other imports refer to; the RNCP file renames it (one update) and adds another one.
        TitreProfessionnelFactory(
            code_rncp="RNCP37098",
            code_titre="TP-01234",
            intitule="Conseiller de vente (ancien intitulé)",
            niveau=4,
            start_date=dt.date(2021, 1, 1),
            end_date=dt.date(2031, 1, 1),
        )
        yield


@pytest.fixture(params=list(IMPORTS))
def kind(request):
    return request.param


def clean(kind):
    table, run, count = IMPORTS[kind]
    return table, run, count


class TestCleanFile:
    def test_loads_and_second_run_changes_nothing(self, kind):
        table, run, count = clean(kind)
        first = run(to_csv(table).encode())
        assert not first.refused and not first.rejected, first
        writes = JournalEntry.objects.filter(action__in=["create", "update"])
        journal, objects = writes.count(), count()
        second = run(to_csv(table).encode())
        assert (second.created, second.updated, second.rejected) == (0, 0, {})
        assert ": 2 lignes lues, 0 créé" in second.summary and ", 0 modifié" in second.summary
        assert (count(), writes.count()) == (objects, journal)


SAME_AS_CLEAN = {
    "Windows-1252": lambda t: to_csv(t).encode("cp1252", errors="replace"),
    "Latin-1": lambda t: to_csv(t).encode("latin-1", errors="replace"),
    "UTF-8 avec BOM": lambda t: to_csv(t).encode("utf-8-sig"),
    "virgules": lambda t: to_csv(t, delimiter=",").encode(),
    "tabulations": lambda t: to_csv(t, delimiter="\t").encode(),
    "CRLF": lambda t: to_csv(t, lineterminator="\r\n").encode(),
    "lignes vides": lambda t: ("\n\n" + to_csv(t).replace("\n", "\n;;\n\n", 1) + "\n\n").encode(),
    "espaces autour": lambda t: to_csv([[f"  {v} " if v else v for v in row] for row in t]).encode(),
    "colonne en plus": lambda t: to_csv(
        [[*row, "en plus" if i else "Commentaire"] for i, row in enumerate(t)]
    ).encode(),
    "cellules vides en fin de ligne": lambda t: to_csv([[*row, "", ""] for row in t]).encode(),
    "guillemets partout": lambda t: "\n".join(";".join(f'"{v}"' for v in row) for row in t).encode(),
}


class TestSameAsClean:
    @pytest.mark.parametrize("variant", list(SAME_AS_CLEAN))
    def test_variant_loads_like_the_clean_file(self, kind, variant):
        table, run, count = clean(kind)
        outcome = run(SAME_AS_CLEAN[variant](table))
        assert not outcome.refused and not outcome.rejected, outcome
        assert outcome.created == 2 or (kind == "rncp" and outcome.created + outcome.updated == 2)
        again = run(SAME_AS_CLEAN[variant](table))
        assert (again.created, again.updated) == (0, 0)

    def test_accents_survive_a_windows_file(self, kind):
        table, run, _ = clean(kind)
        run(to_csv(table).encode("cp1252", errors="replace"))
        if kind == "valce":
            assert Centre.objects.filter(name="Formapro Éducation").exists()
        elif kind == "reprise":
            assert MembreJury.objects.filter(first_names="Hélène").exists()
        elif kind == "candidats":
            assert Candidat.objects.filter(first_names="Éloïse").exists()
        else:
            assert TitreProfessionnel.objects.filter(intitule="Assistant de direction — épreuves").exists()


REFUSED = {
    "vide": (b"", "Le fichier est vide."),
    "blancs seulement": (b"\r\n \n\n", "Le fichier est vide."),
    "binaire": (bytes(range(256)) * 4, "n'est pas un fichier CSV (texte)"),
    "image PNG": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "n'est pas un fichier CSV (texte)"),
    "classeur xlsx": (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "classeur (xlsx, ods)"),
    "PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    "UTF-16": ("id;nom\n1;Zoé\n".encode("utf-16"), "UTF-16"),
}


class TestRefusedUpfront:
    @pytest.mark.parametrize("variant", list(REFUSED))
    def test_not_a_csv(self, kind, variant):
        _, run, count = clean(kind)
        data, message = REFUSED[variant]
        if kind in ("candidats", "reprise") and variant == "classeur xlsx":
            # These imports read XLSX workbooks (browser imports, issue 17): a damaged one is refused.
            message = "Le classeur n'est pas un fichier XLSX lisible"
        outcome = run(data)
        assert message in outcome.refused
        assert count() == (1 if kind == "rncp" else 0)

    def test_header_only(self, kind):
        table, run, _ = clean(kind)
        outcome = run(to_csv(table[:1]).encode())
        assert outcome.refused == "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer."

    def test_missing_column_is_named(self, kind):
        table, run, count = clean(kind)
        without = [row[:2] + row[3:] for row in table]  # third column dropped
        outcome = run(to_csv(without).encode())
        assert outcome.refused.startswith("Colonnes obligatoires absentes : ")
        assert table[0][2] in outcome.refused
        assert count() == (1 if kind == "rncp" else 0)

    def test_semicolons_expected_but_pipes_given(self, kind):
        table, run, _ = clean(kind)
        outcome = run(to_csv(table, delimiter="|").encode())
        assert outcome.refused.startswith("Colonnes obligatoires absentes : ")

    def test_field_beyond_any_sane_size(self, kind):
        table, run, count = clean(kind)
        table = [table[0], [v if i != 2 else "x" * 200_000 for i, v in enumerate(table[1])], table[2]]
        outcome = run(to_csv(table).encode())
        assert "n'est pas un CSV lisible à la ligne 2" in outcome.refused
        assert count() == (1 if kind == "rncp" else 0)

    def test_unclosed_quote(self, kind):
        table, run, count = clean(kind)
        text = to_csv(table).replace("\n", '\n"', 1)  # the first data line opens a quote never closed
        outcome = run(text.encode())
        assert outcome.refused or outcome.rejected, outcome
        assert count() <= 1


class TestBadLinesRejectedOthersLoaded:
    def test_ragged_row(self, kind):
        table, run, _ = clean(kind)
        shifted = table[1][:3] + ["a; b"] + table[1][4:]  # an unquoted separator in a value
        text = to_csv(table[:1]) + ";".join(shifted) + "\n" + to_csv(table[2:])
        outcome = run(text.encode())
        assert outcome.rejected[2].startswith(f"La ligne a {len(table[0]) + 1} colonnes au lieu de {len(table[0])}")
        assert outcome.created + outcome.updated == 1

    def test_short_row(self, kind):
        table, run, _ = clean(kind)
        text = to_csv(table[:1]) + ";".join(table[1][:4]) + "\n" + to_csv(table[2:])
        outcome = run(text.encode())
        assert "colonnes au lieu de" in outcome.rejected[2]
        assert outcome.created + outcome.updated == 1

    def test_long_value_is_a_rejected_line(self, kind):
        table, run, _ = clean(kind)
        column = 2  # raison sociale, nom de naissance, intitulé
        row = [v if i != column else "Très long " * 60 for i, v in enumerate(table[1])]
        outcome = run(to_csv([table[0], row, table[2]]).encode())
        assert set(outcome.rejected) == {2}, outcome
        # The reason names the column (or its field), not only « cette valeur ».
        named = {"valce": "Raison sociale", "reprise": "Colonne nom_naissance", "candidats": "Nom de naissance"}
        assert outcome.rejected[2].startswith(named.get(kind, "Intitulé") + " : ")
        assert "caractères" in outcome.rejected[2] and "599" in outcome.rejected[2]
        assert outcome.created + outcome.updated == 1

    def test_line_numbers_count_blank_lines(self, kind):
        table, run, _ = clean(kind)
        bad = [v if i != 1 else "" for i, v in enumerate(table[2])]  # siret, civilité or n° de fiche
        text = to_csv(table[:2]) + "\n\n" + to_csv([bad])
        outcome = run(text.encode())
        assert list(outcome.rejected) == [5], outcome


class TestNoHalfWrite:
    """A failure nobody foresaw in the middle of a --wet-run leaves the base as it was."""

    def test_crash_on_second_line_writes_nothing(self, kind, monkeypatch):
        table, run, count = clean(kind)
        before = (count(), JournalEntry.objects.count())
        calls = {"n": 0}
        owner, name = {
            "valce": (ValceImporter, "build"),
            "reprise": (Importer, "habilitation"),
            "candidats": (candidats_importers, "build_data"),
            "rncp": (rncp_loader, "parse_line"),
        }[kind]
        original = getattr(owner, name)

        def explode(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("panne")
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, explode)
        with pytest.raises(RuntimeError):
            run(to_csv(table).encode())
        assert (count(), JournalEntry.objects.count()) == before


COMMANDS = {
    "valce": ("import_valce", []),
    "reprise": ("import_reprise_jurys", []),
    "candidats": ("import_candidats", []),
    "rncp": ("import_rncp", []),
}


class TestCommands:
    def test_refused_file_is_a_french_command_error(self, kind, tmp_path):
        path = tmp_path / "export.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        name, args = COMMANDS[kind]
        with pytest.raises(CommandError, match=r"^Fichier refusé.*n'est pas un fichier CSV \(texte\)"):
            call_command(name, str(path), "--wet-run", *args, stdout=io.StringIO())

    def test_summary_line_is_the_same_everywhere(self, kind, tmp_path):
        table, _, _ = clean(kind)
        path = tmp_path / "export.csv"
        path.write_bytes(to_csv(table).encode("cp1252", errors="replace"))
        name, args = COMMANDS[kind]
        call_command(name, str(path), "--wet-run", *args, stdout=io.StringIO())
        out = io.StringIO()
        call_command(name, str(path), "--wet-run", *args, stdout=out)
        subject = {"valce": "Agréments", "reprise": "Habilitations", "candidats": "Candidats", "rncp": "Titres"}[kind]
        assert f"{subject} : 2 lignes lues, 0 créé" in out.getvalue()
        assert ", 0 modifi" in out.getvalue() and ", 0 rejeté" in out.getvalue()


class TestValceUploadPage:
    """The deposit page says the same as the command, for the files a user may pick by mistake."""

    @pytest.fixture
    def dreets(self, client):
        from ceres.comptes.enums import Role
        from ceres.referentiels.models import Region
        from tests.comptes.factories import UserFactory

        client.force_login(UserFactory(role=Role.AGENT_DREETS, region=Region.objects.get(code="84")))
        return client

    def post(self, client, name, data, capture):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        with capture(execute=True):  # the check runs (immediate task backend)
            response = client.post(reverse("centres:valce_import"), {"file": SimpleUploadedFile(name, data)})
        return client.get(response["Location"]) if response.status_code == 302 else response

    @pytest.mark.parametrize("variant", ["binaire", "classeur xlsx", "vide"])
    def test_refused_file_is_explained_on_the_page(self, dreets, variant, django_capture_on_commit_callbacks):
        data, message = REFUSED[variant]
        response = self.post(dreets, "export.csv", data or b" ", django_capture_on_commit_callbacks)
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert "Fichier refusé" in page and (message if data else "Le fichier est vide.") in page
        assert not Agrement.objects.exists()

    def test_windows_file_reports_like_the_command(self, dreets, django_capture_on_commit_callbacks):
        response = self.post(dreets, "export.csv", to_csv(VALCE).encode("cp1252"), django_capture_on_commit_callbacks)
        from ceres.centres.models import DepotValce

        assert DepotValce.objects.get().summary.startswith(
            "Agréments : 2 lignes lues, 2 créés, 0 modifié, 0 inchangé, 0 rejeté"
        )
        assert "Agréments créés : <strong>2</strong>" in html.unescape(response.content.decode())

    def test_file_too_large(self, dreets, django_capture_on_commit_callbacks):
        response = self.post(dreets, "enorme.csv", b"a" * (50 * 1024 * 1024 + 1), django_capture_on_commit_callbacks)
        assert "Le fichier dépasse 50 Mo : découpez-le en plusieurs fichiers." in response.content.decode()
        from ceres.centres.models import DepotValce

        assert not DepotValce.objects.exists()  # refused before being stored


class TestConcurrentValceImports:
    def test_same_agrements_written_meanwhile_is_a_clear_refusal(self, monkeypatch):
        run_valce(to_csv(VALCE).encode())
        agrements, journal = Agrement.objects.count(), JournalEntry.objects.count()
        Agrement.objects.all().update(decision_reason="écrit par l'autre import")
        # This import read the base before the other one committed: it believes V1 and V2 are new.
        original = ValceImporter.prefetch

        def stale_prefetch(self, rows):
            original(self, rows)
            return {}

        monkeypatch.setattr(ValceImporter, "prefetch", stale_prefetch)
        outcome = run_valce(to_csv(VALCE).encode())
        assert outcome.refused.startswith("Un autre import VALCE a enregistré les mêmes agréments")
        assert (Agrement.objects.count(), JournalEntry.objects.count()) == (agrements, journal)
        assert set(Agrement.objects.values_list("decision_reason", flat=True)) == {"écrit par l'autre import"}


class TestMixedEncodings:
    def test_utf8_file_with_one_windows_line_is_refused_not_garbled(self, kind):
        table, run, count = clean(kind)
        # Every clean file has accents; a line pasted from a Windows file is added at the end.
        data = to_csv(table).encode() + to_csv(table[2:]).encode("cp1252")
        outcome = run(data)
        assert outcome.refused.startswith("Le fichier mélange deux encodages (UTF-8, et Windows-1252 à la ligne 4)")
        assert count() == (1 if kind == "rncp" else 0)

    def test_windows_typography_is_not_taken_for_utf8(self):
        # « à » or « É » + no-break space, « É » + curly apostrophe: bytes a UTF-8 detector could misread.
        row = [*VALCE[1][:-1], "REFUSÉ\xa0: déjà\xa0vu ; l’É’té « très » chaud — 25\xa0°C, Œuvre"]
        outcome = run_valce(to_csv([VALCE[0], row]).encode("cp1252"))
        assert outcome.created == 1, outcome
        assert Agrement.objects.get().decision_reason == row[-1]
