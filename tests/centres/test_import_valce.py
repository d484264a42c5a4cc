import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from ceres.centres.enums import DecisionAgrement, StatutAgrement, TypeCentre
from ceres.centres.importers.valce import import_valce, map_decision
from ceres.centres.models import Agrement, Centre, ImportValce, Site
from ceres.core.models import JournalEntry
from ceres.referentiels.models import Commune
from tests.referentiels.factories import (
    CcsFactory,
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
    TitreProfessionnelFactory,
)

FIXTURE = Path(__file__).parent / "fixtures" / "valce_exemple.csv"


@pytest.fixture
def referentiel():
    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    DepartementFactory(code="01", name="Ain", region=region)
    DepartementFactory(code="69", name="Rhône", region=region)
    for code, name, dep, kind in [
        ("01053", "Bourg-en-Bresse", "01", Commune.Kind.COMMUNE),
        ("01283", "Oyonnax", "01", Commune.Kind.COMMUNE),
        ("01033", "Belley", "01", Commune.Kind.COMMUNE),
        ("69123", "Lyon", "69", Commune.Kind.COMMUNE),
        ("69381", "Lyon 1er Arrondissement", "69", Commune.Kind.ARRONDISSEMENT),
        ("69266", "Villeurbanne", "69", Commune.Kind.COMMUNE),
    ]:
        CommuneFactory(code_insee=code, name=name, departement_code=dep, kind=kind)
    # A commune merged away: its code only exists as a closed period.
    CommuneFactory(code_insee="01999", name="Commune disparue", end_date=dt.date(2019, 1, 1))
    vente = TitreProfessionnelFactory(code_rncp="RNCP37098", intitule="Conseiller de vente")
    TitreProfessionnelFactory(code_rncp="RNCP38667", intitule="Assistant de direction")
    CcsFactory(titre=vente, code="CCS1", intitule="Vente en ligne")
    return region


def run(wet_run=True, **kwargs):
    return import_valce(FIXTURE.read_bytes(), filename=FIXTURE.name, wet_run=wet_run, **kwargs)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


class TestImportFixture:
    def test_good_rows_load_and_bad_ones_are_reported(self, referentiel):
        report, record = run()
        assert report.lines == 16
        assert report.created == 7
        assert report.updated == 0
        rejected = {r.line: r.reason for r in report.rejected}
        assert sorted(rejected) == [7, 8, 10, 11, 12, 13, 16, 17]
        assert "SIRET" in rejected[7] and "clé de contrôle" in rejected[7]
        assert "Titre inconnu" in rejected[8] and "RNCP99999" in rejected[8]
        assert "V0003 figure déjà ligne 4" in rejected[10]
        assert "antérieure à la date de début" in rejected[11]
        assert "Commune inconnue" in rejected[12] and "01999" in rejected[12]
        assert "Libellé de décision inconnu" in rejected[13] and "Suspendue" in rejected[13]
        assert "fin de vie" in rejected[16]
        assert "CCS exige un agrément valide" in rejected[17]
        assert [(d.line, d.valce_id) for d in report.duplicates] == [(9, "V0002")]
        assert Agrement.objects.count() == 7
        assert record is not None and ImportValce.objects.get().rejected == 8

    def test_accepted_labels_give_valid_status(self, referentiel):
        run()
        for valce_id in ("V0001", "V0002", "V0003"):
            agrement = Agrement.objects.get(valce_id=valce_id)
            assert agrement.decision == DecisionAgrement.ACCEPTEE
            assert agrement.status == StatutAgrement.VALIDE
        assert Agrement.objects.get(valce_id="V0004").status == StatutAgrement.EN_COURS_INSTRUCTION
        assert Agrement.objects.get(valce_id="V0005").status == StatutAgrement.REFUSEE
        retiree = Agrement.objects.get(valce_id="V0011")
        assert retiree.status == StatutAgrement.RETIREE
        assert retiree.decision_reason == "Manquement aux engagements"

    def test_centres_and_sites_created_once(self, referentiel):
        report, _ = run()
        formapro = Centre.objects.get(siret="78234567800018")
        assert formapro.type == TypeCentre.ORGANISME_PRIVE
        assert formapro.departement.code == "01"
        assert formapro.sites.count() == 1  # V0001, V0002 and V0012 share the site
        cfa = Centre.objects.get(siret="44123456700028")
        assert cfa.type == TypeCentre.CFA and cfa.departement.code == "69"
        assert cfa.sites.get().commune.kind == Commune.Kind.ARRONDISSEMENT
        afpa_site = Site.objects.get(centre__siret="19801234500031")
        assert afpa_site.commune.code_insee == "69266"  # found by name + postcode
        # Centres of rejected lines only are not created.
        assert not Centre.objects.filter(siret__in=["22334455600012", "78234567800019"]).exists()
        assert report.centres_created == 5 and report.sites_created == 5

    def test_raw_row_is_kept(self, referentiel):
        run()
        raw = Agrement.objects.get(valce_id="V0003").valce_raw
        assert raw["decision"] == " acceptée "
        assert raw["site_commune_insee"] == "69381"

    def test_second_run_changes_nothing(self, referentiel):
        run()
        journal_count = JournalEntry.objects.count()
        report, _ = run()
        assert report.created == 0 and report.updated == 0 and report.unchanged == 7
        assert report.summary().startswith("Agréments : 16 lignes lues, 0 créé, 0 modifié, 7 inchangés")
        # Only the summary entry of the second import is added.
        assert JournalEntry.objects.count() == journal_count + 1

    def test_changed_line_updates_and_journals(self, referentiel):
        run()
        data = FIXTURE.read_text().replace("V0004;33012345600015", "V0004;33012345600015", 1)
        data = data.replace("En cours d'instruction;;", "Acceptée;01/08/2025;", 1)
        report, _ = import_valce(data, wet_run=True)
        assert report.updated == 1 and report.created == 0
        agrement = Agrement.objects.get(valce_id="V0004")
        assert agrement.decision == DecisionAgrement.ACCEPTEE
        entry = JournalEntry.objects.filter(object_id=str(agrement.public_id), action="update").get()
        assert entry.changes["decision"] == {"avant": "en_instruction", "après": "acceptee"}

    def test_journal_per_agrement_and_summary(self, referentiel):
        run()
        agrement = Agrement.objects.get(valce_id="V0001")
        entry = JournalEntry.objects.get(object_type="centres.agrement", object_id=str(agrement.public_id))
        assert entry.operation == "import_valce" and entry.action == "create"
        summary = JournalEntry.objects.get(object_type="centres.importvalce")
        assert "7 créés" in summary.reason

    def test_dry_run_writes_nothing(self, referentiel):
        report, record = run(wet_run=False)
        assert report.created == 7
        assert record is None
        assert not Agrement.objects.exists() and not Centre.objects.exists()
        assert not JournalEntry.objects.exists()

    def test_dreets_only_imports_its_region(self, referentiel):
        other = RegionFactory(code="11", name="Île-de-France")
        report, _ = run(region=other)
        assert report.created == 0
        reasons = {r.valce_id: r.reason for r in report.rejected}
        assert "hors de votre région" in reasons["V0001"]
        assert not Centre.objects.exists()

    def test_missing_columns_reject_the_file(self, referentiel):
        report, record = import_valce("id_valce;siret\nV1;78234567800018\n", wet_run=True)
        assert report.file_errors and "raison_sociale" in report.file_errors[0]
        assert record is None

    def test_windows_excel_export(self, referentiel):
        data = FIXTURE.read_text().encode("cp1252")
        report, _ = import_valce(data, wet_run=True)
        assert report.created == 7


