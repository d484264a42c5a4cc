import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from ceres.core.models import JournalEntry
from ceres.jurys import selectors
from ceres.jurys.models import Habilitation, MembreJury
from tests.referentiels.factories import (
    CommuneFactory,
    DepartementFactory,
    PaysFactory,
    TitreProfessionnelFactory,
    UniteDepartementaleFactory,
)

FIXTURE = Path(__file__).parent / "fixtures" / "reprise_exemple.csv"


@pytest.fixture
def referentiels():
    UniteDepartementaleFactory(departement=DepartementFactory(code="69", name="Rhône"))
    CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    PaysFactory(code="99134", name="Espagne")
    return TitreProfessionnelFactory(
        code_titre="TP-01234", start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1)
    )


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_reprise_jurys", str(FIXTURE), *args, stdout=out)
    return out.getvalue()


def test_dry_run_writes_nothing(referentiels):
    output = run()
    assert "Essai à blanc" in output
    assert MembreJury.objects.count() == 0


def test_rejected_rows_carry_their_reason_and_second_run_changes_nothing(referentiels, tmp_path):
    rapport = tmp_path / "rejets.csv"
    output = run("--wet-run", "--rapport", str(rapport))
    assert "Habilitations : 8 lignes lues, 2 créées, 0 modifiée, 0 inchangée, 6 rejetées." in output
    assert "Membres de jury : 3 créés, 0 modifié, 0 inchangé, 4 rejetés." in output
    lines = rapport.read_text().splitlines()
    reasons = {line.split(";")[2]: line.split(";")[3] for line in lines[1:]}
    assert reasons == {
        "H002": "titre inconnu",
        "H003": "commune inconnue",
        "H004": "dates incohérentes",
        "H005": "membre de jury en double",
        "H007": "ligne invalide",
        "H008": "unité départementale inconnue",
    }
    assert "TP-99999" in output
    assert "69999" in output
    assert "La fin (01/01/2025) précède le début (01/06/2025)." in output
    assert "Même personne que Claire MARTIN (ancien identifiant J001)" in output

    counts = (MembreJury.objects.count(), Habilitation.objects.count(), JournalEntry.objects.count())
    output = run("--wet-run")
    assert "Habilitations : 8 lignes lues, 0 créée, 0 modifiée, 2 inchangées, 6 rejetées." in output
    assert "Membres de jury : 0 créé, 0 modifié, 3 inchangés, 4 rejetés." in output
    assert (MembreJury.objects.count(), Habilitation.objects.count(), JournalEntry.objects.count()) == counts


def test_imported_habilitations_follow_the_extension_rule(referentiels):
    run("--wet-run")
    titre = referentiels
    with time_machine.travel(dt.datetime(2026, 11, 28, tzinfo=dt.UTC)):
        on_2029 = selectors.jurors_to_convene(titre=titre, days=[dt.date(2029, 6, 1)])
    assert [r.membre.former_id for r in on_2029] == ["J001"]
    martin = MembreJury.objects.get(former_id="J001")
    assert martin.birth_commune.code_insee == "69123"
    assert martin.habilitations.get().until_end_of_life


def test_ids_repeated_in_the_file_are_not_merged_silently(referentiels):
    from ceres.jurys.reprise import import_reprise

    header, first = FIXTURE.read_text().splitlines()[:2]
    same_habilitation = first  # H001 twice
    other_person = first.replace("H001", "H009").replace("Claire Anne", "Julie")  # J001 with another identity
    report = import_reprise(f"{header}\n{first}\n{same_habilitation}\n{other_person}\n")
    messages = {r.line: r.message for r in report.rejets}
    assert messages == {
        3: "L'habilitation H001 figure déjà ligne 2.",
        4: "Le juré J001 figure ligne 2 avec une autre identité (nom, prénoms ou date de naissance) : "
        "ligne non reprise.",
    }
    assert report.habilitations_created == 1 and report.habilitations_unchanged == 0
    assert MembreJury.objects.get().first_names == "Claire Anne"


def test_dry_run_message_comes_after_the_report(referentiels):
    output = run()
    assert output.rstrip().endswith("Essai à blanc : rien n'a été écrit (ajoutez --wet-run).")
    assert "Habilitations : 8 lignes lues, 2 créées" in output


def test_unknown_title_message_names_only_the_codes_given(referentiels):
    from ceres.jurys.reprise import import_reprise

    header, first = FIXTURE.read_text().splitlines()[:2]
    no_title = first.replace("H001;TP-01234;", "H010;;")
    report = import_reprise(f"{header}\n{first.replace('TP-01234', 'TP-77777')}\n{no_title}\n")
    assert [r.message for r in report.rejets] == [
        "Titre inconnu du référentiel : code titre « TP-77777 ».",
        "Ni code titre ni numéro RNCP : le titre de l'habilitation manque.",
    ]
