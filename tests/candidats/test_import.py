"""import_candidats: every line goes through candidat_create, so the duplicate check applies to imports too."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from ceres.candidats.importers import import_candidats
from ceres.candidats.models import Candidat, DoublonPotentiel
from ceres.core.journal import journal_for
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import CentreFactory
from tests.referentiels.factories import CommuneFactory, PaysFactory

FIXTURE = Path(__file__).parent / "fixtures" / "candidats_exemple.csv"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def referentiel():
    lyon = CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    PaysFactory(code="99350", name="Maroc")
    # Already in the base before the import (line 10 of the fixture is the same person).
    martin = CandidatFactory(
        birth_name="Martin", first_names="Sophie Marie", birth_date=dt.date(1985, 7, 14), birth_commune=lyon
    )
    return martin


def reasons(items):
    return {item.line: item.reason for item in items}


class TestImport:
    def test_dry_run_reports_everything_and_writes_nothing(self, referentiel):
        report = import_candidats(FIXTURE.read_bytes())
        assert Candidat.objects.count() == 1 and not DoublonPotentiel.objects.exists()
        assert report.lines == 10 and report.created == 3  # Dupont, Dupond (to check), Benali
        rejected = reasons(report.rejected)
        assert set(rejected) == {5, 6, 7, 9, 11}
        assert "Date de naissance illisible : « 31/02/1990 »" in rejected[5]
        assert "Commune de naissance inconnue : code INSEE « 01999 »" in rejected[6]
        assert "Civilité inconnue : « X »" in rejected[7]
        assert "un seul des deux" in rejected[9]
        assert "La date de naissance doit être dans le passé." in rejected[11]

    def test_certain_duplicates_are_not_created(self, referentiel):
        report = import_candidats(FIXTURE.read_bytes(), wet_run=True)
        duplicates = reasons(report.duplicates)
        dupont = Candidat.objects.get(birth_name="DUPONT")
        # "dupont / jean pierre" on line 3 is the "DUPONT / Jean-Pierre" created on line 2…
        assert (
            duplicates[3]
            == f"Ce candidat existe déjà : dossier n° {dupont.numero} (créé par ce fichier, ligne 2). Non créé."
        )
        # …and "MARTIN / Sophie, Marie" already existed.
        assert duplicates[10] == f"Ce candidat existe déjà : dossier n° {referentiel.numero}. Non créé."
        assert Candidat.objects.filter(birth_name__iexact="dupont").count() == 1
        assert Candidat.objects.filter(birth_name__iexact="martin").count() == 1

    def test_probable_match_is_created_and_left_for_review(self, referentiel):
        report = import_candidats(FIXTURE.read_bytes(), wet_run=True)
        dupond = Candidat.objects.get(birth_name="Dupond")
        dupont = Candidat.objects.get(birth_name="DUPONT")
        assert (
            f"Dossier n° {dupond.numero} créé ; il ressemble au dossier n° {dupont.numero}"
            in reasons(report.probables)[4]
        )
        pair = DoublonPotentiel.objects.get()
        assert {pair.candidat_a, pair.candidat_b} == {dupond, dupont}
        assert pair.status == DoublonPotentiel.Statut.A_TRAITER

    def test_created_files_are_complete_and_journaled(self, referentiel):
        centre = CentreFactory()
        import_candidats(FIXTURE.read_bytes(), wet_run=True, centre=centre)
        benali = Candidat.objects.get(birth_name="Benali")
        assert benali.birth_country.name == "Maroc" and benali.birth_town_abroad == "Casablanca"
        assert benali.nationality.code == "99350" and benali.created_by_centre == centre
        dupont = Candidat.objects.get(birth_name="DUPONT")
        assert dupont.commune.code_insee == "69123" and dupont.email == "jp.dupont@exemple.fr"
        assert journal_for(dupont).filter(action="create").count() == 1

    def test_second_run_creates_nothing(self, referentiel):
        import_candidats(FIXTURE.read_bytes(), wet_run=True)
        count = Candidat.objects.count()
        report = import_candidats(FIXTURE.read_bytes(), wet_run=True)
        assert report.created == 0 and Candidat.objects.count() == count
        assert len(report.duplicates) == 5 and len(report.rejected) == 5

    def test_missing_columns_reject_the_file(self):
        report = import_candidats("nom;prenom\nDupont;Jean\n")
        assert report.file_errors == ["Colonnes obligatoires absentes : civilite, date_naissance."]


class TestCommand:
    def test_dry_run_then_wet_run(self, referentiel, capsys):
        call_command("import_candidats", str(FIXTURE))
        out = capsys.readouterr().out
        assert "Ligne 7 (A006) rejetée : Civilité inconnue" in out
        assert "Ligne 3 (A002) : Ce candidat existe déjà" in out
        assert "Essai à blanc" in out and Candidat.objects.count() == 1
        call_command("import_candidats", str(FIXTURE), "--wet-run")
        assert "Candidats : 10 lignes lues, 3 créés, 0 modifié, 2 inchangés, 5 rejetés" in capsys.readouterr().out
        call_command("import_candidats", str(FIXTURE), "--wet-run")
        assert "Candidats : 10 lignes lues, 0 créé, 0 modifié, 5 inchangés, 5 rejetés" in capsys.readouterr().out
        assert Candidat.objects.count() == 4

    def test_unknown_centre(self, referentiel):
        with pytest.raises(CommandError, match="Aucun centre ne porte le SIRET"):
            call_command("import_candidats", str(FIXTURE), "--centre", "78234567800018")


class TestHostileLines:
    def test_reference_repeated_with_other_values_is_rejected(self, referentiel):
        header = "reference;civilite;nom_naissance;prenoms;date_naissance;commune_naissance_insee"
        lines = [
            "B1;MME;Durand;Inès;02/02/1992;69123",
            "B1;MME;Durand;Inès;02/02/1992;69123",  # the same line again: the duplicate check answers
            "B1;M;Petit;Hugo;03/03/1993;69123",  # the same reference for someone else
        ]
        report = import_candidats("\n".join([header, *lines]) + "\n", wet_run=True)
        assert report.created == 1
        assert "créé par ce fichier, ligne 2" in reasons(report.duplicates)[3]
        assert reasons(report.rejected) == {4: "La référence B1 figure déjà ligne 2 avec d'autres valeurs."}
        assert not Candidat.objects.filter(birth_name__iexact="petit").exists()


class TestConcurrentImports:
    def test_a_second_import_while_one_runs_is_told_to_wait(self, referentiel):
        # Before: two concurrent candidate imports ended in a raw deadlock traceback.
        import threading

        from django.db import connection

        from ceres.core import locks

        held, release = threading.Event(), threading.Event()
        before = Candidat.objects.count()

        def first_import():
            try:
                with locks.exclusive("import:candidats"):
                    held.set()
                    release.wait(10)
            finally:
                connection.close()

        thread = threading.Thread(target=first_import)
        thread.start()
        try:
            assert held.wait(10)
            report = import_candidats(FIXTURE.read_bytes(), wet_run=True)
        finally:
            release.set()
            thread.join()
        assert report.file_errors == [locks.ALREADY_RUNNING]
        assert "Un import est déjà en cours" in report.summary()
        assert Candidat.objects.count() == before
        # Once the first one is over, the import runs.
        assert import_candidats(FIXTURE.read_bytes(), wet_run=True).created > 0
