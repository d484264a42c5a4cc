"""The jurors' reprise run from the browser (ceres.core.imports): a UD agent (their UD's jurors) or the national
administrator (every UD) deposits the former system's export, reads what the check would write and the rejected
lines (line, column, reason), then applies exactly that; the command keeps working (tests/jurys/test_reprise.py)."""

import datetime as dt
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ceres.core import imports
from ceres.core.models import JournalEntry
from ceres.jurys.models import Habilitation, ImportReprise, MembreJury
from ceres.jurys.reprise import COLUMNS, import_reprise
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import (
    CommuneFactory,
    DepartementFactory,
    TitreProfessionnelFactory,
    UniteDepartementaleFactory,
)

HEADER = "id_jure;civilite;nom_naissance;prenoms;date_naissance;code_commune_naissance;code_departement_ud;" \
    "id_habilitation;code_titre;date_debut;date_fin;fin_de_vie"  # fmt: skip
LINES = [
    "J001;MME;MARTIN;Claire;12/03/1975;69123;69;H001;TP-01234;01/09/2024;;oui",  # 2: taken over
    "J001;MME;MARTIN;Claire;12/03/1975;69123;69;H002;TP-99999;01/09/2024;01/09/2027;",  # 3: unknown title
    "J002;M;DURAND;Paul;05/06/1980;69123;13;H003;TP-01234;01/01/2025;;oui",  # 4: another UD's juror
    "J003;M;PETIT;Louis;01/01/1970;69123;69;H004;TP-01234;32/01/2025;;oui",  # 5: unreadable start date
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def ud():
    UniteDepartementaleFactory(departement=DepartementFactory(code="13", name="Bouches-du-Rhône"))
    CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    TitreProfessionnelFactory(code_titre="TP-01234", start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1))
    return UniteDepartementaleFactory(departement=DepartementFactory(code="69", name="Rhône"))


@pytest.fixture
def agent(client, ud):
    user = UserFactory(agent_ud=True, ud=ud)
    client.force_login(user)
    return user


def csv_file(lines=LINES) -> SimpleUploadedFile:
    return SimpleUploadedFile("export_jures.csv", "\n".join([HEADER, *lines]).encode())


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def deposit(client, django_capture_on_commit_callbacks, upload=None):
    with django_capture_on_commit_callbacks(execute=True):  # the check runs (immediate task backend)
        response = client.post(reverse("jurys:import"), {"file": upload or csv_file()})
    assert response.status_code == 302, text(response)
    return ImportReprise.objects.get(), response["Location"]


