from ceres.referentiels import parametres
from ceres.referentiels.loaders.territoire import load_parametres, load_territoire
from ceres.referentiels.models import Departement, Dreets, Parametre, Region, UniteDepartementale
from tests.referentiels.factories import CommuneFactory


class TestLoadTerritoire:
    def test_regions_departements_dreets_ud(self):
        CommuneFactory(code_insee="01053", name="Bourg-en-Bresse", departement_code="01")
        result = load_territoire()
        assert Region.objects.count() == 18
        assert Departement.objects.count() == 101
        assert Dreets.objects.count() == 18
        assert UniteDepartementale.objects.count() == 101
        assert Dreets.objects.get(region__code="84").name == "DREETS Auvergne-Rhône-Alpes"
        assert Dreets.objects.get(region__code="11").name == "DRIEETS Île-de-France"
        assert Dreets.objects.get(region__code="01").name == "DEETS de la Guadeloupe"
        ain = UniteDepartementale.objects.get(departement__code="01")
        assert ain.name == "DDETS de l'Ain"
        assert ain.commune.name == "Bourg-en-Bresse"  # chef-lieu: « Fait à Bourg-en-Bresse »
        assert UniteDepartementale.objects.get(departement__code="14").name == "DDETS du Calvados"
        assert UniteDepartementale.objects.get(departement__code="75").name.startswith("DRIEETS")
        assert Departement.objects.get(code="2A").region.code == "94"
        # Communes were not loaded in this test: 100 UD have no commune and the loader says so.
        assert result["UD sans commune (communes non chargées ?)"] == 100

    def test_second_run_changes_nothing_and_keeps_admin_edits(self):
        load_territoire()
        ud = UniteDepartementale.objects.get(departement__code="69")
        ud.name = "DDETS du Rhône (siège de Lyon)"
        ud.address = "8-10 rue du Nord"
        ud.save()
        second = load_territoire()
        assert second["créés"] == 0 and second["modifiés"] == 0
        ud.refresh_from_db()
        assert ud.name == "DDETS du Rhône (siège de Lyon)"

    def test_commune_filled_once_communes_are_loaded(self):
        load_territoire()
        CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
        assert load_territoire()["modifiés"] == 1
        assert UniteDepartementale.objects.get(departement__code="69").commune.name == "Lyon"

    def test_commune_chosen_by_admin_is_kept(self):
        bourg = CommuneFactory(code_insee="01053", name="Bourg-en-Bresse", departement_code="01")
        load_territoire()
        ud = UniteDepartementale.objects.get(departement__code="01")
        ud.commune = CommuneFactory(code_insee="01004", name="Ambérieu-en-Bugey", departement_code="01")
        ud.save()
        load_territoire()
        ud.refresh_from_db()
        assert ud.commune != bourg


class TestLoadParametres:
    def test_defaults_created_then_admin_values_kept(self):
        assert load_parametres()["créés"] == len(parametres.DEFAUTS)
        Parametre.objects.filter(code="DELAI_PROLONGATION_MOIS").update(value=18)
        assert load_parametres() == {"créés": 0, "modifiés": 0, "inchangés": len(parametres.DEFAUTS)}
        assert parametres.get("DELAI_PROLONGATION_MOIS") == 18
