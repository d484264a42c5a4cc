import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ceres.candidats import services
from ceres.candidats.models import Candidat, CandidatIdentiteHistorique, Civilite, DoublonPotentiel
from ceres.candidats.rules import numero_format
from ceres.candidats.selectors import doublons_detect, doublons_find
from ceres.core.journal import journal_for
from tests.candidats.factories import CandidatFactory
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory

BIRTH = dt.date(1980, 5, 1)


@pytest.fixture
def lyon():
    return CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")


@pytest.fixture
def agent():
    return UserFactory(agent_ud=True)


def data(lyon, **overrides):
    values = {
        "civility": Civilite.MONSIEUR,
        "birth_name": "DUPONT",
        "first_names": "Jean-Pierre",
        "birth_date": BIRTH,
        "birth_commune": lyon,
    }
    values.update(overrides)
    return values


class TestCandidatCreate:
    def test_creates_numbered_file_with_history_and_journal(self, lyon, agent):
        candidat = services.candidat_create(data=data(lyon), by=agent)
        assert numero_format(int(candidat.numero[:-1])) == candidat.numero  # Luhn key
        assert candidat.birth_place_code == "69123"
        assert candidat.identity_history.get().origin == CandidatIdentiteHistorique.Origine.CREATION
        assert journal_for(candidat).filter(action="create").exists()

    def test_numbers_are_sequential_and_unique(self, lyon, agent):
        a = services.candidat_create(data=data(lyon, birth_name="Martin"), by=agent)
        b = services.candidat_create(data=data(lyon, birth_name="Bernard"), by=agent)
        assert int(b.numero[:7]) == int(a.numero[:7]) + 1

    def test_certain_duplicate_offers_existing_file_and_creates_nothing(self, lyon, agent):
        existing = CandidatFactory(
            birth_name="Dupont", first_names="jean pierre", birth_date=BIRTH, birth_commune=lyon
        )
        with pytest.raises(services.DoublonCertain) as exc:
            services.candidat_create(data=data(lyon), by=agent)
        assert exc.value.existing == [existing]
        assert "Ce candidat existe déjà" in exc.value.messages[0]
        assert Candidat.objects.count() == 1

    def test_homonym_declaration_creates_and_journals_the_reason(self, lyon, agent):
        existing = CandidatFactory(
            birth_name="Dupont", first_names="Jean Pierre", birth_date=BIRTH, birth_commune=lyon
        )
        candidat = services.candidat_create(data=data(lyon), by=agent, homonym_reason="Jumeaux, pièces vérifiées")
        assert candidat.homonym_declared_reason == "Jumeaux, pièces vérifiées"
        entry = journal_for(candidat).get(operation="déclaration d'homonymie")
        assert entry.reason == "Jumeaux, pièces vérifiées"
        assert entry.changes["dossiers_identiques"] == [existing.numero]

    def test_probable_duplicate_is_listed_not_imposed(self, lyon, agent):
        existing = CandidatFactory(
            birth_name="Dupond", first_names="Jean-Pierre", birth_date=BIRTH, birth_commune=lyon
        )
        with pytest.raises(services.DoublonsProbables) as exc:
            services.candidat_create(data=data(lyon), by=agent)
        assert exc.value.existing == [existing]
        candidat = services.candidat_create(data=data(lyon), by=agent, ignore_probables=True)
        assert candidat.pk != existing.pk
        assert journal_for(candidat).filter(operation="création malgré des dossiers ressemblants").exists()

    @pytest.mark.parametrize(
        "typed",
        [
            {"birth_name": "Dupnot", "birth_date": dt.date(1980, 1, 5)},  # typo and day/month swapped
            {"birth_name": "Dupond", "birth_date": dt.date(1980, 1, 5)},  # same sound and day/month swapped
            {"birth_name": "Dupnot", "first_names": "Pierre Jean"},  # typo and first names reordered
        ],
    )
    def test_two_slips_at_once_are_still_proposed(self, lyon, agent, typed):
        existing = CandidatFactory(
            birth_name="Dupont", first_names="Jean-Pierre", birth_date=BIRTH, birth_commune=lyon
        )
        with pytest.raises(services.DoublonsProbables) as exc:
            services.candidat_create(data=data(lyon, **typed), by=agent)
        assert exc.value.existing == [existing]

    def test_birth_place_required_and_valid_at_birth_date(self, agent):
        with pytest.raises(ValidationError, match="commune de naissance"):
            services.candidat_create(data=data(None), by=agent)
        renamed = CommuneFactory(name="Nouvelle", start_date=dt.date(2016, 1, 1))
        with pytest.raises(ValidationError, match="n'existait pas sous ce nom"):
            services.candidat_create(data=data(renamed), by=agent)


class TestCandidatUpdate:
    def test_identity_change_keeps_old_identity_and_refreshes_keys(self, lyon, agent):
        candidat = services.candidat_create(data=data(lyon), by=agent)
        services.candidat_update(candidat=candidat, data={"birth_name": "Dupont-Martin"}, by=agent)
        candidat.refresh_from_db()
        assert candidat.name_key == "dupont martin"
        history = candidat.identity_history.get(origin=CandidatIdentiteHistorique.Origine.MODIFICATION)
        assert history.identity["birth_name"] == "DUPONT"
        found = doublons_find(candidat.identity_facts(), exclude_ids=())
        assert found[0][0] == candidat