class TestCommand:
    def test_dry_run_then_wet_run(self, referentiel, capsys):
        call_command("import_valce", str(FIXTURE))
        out = capsys.readouterr().out
        assert "Ligne 7 (VALCE V0006) rejetée" in out
        assert "Essai à blanc" in out
        assert not Agrement.objects.exists()
        call_command("import_valce", str(FIXTURE), "--wet-run")
        assert Agrement.objects.count() == 7
        call_command("import_valce", str(FIXTURE), "--wet-run")
        assert "0 créé, 0 modifié" in capsys.readouterr().out


@pytest.mark.no_django_db
@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Acceptée", DecisionAgrement.ACCEPTEE),
        ("ACCEPTEE", DecisionAgrement.ACCEPTEE),
        (" acceptée ", DecisionAgrement.ACCEPTEE),
        ("accepté", DecisionAgrement.ACCEPTEE),
        ("En cours d'instruction", DecisionAgrement.EN_INSTRUCTION),
        ("REFUSÉE", DecisionAgrement.REFUSEE),
        ("Classée  sans suite", DecisionAgrement.CLASSEE_SANS_SUITE),
        ("Retirée", DecisionAgrement.RETIREE),
        ("Suspendue", None),
        ("", None),
    ],
)
def test_decision_labels(label, expected):
    assert map_decision(label) == expected


def test_commune_deleguee_is_selectable(referentiel):
    CommuneFactory(code_insee="01080", name="Déléguée-sur-Ain", kind=Commune.Kind.DELEGUEE, departement_code="01")
    header = FIXTURE.read_text().splitlines()[0]
    line = (
        "V9001;78234567800018;Formapro Ain;Organisme privé;Annexe;4 rue du Pont;01300;01080;;RNCP37098;;"
        "01/01/2025;31/12/2029;Acceptée;15/12/2024;"
    )
    report, _ = import_valce(f"{header}\n{line}\n", wet_run=True)
    assert report.created == 1, report.rejected
    assert Agrement.objects.get(valce_id="V9001").site.commune.kind == Commune.Kind.DELEGUEE
