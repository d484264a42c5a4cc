import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ceres.core.journal import journal_for
from ceres.referentiels.loaders.rncp import FormatError, import_rncp
from ceres.referentiels.models import TitreProfessionnel
from tests.referentiels.factories import TitreProfessionnelFactory

SAMPLE = Path(__file__).parent / "data" / "rncp_standard_extrait.csv"


def _import():
    return import_rncp(SAMPLE.read_text(encoding="utf-8"), source_name=SAMPLE.name)


class TestImportRncp:
    def test_loads_titles_and_reports_every_rejected_line(self):
        TitreProfessionnelFactory(
            code_rncp="RNCP38667", intitule="Assistant(e) de direction", niveau=None, nsf=["324p"]
        )
        result = _import()
        assert result.counters() == {
            "créés": 2,
            "modifiés": 1,
            "inchangés": 0,
            "ignorés (autres certifications)": 1,
            "rejetés": 6,
        }
        reasons = {r.line: r.reason for r in result.rejets}
        assert "n'est pas un numéro RNCP valide" in reasons[5]
        assert "Niveau « NIV2 » non reconnu" in reasons[6]
        assert "Intitulé vide" in reasons[7]
        assert "Date « 31/13/2027 » illisible" in reasons[8]
        assert "précède le début" in reasons[9]
        assert str(result.rejets[0]).startswith("Ligne 5 (RNCPXX) rejetée :")

        ad = TitreProfessionnel.objects.get(code_rncp="RNCP38667")
        assert (ad.intitule, ad.niveau, ad.end_date) == ("Assistant de direction", 5, dt.date(2029, 7, 29))
        assert ad.nsf_codes.count() == 1  # NSF codes kept: the Standard file has none
        tai = TitreProfessionnel.objects.get(code_rncp="RNCP40799")
        assert (tai.niveau, tai.start_date) == (4, dt.date(2025, 9, 1))
        meca = TitreProfessionnel.objects.get(code_rncp="RNCP41004")
        assert (meca.intitule, meca.niveau) == ("Mécanicien automobile", 4)  # "TP - " prefix and Roman level
        assert not TitreProfessionnel.objects.filter(code_rncp="RNCP99999").exists()
        entry = journal_for(ad).first()
        assert entry.operation == "import_rncp" and "intitule" in entry.changes

    def test_duplicate_line_rejected(self):
        reasons = [r.reason for r in _import().rejets if r.line == 10]
        assert reasons == ["Fiche déjà présente ligne 3."]

    def test_second_run_changes_nothing(self):
        _import()
        second = _import()
        assert (second.créés, second.modifiés, second.inchangés) == (0, 0, 3)

    def test_missing_columns(self):
        with pytest.raises(FormatError, match="Colonnes obligatoires absentes : Abrege_Libelle"):
            import_rncp('"Numero_Fiche";"Intitule"\n"RNCP1";"X"\n')


class TestCommand:
    def test_dry_run_by_default(self, capsys):
        call_command("import_rncp", str(SAMPLE))
        out = capsys.readouterr().out
        assert "Essai à blanc" in out
        assert "Titres : 10 lignes lues, 3 créés, 0 modifié, 0 inchangé, 6 rejetés, 1 ignoré" in out
        assert "Ligne 6 (RNCP41000) rejetée : Niveau « NIV2 » non reconnu" in out
        assert TitreProfessionnel.objects.count() == 0

    def test_wet_run_then_nothing_to_do(self, capsys):
        call_command("import_rncp", str(SAMPLE), "--wet-run")
        assert TitreProfessionnel.objects.count() == 3
        capsys.readouterr()
        call_command("import_rncp", str(SAMPLE), "--wet-run")
        assert "Titres : 10 lignes lues, 0 créé, 0 modifié, 3 inchangés, 6 rejetés" in capsys.readouterr().out

    def test_missing_file(self):
        with pytest.raises(CommandError, match="Fichier introuvable"):
            call_command("import_rncp", "/nonexistent.csv")


class TestRapportQualite:
    def test_command_lists_non_printable_titles(self, capsys):
        TitreProfessionnelFactory(intitule="Complet")
        TitreProfessionnelFactory(intitule="Sans NSF", code_rncp="RNCP12345", nsf=[])
        call_command("rapport_qualite_titres")
        out = capsys.readouterr().out
        assert "RNCP12345 — Sans NSF : Code NSF manquant" in out
        assert "2 versions de titres, 1 imprimables, 1 non imprimables" in out