class TestCandidatMerge:
    def test_merge_keeps_everything_on_survivor_and_both_identities(self, lyon, agent):
        survivor = services.candidat_create(data=data(lyon), by=agent)
        absorbed = CandidatFactory(
            birth_name="Dupond",
            first_names="Jean Pierre",
            birth_date=BIRTH,
            birth_commune=lyon,
            email="jp@exemple.fr",
        )
        survivor.email = ""
        survivor.save()
        older = CandidatFactory(birth_name="Dupon", first_names="Jean", birth_date=BIRTH, birth_commune=lyon)
        services.candidat_merge(survivor=absorbed, absorbed=older, by=agent, reason="Même personne")

        report = services.candidat_merge(survivor=survivor, absorbed=absorbed, by=agent, reason="Même personne")

        absorbed.refresh_from_db()
        older.refresh_from_db()
        survivor.refresh_from_db()
        assert absorbed.merged_into == survivor
        assert older.merged_into == survivor  # files absorbed earlier follow
        assert survivor.email == "jp@exemple.fr"
        assert "email" in report.filled
        names = {h.identity["birth_name"] for h in survivor.identity_history.all()}
        assert names == {"DUPONT", "Dupond", "Dupon"}
        assert journal_for(survivor).filter(operation="fusion (dossier conservé)").exists()
        assert journal_for(absorbed).filter(operation="fusion (dossier absorbé)").exists()
        # The absorbed identity stays findable and points to the survivor.
        found = doublons_find(absorbed.identity_facts())
        assert [c for c, _ in found] == [survivor]

    def test_pending_pair_of_the_absorbed_file_moves_to_the_survivor(self, lyon, agent):
        survivor = CandidatFactory(birth_name="Martin", first_names="Paul", birth_date=BIRTH, birth_commune=lyon)
        absorbed = CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=BIRTH, birth_commune=lyon)
        third = CandidatFactory(birth_name="Dupond", first_names="Jean", birth_date=BIRTH, birth_commune=lyon)
        services.doublons_store(list(doublons_detect()))
        pair = DoublonPotentiel.objects.get()  # absorbed / third only: Martin matches nobody
        services.candidat_merge(survivor=survivor, absorbed=absorbed, by=agent, reason="Même personne")
        pair.refresh_from_db()
        assert {pair.candidat_a, pair.candidat_b} == {survivor, third}
        assert pair.status == DoublonPotentiel.Statut.A_TRAITER
        assert f"identité du dossier {absorbed.numero} fusionné dans le {survivor.numero}" in pair.reasons
        services.doublons_store(list(doublons_detect()))  # the next detection adds nothing
        assert DoublonPotentiel.objects.count() == 1

    def test_merge_refusals(self, lyon, agent):
        a = CandidatFactory()
        b = CandidatFactory()
        with pytest.raises(ValidationError, match="motif"):
            services.candidat_merge(survivor=a, absorbed=b, by=agent, reason="")
        with pytest.raises(ValidationError, match="lui-même"):
            services.candidat_merge(survivor=a, absorbed=a, by=agent, reason="x")
        services.candidat_merge(survivor=a, absorbed=b, by=agent, reason="x")
        with pytest.raises(ValidationError, match="déjà été fusionné"):
            services.candidat_merge(survivor=a, absorbed=b, by=agent, reason="x")


class TestBatchDetection:
    def test_detects_pairs_and_stores_them_idempotently(self, lyon):
        a = CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=BIRTH)
        b = CandidatFactory(birth_name="Dupond", first_names="Jean", birth_date=BIRTH)
        CandidatFactory(birth_name="Durand", first_names="Paul", birth_date=BIRTH)
        pairs = list(doublons_detect())
        assert [(x.pk, y.pk) for x, y, _ in pairs] == [tuple(sorted((a.pk, b.pk)))]
        assert services.doublons_store(pairs) == 1
        assert services.doublons_store(list(doublons_detect())) == 0
        assert DoublonPotentiel.objects.get().level == "probable"


class TestMergeMovesOtherAppsObjects:
    """The merge walks Candidat's relations: registrations and results of the sessions app follow."""

    def test_registrations_and_certifications_move_to_survivor(self, agent):
        from tests.examens.factories import CertificationFactory, InscriptionFactory

        survivor = CandidatFactory()
        absorbed = CandidatFactory()
        inscription = InscriptionFactory(candidat=absorbed)
        certification = CertificationFactory(candidat=absorbed, inscription__candidat=absorbed)
        report = services.candidat_merge(survivor=survivor, absorbed=absorbed, by=agent, reason="Même personne")
        inscription.refresh_from_db()
        certification.refresh_from_db()
        assert inscription.candidat == survivor
        assert certification.candidat == survivor
        assert report.moved

    def test_collision_is_reported_and_nothing_moves(self, agent):
        from tests.examens.factories import InscriptionFactory

        survivor = CandidatFactory()
        absorbed = CandidatFactory()
        first = InscriptionFactory(candidat=survivor)
        second = InscriptionFactory(candidat=absorbed, session=first.session)
        with pytest.raises(ValidationError) as exc:
            services.candidat_merge(survivor=survivor, absorbed=absorbed, by=agent, reason="Même personne")
        assert "La fusion est impossible sans perte de données" in exc.value.messages[0]
        assert "existe déjà sur le dossier conservé" in exc.value.messages[1]
        second.refresh_from_db()
        absorbed.refresh_from_db()
        assert second.candidat == absorbed
        assert absorbed.merged_into is None