def apply(client, job, django_capture_on_commit_callbacks, action="appliquer"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jurys:import_action", args=[job.public_id]), {"action": action})
    assert response.status_code == 302
    job.refresh_from_db()


def test_the_jurors_list_links_to_the_reprise_for_those_allowed(client, agent):
    assert reverse("jurys:import") in client.get(reverse("jurys:membre_list")).content.decode()
    client.force_login(UserFactory(admin_national=True))
    assert reverse("jurys:import") in client.get(reverse("jurys:membre_list")).content.decode()


def test_template_has_the_columns_of_the_command(client, agent):
    workbook = load_workbook(io.BytesIO(client.get(reverse("jurys:import_modele"), {"format": "xlsx"}).content))
    assert [c.value for c in workbook.active[1]] == COLUMNS
    assert [r[0] for r in workbook["Colonnes"].iter_rows(min_row=2, values_only=True)] == COLUMNS
    csv = client.get(reverse("jurys:import_modele"), {"format": "csv"}).content.decode()
    assert csv.startswith("\ufeffid_jure;civilite;nom_naissance")


def test_check_then_apply_writes_exactly_what_was_announced(client, agent, django_capture_on_commit_callbacks):
    job, url = deposit(client, django_capture_on_commit_callbacks)
    assert job.status == imports.StatutImport.VERIFIE and job.ud == agent.ud
    assert not MembreJury.objects.exists() and not Habilitation.objects.exists()  # the check wrote nothing
    page = text(client.get(url))
    assert "Vérification terminée : rien n'est encore écrit" in page
    # J003 is taken over, only its habilitation is rejected (as the command does).
    assert "Habilitations créées : 1" in page and "Membres de jury créés : 2" in page
    assert "Lignes rejetées (habilitations non reprises) : 3" in page
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    rejected = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert [r[:4] for r in rejected] == [
        ["3", "code_titre", "juré J001 / H002", "rejetée : titre inconnu"],
        ["4", "code_departement_ud", "juré J002 / H003", "rejetée : membre d'une autre unité départementale"],
        ["5", "date_debut", "juré J003 / H004", "rejetée : ligne invalide"],
    ]
    assert "TP-99999" in rejected[0][4] and "autre unité départementale" in rejected[1][4]
    assert "32/01/2025" in rejected[2][4]
    report = client.get(reverse("jurys:import_report", args=[job.public_id]), {"format": "csv"}).content.decode()
    assert "3;code_titre;juré J001 / H002;rejetée : titre inconnu;" in report

    apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == imports.StatutImport.APPLIQUE and job.applied_by == agent
    assert sorted(MembreJury.objects.values_list("former_id", "ud")) == [("J001", agent.ud_id), ("J003", agent.ud_id)]
    assert list(Habilitation.objects.values_list("former_id", flat=True)) == ["H001"]
    assert JournalEntry.objects.filter(operation="import_reprise_jurys", actor=agent).count() == 1
    assert "Import appliqué" in text(client.get(url))
    apply(client, job, django_capture_on_commit_callbacks)  # a second click writes nothing more
    assert MembreJury.objects.count() == 2 and Habilitation.objects.count() == 1


def test_a_database_changed_since_the_check_applies_nothing(client, agent, django_capture_on_commit_callbacks):
    job, url = deposit(client, django_capture_on_commit_callbacks)
    import_reprise("\n".join([HEADER, LINES[0]]))  # meanwhile, the command takes over J001 and H001
    apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == imports.StatutImport.A_REVERIFIER
    assert "ligne 2 : annoncée « membre créé, habilitation créée »" in job.error
    assert "serait « membre inchangé, habilitation déjà reprise »" in job.error
    assert "Application refusée : rien n'a été écrit" in text(client.get(url))
    apply(client, job, django_capture_on_commit_callbacks, action="reverifier")  # the same stored file
    assert job.status == imports.StatutImport.VERIFIE and ["Habilitations créées", 0] in job.counts


def test_the_national_administrator_takes_over_every_ud_from_a_workbook(
    client, ud, django_capture_on_commit_callbacks
):
    admin = UserFactory(admin_national=True)
    client.force_login(admin)
    workbook = Workbook()
    for line in [HEADER, *LINES]:
        workbook.active.append(line.split(";"))
    out = io.BytesIO()
    workbook.save(out)
    job, _ = deposit(client, django_capture_on_commit_callbacks, SimpleUploadedFile("export.xlsx", out.getvalue()))
    assert job.ud is None and [line["line"] for line in job.report] == [3, 5]  # line 4 (UD 13) would be written
    apply(client, job, django_capture_on_commit_callbacks)
    assert sorted(MembreJury.objects.values_list("former_id", "ud__departement__code")) == [
        ("J001", "69"),
        ("J002", "13"),
        ("J003", "69"),
    ]


def test_who_takes_over(client, ud, agent, django_capture_on_commit_callbacks):
    job, url = deposit(client, django_capture_on_commit_callbacks)
    for refused in (UserFactory(agent_dreets=True), UserFactory(gestionnaire_centre=True), UserFactory()):
        client.force_login(refused)
        response = client.get(reverse("jurys:import"))
        assert response.status_code == 403 and "réservée aux agents des unités départementales" in text(response)
    client.force_login(UserFactory(agent_ud=True))  # another UD's agent: the deposit is not theirs
    assert client.get(url).status_code == 404
    assert client.get(reverse("jurys:import_report", args=[job.public_id])).status_code == 404
    assert (
        client.post(reverse("jurys:import_action", args=[job.public_id]), {"action": "appliquer"}).status_code == 404
    )
    client.force_login(UserFactory(admin_national=True))
    assert client.get(url).status_code == 200
    assert not MembreJury.objects.exists()
