"""Candidates imported from the browser by a centre (ceres.core.imports): template, check first (nothing written,
what would be written and the rejected lines with their column), report download, one click to apply exactly
what was checked from the stored file, a new check when the database changed in between."""

import datetime as dt
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ceres.candidats import services
from ceres.candidats.models import Candidat, ImportCandidats
from ceres.core import imports
from ceres.core.models import JournalEntry
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory

HEADER = ["reference", "civilite", "nom_naissance", "prenoms", "date_naissance", "commune_naissance_insee"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def lyon():
    return CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")


@pytest.fixture
def centre():
    return CentreFactory(name="Formapro Lyon")


@pytest.fixture
def gestionnaire(client, centre):
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    client.force_login(user)
    return user


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "candidats.xlsx"
    return out


ROWS = [
    ["A1", "MME", "Durand", "Léa", dt.datetime(1990, 5, 2), "69123"],  # a real date cell
    ["A2", "M", "Petit", "Hugo", "31/02/1991", "69123"],  # impossible date: rejected, column named
    ["A3", "M", "Martin", "Paul", "14/07/1985", "69123"],  # already in CERES
    ["A4", "MME", "Bernard", "Inès", "01/01/2000", "69123"],
]


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def deposit(client, django_capture_on_commit_callbacks, rows=ROWS):
    with django_capture_on_commit_callbacks(execute=True):  # the check runs (immediate task backend)
        response = client.post(reverse("candidats:import"), {"file": xlsx(rows)})
    assert response.status_code == 302, text(response)
    return ImportCandidats.objects.get(), response["Location"]


def test_template_is_a_workbook_with_the_columns(client, gestionnaire):
    response = client.get(reverse("candidats:import_modele"), {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook.active[1]]
    assert header[:6] == ["reference", "civilite", "nom_naissance", "nom_usage", "prenoms", "date_naissance"]
    assert workbook.active["G2"].number_format == "@"  # codes INSEE keep their leading zero
    assert [r[0] for r in workbook["Colonnes"].iter_rows(min_row=2, values_only=True)] == header
    csv = client.get(reverse("candidats:import_modele"), {"format": "csv"}).content.decode()
    assert csv.startswith("\ufeffreference;civilite;nom_naissance")


def test_check_then_apply_writes_exactly_what_was_announced(
    client, gestionnaire, centre, lyon, django_capture_on_commit_callbacks
):
    CandidatFactory(birth_name="Martin", first_names="Paul", birth_date=dt.date(1985, 7, 14), birth_commune=lyon)
    job, url = deposit(client, django_capture_on_commit_callbacks)
    assert job.status == imports.StatutImport.VERIFIE and Candidat.objects.count() == 1  # nothing written
    page = text(client.get(url))
    assert "Vérification terminée : rien n'est encore écrit" in page
    assert "Nouveaux dossiers : 2" in page and "Déjà dans CERES (non créés) : 1" in page
    assert "Lignes rejetées : 1" in page
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    rejected = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert rejected[0][:4] == ["3", "date_naissance", "A2", "rejeté"] and "31/02/1991" in rejected[0][4]
    assert rejected[1][:4] == ["4", "—", "A3", "déjà présent"]

    report = client.get(reverse("candidats:import_report", args=[job.public_id]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in sheet[1]] == ["Ligne", "Colonne", "Référence", "Résultat", "Motif"]
    assert [c.value for c in sheet[2]][:3] == [3, "date_naissance", "A2"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidats:import_action", args=[job.public_id]), {"action": "appliquer"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == imports.StatutImport.APPLIQUE and job.applied_by == gestionnaire
    created = Candidat.objects.exclude(birth_name="Martin")
    assert sorted(created.values_list("birth_name", flat=True)) == ["Bernard", "Durand"]
    assert all(c.created_by_centre == centre for c in created)
    assert JournalEntry.objects.filter(operation="import_candidats", actor=gestionnaire).count() == 1
    assert "Import appliqué" in text(client.get(url))
    # The same click again writes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidats:import_action", args=[job.public_id]), {"action": "appliquer"})
    assert Candidat.objects.count() == 3


def test_a_database_changed_since_the_check_applies_nothing_and_asks_a_new_check(
    client, gestionnaire, lyon, django_capture_on_commit_callbacks
):
    job, url = deposit(client, django_capture_on_commit_callbacks)
    assert job.counts[1] == ["Nouveaux dossiers", 3]
    # Meanwhile another agent creates Bernard Inès: line 5 would no longer be created.
    services.candidat_create(
        data={
            "civility": "MME",
            "birth_name": "Bernard",
            "first_names": "Inès",
            "birth_date": dt.date(2000, 1, 1),
            "birth_commune": lyon,
        },
        by=UserFactory(agent_ud=True),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidats:import_action", args=[job.public_id]), {"action": "appliquer"})
    job.refresh_from_db()
    assert job.status == imports.StatutImport.A_REVERIFIER
    assert "ligne 5 : annoncée « créé », serait « déjà présent »" in job.error
    assert Candidat.objects.count() == 1  # nothing of the file
    assert "Application refusée : rien n'a été écrit" in text(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):  # the same stored file, checked again: no upload
        client.post(reverse("candidats:import_action", args=[job.public_id]), {"action": "reverifier"})
    job.refresh_from_db()
    assert job.status == imports.StatutImport.VERIFIE and job.counts[1] == ["Nouveaux dossiers", 2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidats:import_action", args=[job.public_id]), {"action": "appliquer"})
    job.refresh_from_db()
    assert job.status == imports.StatutImport.APPLIQUE and Candidat.objects.count() == 3


def test_the_follow_up_page_polls_and_announces_the_progress_by_quarters(client, gestionnaire, centre):
    job = ImportCandidats.objects.create(
        filename="candidats.xlsx", file="imports/x.xlsx", sha256="0" * 64, created_by=gestionnaire, centre=centre,
        status=imports.StatutImport.VERIFICATION,
    )  # fmt: skip
    cache.set(imports._progress_key(job), (420, 1000))
    url = reverse("candidats:import_job", args=[job.public_id])
    page = client.get(url)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("#import-annonce[role=status]").get_text(strip=True) == "Vérification en cours : 25 %"
    progress = soup.select_one("progress#import-progression")
    assert (progress["value"], progress["max"]) == ("420", "1000")
    assert soup.select_one("label[for=import-progression]") is not None
    assert "420 lignes sur 1000 (42 %)" in text(page)
    poll = soup.select_one("#import-suivi")
    assert poll["hx-trigger"] == "every 1s" and "annonce=V%C3%A9rification" in poll["hx-get"]

    fragment = client.get(poll["hx-get"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-swap-oob" not in fragment  # same quarter: nothing new to announce
    cache.set(imports._progress_key(job), (800, 1000))
    fragment = client.get(poll["hx-get"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="innerHTML">Vérification en cours : 75 %' in fragment
    job.status = imports.StatutImport.VERIFIE
    job.save()
    fragment = BeautifulSoup(client.get(url, headers={"HX-Request": "true"}).content, "html.parser")
    assert not fragment.select_one("#import-suivi").has_attr("hx-trigger")  # finished: polling stops


def test_who_imports(client, centre, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(agent_ud=True))
    assert client.get(reverse("candidats:import")).status_code == 403
    owner = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=owner, centre=centre)
    client.force_login(owner)
    job, url = deposit(client, django_capture_on_commit_callbacks, rows=ROWS[:1])
    other = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=other, centre=CentreFactory())
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("candidats:import_report", args=[job.public_id])).status_code == 404
