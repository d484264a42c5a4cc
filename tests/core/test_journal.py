import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory

from ceres.core.journal import diff, journal_for, journal_record, snapshot
from ceres.core.models import JournalEntry
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import RegionFactory


def render_history(obj, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load ceres_tags %}{% historique obj %}").render(Context({"obj": obj, "request": request}))


@pytest.fixture
def edited_region():
    """A region created then renamed by a UD agent, journaled as services do."""
    author = UserFactory(first_name="Ursule", last_name="Bressane", agent_ud=True)
    with time_machine.travel("2026-03-02 09:15 +01:00", tick=False):
        region = RegionFactory(code="84", name="Rhône-Alpes")
        journal_record(action="create", obj=region, by=author, changes=diff({}, snapshot(region, ["code", "name"])))
    with time_machine.travel("2026-03-05 14:40 +01:00", tick=False):
        before = snapshot(region)
        region.name = "Auvergne-Rhône-Alpes"
        region.save()
        journal_record(
            action="update",
            obj=region,
            by=author,
            changes=diff(before, snapshot(region)),
            operation="Renommage",
            reason="Fusion des régions",
        )
    return region


class TestJournal:
    def test_update_records_only_changed_fields_with_before_and_after(self, edited_region):
        update, create = journal_for(edited_region)
        assert update.action == "update"
        assert update.changes == {"name": {"avant": "Rhône-Alpes", "après": "Auvergne-Rhône-Alpes"}}
        assert create.changes["code"] == {"avant": None, "après": "84"}

    def test_entries_are_append_only(self, edited_region):
        entry = journal_for(edited_region).first()
        with pytest.raises(PermissionDenied):
            entry.save()
        with pytest.raises(PermissionDenied):
            entry.delete()

    def test_system_writes_are_labelled_as_such(self):
        region = RegionFactory()
        assert journal_record(action="other", obj=region, by=None).actor_label == "système"


class TestHistoriquePanel:
    @pytest.mark.parametrize("role", ["agent_ud", "admin_national"])
    def test_ud_and_national_users_see_who_changed_what(self, edited_region, role):
        html = render_history(edited_region, UserFactory(**{role: True}))
        assert "Historique (2 entrées)" in html
        assert "Ursule Bressane" in html
        assert "05/03/2026 14:40" in html
        assert "Modification" in html and "Renommage" in html and "Fusion des régions" in html
        assert "<strong>nom</strong> : <del>Rhône-Alpes</del> → <ins>Auvergne-Rhône-Alpes</ins>" in html
        # Newest first.
        assert html.index("05/03/2026") < html.index("02/03/2026")

    @pytest.mark.parametrize("role", ["agent_dreets", "gestionnaire_centre", "membre_jury"])
    def test_other_roles_see_nothing(self, edited_region, role):
        assert render_history(edited_region, UserFactory(**{role: True})).strip() == ""

    def test_anonymous_sees_nothing(self, edited_region):
        assert render_history(edited_region, AnonymousUser()).strip() == ""

    def test_empty_history_says_so(self):
        html = render_history(RegionFactory(), UserFactory(admin_national=True))
        assert "Aucune modification enregistrée." in html

    def test_consultations_are_listed_apart_from_changes(self, edited_region):
        reader = UserFactory(first_name="Léa", last_name="Lectrice")
        with time_machine.travel("2026-03-06 08:05 +01:00", tick=False):
            journal_record(action=JournalEntry.Action.VIEW, obj=edited_region, by=reader, operation="consultation")
        html = render_history(edited_region, UserFactory(agent_ud=True))
        assert "Historique (3 entrées)" in html
        consultations = html[html.index("Consultations des données personnelles") :]
        assert "06/03/2026 08:05 — Léa Lectrice (consultation)" in consultations
        assert "Renommage" not in consultations

    def test_free_keys_and_reverse_relation_names_are_shown_as_written(self):
        region = RegionFactory()
        journal_record(action="other", obj=region, by=UserFactory(), changes={"departements": 3, "pv_number": "PV-1"})
        html = render_history(region, UserFactory(admin_national=True))
        assert "<strong>departements</strong> : <del>—</del> → <ins>3</ins>" in html
        assert "<strong>pv number</strong>" in html

    def test_technical_fields_are_hidden_and_values_are_readable(self):
        from tests.centres.factories import CentreFactory

        centre = CentreFactory(type="greta")
        journal_record(action="create", obj=centre, by=UserFactory(), changes=snapshot(centre))
        html = render_history(centre, UserFactory(admin_national=True))
        assert "<strong>type de centre</strong> : <del>—</del> → <ins>GRETA</ins>" in html
        assert f"<ins>{centre.departement}</ins>" in html  # the related object's name, not its id
        assert (
            "identifiant public" not in html and "clé de recherche" not in html and "<strong>ID</strong>" not in html
        )
        assert "<strong>commune</strong>" not in html  # empty at creation: not a change worth a line


class TestJournalBulkWrites:
    """Bulk queryset writes skip Model.save/delete: they are refused too."""

    def test_queryset_update_is_refused_and_changes_nothing(self, edited_region):
        with pytest.raises(PermissionDenied, match="ajout seul"):
            JournalEntry.objects.filter(object_type="referentiels.region").update(reason="effacé")
        with pytest.raises(PermissionDenied):
            JournalEntry.objects.update(reason="effacé")
        assert not JournalEntry.objects.filter(reason="effacé").exists()

    def test_queryset_delete_is_refused_and_keeps_entries(self, edited_region):
        count = JournalEntry.objects.count()
        with pytest.raises(PermissionDenied, match="ajout seul"):
            JournalEntry.objects.all().delete()
        with pytest.raises(PermissionDenied):
            journal_for(edited_region).delete()
        assert JournalEntry.objects.count() == count == 2

    def test_bulk_update_is_refused(self, edited_region):
        entries = list(journal_for(edited_region))
        for entry in entries:
            entry.reason = "réécrit"
        with pytest.raises(PermissionDenied):
            JournalEntry.objects.bulk_update(entries, ["reason"])
        assert not JournalEntry.objects.filter(reason="réécrit").exists()
