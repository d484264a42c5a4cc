import datetime as dt
from pathlib import Path

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement
from ceres.core.models import JournalEntry
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.centres.test_import_valce import FIXTURE, referentiel  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def centre(world):
    centre = CentreFactory(departement=world.departement, name="Formapro Ain")
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre, is_admin=True)
    return centre


class TestInstruction:
    def test_dreets_lists_its_region_only(self, client, world, centre):
        AgrementFactory(centre=centre)
        AgrementFactory(
            site=SiteFactory(centre=CentreFactory(departement=world.departement_autre_region, name="Loin"))
        )
        client.force_login(world.users["agent_dreets"])
        page = text(client.get(reverse("centres:agrement_list")))
        assert "Formapro Ain" in page and "Loin" not in page
        assert "1 agrément" in page

    def test_filters_and_htmx_fragment(self, client, world, centre):
        AgrementFactory(centre=centre)
        AgrementFactory(centre=centre, valide=True)
        client.force_login(world.users["agent_dreets"])
        url = reverse("centres:agrement_list")
        response = client.get(url, {"statut": "valide"}, headers={"HX-Request": "true"})
        assert b"<html" not in response.content
        assert "1 agrément" in text(response) and "Valide" in text(response)
        response = client.get(url, {"statut": "en_cours_instruction"})
        assert b"<html" in response.content and "En cours d'instruction" in text(response)

    def test_pending_requests_come_first(self, client, world, centre):
        AgrementFactory(centre=centre, valide=True, end_date=dt.date(2026, 6, 1))
        demande = AgrementFactory(centre=centre, end_date=dt.date(2030, 6, 1))
        client.force_login(world.users["agent_dreets"])
        soup = BeautifulSoup(client.get(reverse("centres:agrement_list")).content, "html.parser")
        first_row = soup.select("#agrements tbody tr")[0]
        assert str(demande.public_id) in str(first_row)

    def test_record_acceptance(self, client, world, centre):
        agrement = AgrementFactory(centre=centre)
        client.force_login(world.users["agent_dreets"])
        url = reverse("centres:agrement_decide", args=[agrement.public_id])
        response = client.post(url, {"decision": "acceptee", "decision_date": "2026-02-20"})
        assert response.status_code == 302
        agrement.refresh_from_db()
        assert agrement.decision == DecisionAgrement.ACCEPTEE
        assert agrement.decision_by == world.users["agent_dreets"]
        assert agrement.decision_date == dt.date(2026, 2, 20)
        entry = JournalEntry.objects.get(object_id=str(agrement.public_id))
        assert entry.operation == "decision_acceptee" and entry.actor == world.users["agent_dreets"]
        assert "Valide" in text(client.get(response["Location"]))

    def test_refusal_without_reason_is_explained(self, client, world, centre):
        agrement = AgrementFactory(centre=centre)
        client.force_login(world.users["agent_dreets"])
        response = client.post(
            reverse("centres:agrement_decide", args=[agrement.public_id]),
            {"decision": "refusee", "decision_date": "2026-02-20"},
        )
        assert response.status_code == 200
        assert "Un motif est obligatoire pour la décision « Refusée »." in text(response)
        # The form's hint names every decision the service refuses without a reason.
        assert "Obligatoire pour un refus ou un classement sans suite." in text(response)
        agrement.refresh_from_db()
        assert agrement.decision == DecisionAgrement.EN_INSTRUCTION

    def test_withdraw_with_reason(self, client, world, centre):
        agrement = AgrementFactory(centre=centre, valide=True)
        client.force_login(world.users["agent_dreets"])
        response = client.post(
            reverse("centres:agrement_withdraw", args=[agrement.public_id]),
            {"reason": "Manquement aux engagements", "decision_date": "2026-02-20"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200 and response["HX-Redirect"]
        agrement.refresh_from_db()
        assert agrement.decision == DecisionAgrement.RETIREE
        assert agrement.decision_reason == "Manquement aux engagements"

    def test_other_region_cannot_see_nor_decide(self, client, world, centre):
        agrement = AgrementFactory(centre=centre)
        client.force_login(world.users["agent_dreets_autre"])
        assert client.get(reverse("centres:agrement_detail", args=[agrement.public_id])).status_code == 404
        response = client.post(
            reverse("centres:agrement_decide", args=[agrement.public_id]),
            {"decision": "acceptee", "decision_date": "2026-02-20"},
        )
        assert response.status_code == 404
        agrement.refresh_from_db()
        assert agrement.decision == DecisionAgrement.EN_INSTRUCTION


class TestCentreUser:
    def test_mes_agrements_shows_badges_and_what_they_allow(self, client, world, centre):
        AgrementFactory(centre=centre, valide=True)
        AgrementFactory(centre=centre, refuse=True)
        client.force_login(world.users["gestionnaire_centre"])
        page = text(client.get(reverse("centres:mes_agrements")))
        assert "Valide" in page and "Permet de créer des sessions" in page
        assert "Refusée" in page and "la demande a été refusée" in page

    def test_alert_list(self, client, world, centre):
        AgrementFactory(centre=centre, valide=True, end_date=dt.date(2026, 5, 15))
        AgrementFactory(centre=centre, valide=True, end_date=dt.date(2026, 9, 1))
        client.force_login(world.users["agent_dreets"])
        page = text(client.get(reverse("centres:agrement_alerts")))
        assert "15/05/2026" in page and "01/09/2026" not in page

    def test_add_site(self, client, world, centre):
        from tests.referentiels.factories import CommuneFactory

        commune = CommuneFactory(code_insee="01053", name="Bourg-en-Bresse")
        client.force_login(world.users["gestionnaire_centre"])
        response = client.post(
            reverse("centres:site_create", args=[centre.public_id]),
            {"name": "Atelier", "address": "1 rue Neuve", "postal_code": "01000", "commune": commune.pk},
        )
        assert response.status_code == 302
        assert centre.sites.get().commune == commune

    def test_request_agrement(self, client, world, centre):
        site = SiteFactory(centre=centre)
        from tests.referentiels.factories import TitreProfessionnelFactory

        titre = TitreProfessionnelFactory(end_date=None)
        client.force_login(world.users["gestionnaire_centre"])
        response = client.post(
            reverse("centres:agrement_request", args=[centre.public_id]),
            {"site": site.pk, "titre": titre.pk, "start_date": "2026-09-01", "end_date": "2026-06-01"},
        )
        assert response.status_code == 200
        assert "antérieure à la date de début" in text(response)
        response = client.post(
            reverse("centres:agrement_request", args=[centre.public_id]),
            {"site": site.pk, "titre": titre.pk, "start_date": "2026-09-01", "end_date": "2030-06-01"},
        )
        assert response.status_code == 302
        assert Agrement.objects.get().decision == DecisionAgrement.EN_INSTRUCTION


class TestValceUpload:
    """The VALCE export deposited in the browser: checked by a background task, then applied on the agent's click
    (the 10 MB export no longer blocks the request, and is never uploaded twice)."""

    def deposit(self, client, capture):
        with capture(execute=True):  # the check runs (immediate task backend)
            response = client.post(
                reverse("centres:valce_import"),
                {"file": SimpleUploadedFile("valce.csv", FIXTURE.read_bytes(), content_type="text/csv")},
            )
        assert response.status_code == 302, text(response)
        return response["Location"]

    def apply(self, client, capture, url):
        with capture(execute=True):
            client.post(url + "action/", {"action": "appliquer"})
        return text(client.get(url))

    def test_check_then_apply_then_valid_for_centre_and_dreets(
        self,
        client,
        world,
        referentiel,  # noqa: F811
        django_capture_on_commit_callbacks,
    ):
        from ceres.centres.models import Centre, ImportValce, MembreCentre
        from ceres.comptes.models import User

        client.force_login(world.users["agent_dreets"])
        url = self.deposit(client, django_capture_on_commit_callbacks)
        page = text(client.get(url))
        assert "Vérification terminée : rien n'est encore écrit" in page and "Agréments créés : 7" in page
        assert "Titre inconnu du référentiel : « RNCP99999 »." in page
        assert not Agrement.objects.exists()
        page = self.apply(client, django_capture_on_commit_callbacks, url)
        assert "Import appliqué" in page and "Agréments créés : 7" in page
        assert Agrement.objects.count() == 7 and ImportValce.objects.count() == 1  # the command's record
        url = self.deposit(client, django_capture_on_commit_callbacks)
        page = self.apply(client, django_capture_on_commit_callbacks, url)
        assert "Agréments créés : 0" in page and "Agréments inchangés : 7" in page
        # The imported "acceptée" agrément shows Valide to the DREETS…
        agrement = Agrement.objects.get(valce_id="V0001")
        assert "Valide" in text(client.get(reverse("centres:agrement_detail", args=[agrement.public_id])))
        # …and to its centre.
        user = User.objects.create(email="formapro@centre.test", role="gestionnaire_centre")
        MembreCentre.objects.create(user=user, centre=Centre.objects.get(siret="78234567800018"))
        client.force_login(user)
        page = text(client.get(reverse("centres:mes_agrements")))
        assert page.count("Valide") >= 2

    def test_the_file_imported_meanwhile_by_the_command_is_not_applied_twice(
        self,
        client,
        world,
        referentiel,  # noqa: F811
        django_capture_on_commit_callbacks,
    ):
        from django.core.management import call_command

        from ceres.centres.models import DepotValce

        client.force_login(world.users["admin_national"])
        url = self.deposit(client, django_capture_on_commit_callbacks)
        call_command("import_valce", str(FIXTURE), "--wet-run")
        journal = JournalEntry.objects.count()
        page = self.apply(client, django_capture_on_commit_callbacks, url)
        assert "Application refusée : rien n'a été écrit" in page
        assert "annoncée « créé », serait « inchangé »" in DepotValce.objects.get().error
        assert JournalEntry.objects.count() == journal

    def test_gestionnaire_cannot_import(self, client, world):
        client.force_login(world.users["gestionnaire_centre"])
        assert client.get(reverse("centres:valce_import")).status_code == 403


def test_fixture_exists():
    assert Path(FIXTURE).exists()


class TestCentreCreate:
    def test_dreets_registers_a_centre_of_its_region(self, client, world):
        client.force_login(world.users["agent_dreets"])
        url = reverse("centres:centre_create")
        data = {
            "name": "Nouveau centre",
            "siret": "782 345 678 00019",
            "type": "cfa",
            "departement": world.departement.pk,
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "clé de contrôle" in text(response)
        response = client.post(url, {**data, "siret": "782 345 678 00018"})
        assert response.status_code == 302, response.context["form"].errors
        from ceres.centres.models import Centre

        centre = Centre.objects.get(siret="78234567800018")
        assert centre.name == "Nouveau centre"
        # A département of another region is not offered.
        response = client.post(
            url, {**data, "siret": "44123456700028", "departement": world.departement_autre_region.pk}
        )
        assert response.status_code == 200 and not Centre.objects.filter(siret="44123456700028").exists()


class TestWhatEachAgrementAllows:
    def test_mes_agrements_names_title_site_and_end(self, client, world, centre):
        from tests.referentiels.factories import TitreProfessionnelFactory

        titre = TitreProfessionnelFactory(intitule="Conseiller de vente", end_date=None)
        site = SiteFactory(centre=centre, name="Plateau Bourg")
        AgrementFactory(centre=centre, site=site, titre=titre, valide=True, end_date=dt.date(2029, 12, 31))
        AgrementFactory(centre=centre, site=site, a_venir=True)
        client.force_login(world.users["gestionnaire_centre"])
        page = text(client.get(reverse("centres:mes_agrements")))
        assert (
            "Permet de créer des sessions titre et CCP du titre « Conseiller de vente » sur le site "
            f"« Plateau Bourg, {site.commune.name} », jusqu'au 31/12/2029 inclus." in page
        )
        assert "Permettra de créer des sessions titre et CCP" in page and "du 01/01/2030 au 31/12/2030" in page


class TestCcsRequest:
    def test_ccs_request_needs_the_title_agrement_on_that_site(self, client, world, centre):
        from tests.referentiels.factories import CcsFactory, TitreProfessionnelFactory

        titre = TitreProfessionnelFactory(end_date=None)
        ccs = CcsFactory(titre=titre)
        site = SiteFactory(centre=centre)
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:agrement_request", args=[centre.public_id])
        data = {
            "site": site.pk,
            "titre": titre.pk,
            "ccs": ccs.pk,
            "start_date": "2026-09-01",
            "end_date": "2028-06-01",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Un agrément CCS exige l'agrément du titre correspondant sur ce site" in text(response)
        assert not Agrement.objects.exists()
        # Once the title is requested too, the CCS request is accepted for instruction.
        client.post(url, {**data, "ccs": ""})
        assert client.post(url, data).status_code == 302
        assert Agrement.objects.filter(ccs=ccs).count() == 1


class TestUploadReportEqualsCommand:
    def test_same_summary_and_same_rejected_lines(
        self,
        client,
        world,
        referentiel,  # noqa: F811
        capsys,
        django_capture_on_commit_callbacks,
    ):
        from django.core.management import call_command

        from ceres.centres.models import DepotValce

        client.force_login(world.users["admin_national"])
        TestValceUpload().deposit(client, django_capture_on_commit_callbacks)
        job = DepotValce.objects.get()
        call_command("import_valce", str(FIXTURE))
        out = capsys.readouterr().out
        assert job.summary in out
        for row in job.report:
            assert f"Ligne {row['line']} (VALCE {row['reference'] or '?'})" in out and row["reason"] in out
        assert len(job.report) == sum(1 for line in out.splitlines() if line.startswith("Ligne "))


class TestNoQueryPerRow:
    def _rows(self, centre, n):
        from tests.referentiels.factories import CcsFactory

        for i in range(n):
            agrement = AgrementFactory(centre=centre, valide=i % 2 == 0)
            if i % 3 == 0:
                AgrementFactory(site=agrement.site, titre=agrement.titre, ccs=CcsFactory(titre=agrement.titre))

    def test_instruction_list(self, client, world, centre, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(world.users["agent_dreets"])
        url = reverse("centres:agrement_list")
        self._rows(centre, 2)
        client.get(url)  # warm caches (session, parameters)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        self._rows(centre, 30)
        with django_assert_max_num_queries(len(few)):
            page = text(client.get(url))
        assert f"{Agrement.objects.count()} agréments" in page and Agrement.objects.count() > 40

    def test_mes_agrements(self, client, world, centre, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:mes_agrements")
        self._rows(centre, 2)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        self._rows(centre, 30)
        with django_assert_max_num_queries(len(few)):
            client.get(url)


class TestSiteCommune:
    def test_deleguee_and_arrondissement_selectable_closed_commune_not(self, client, world, centre):
        from ceres.referentiels.models import Commune
        from tests.referentiels.factories import CommuneFactory

        deleguee = CommuneFactory(code_insee="01080", name="Déléguée-sur-Ain", kind=Commune.Kind.DELEGUEE)
        arrondissement = CommuneFactory(
            code_insee="69381", name="Lyon 1er Arrondissement", kind=Commune.Kind.ARRONDISSEMENT, departement_code="69"
        )
        disparue = CommuneFactory(code_insee="01999", name="Commune disparue", end_date=dt.date(2019, 1, 1))
        client.force_login(world.users["gestionnaire_centre"])
        url = reverse("centres:site_create", args=[centre.public_id])
        for i, commune in enumerate([deleguee, arrondissement]):
            data = {"name": f"Site {i}", "address": f"{i} rue Neuve", "postal_code": "01000", "commune": commune.pk}
            assert client.post(url, data).status_code == 302
        response = client.post(
            url, {"name": "Vieux", "address": "9 rue", "postal_code": "01000", "commune": disparue.pk}
        )
        assert response.status_code == 200
        assert set(centre.sites.values_list("commune__kind", flat=True)) == {"COMD", "ARM"}


class TestRefusalsSayWhy:
    def test_juror_and_roleless_account_are_told_who_the_centre_pages_are_for(self, client, world):
        from tests.comptes.factories import UserFactory

        for user in (world.users["membre_jury"], UserFactory()):
            client.force_login(user)
            for name in ("centres:centre_list", "centres:agrement_alerts"):
                response = client.get(reverse(name))
                assert response.status_code == 403
                assert "réservés aux agents de l'État et aux gestionnaires de centre" in text(response)
