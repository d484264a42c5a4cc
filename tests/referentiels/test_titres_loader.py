import datetime as dt

from ceres.referentiels.loaders.titres import load_nsf, load_titres, read_sources
from ceres.referentiels.models import Ccp, Nsf, TitreProfessionnel


def _load():
    return load_nsf(), load_titres()


class TestLoadNsf:
    def test_groups_letters_and_fine_codes(self):
        counters = load_nsf()
        assert counters["créés"] == Nsf.objects.count()
        assert Nsf.objects.filter(letter="").exclude(code__in=["30", "34"]).count() == 93
        assert Nsf.objects.get(code="324").label == "Secrétariat, bureautique"
        assert Nsf.objects.get(code="324t").label == "Saisie, mise en forme et communication des données"
        # A letter code not labelled by France Compétences is still known (TSSR lists 326u).
        assert Nsf.objects.filter(code="326u").exists()
        assert not Nsf.objects.filter(code="324a").exists()  # a-g only apply to disciplinary groups (1xx)

    def test_second_run_changes_nothing(self):
        first = load_nsf()
        second = load_nsf()
        assert second == {"créés": 0, "modifiés": 0, "inchangés": first["créés"]}


class TestLoadTitres:
    def test_ministry_certifications_merged_with_domain_titles(self):
        _load()
        # 733 France Compétences fiches + §9 titles without RNCP number.
        without_rncp = sum(1 for key in read_sources() if not isinstance(key, str))
        assert TitreProfessionnel.objects.count() == 733 + without_rncp
        ad = TitreProfessionnel.objects.get(code_rncp="RNCP38667")
        assert (ad.sigle, ad.intitule, ad.niveau, ad.code_titre) == ("AD", "Assistant de direction", 5, "TP-01293")
        assert list(ad.nsf_codes.values_list("code", flat=True)) == ["324p"]
        assert ad.end_date == dt.date(2029, 7, 29)
        assert [c.code_cp for c in ad.ccps.all()] == ["CP-003285", "CP-003286"]
        assert "France Compétences" in ad.source

    def test_france_competences_only_fiche_has_no_name(self):
        _load()
        fiche = TitreProfessionnel.objects.get(code_rncp="RNCP39282")  # registered after Certif Info's last update
        assert fiche.intitule == "" and fiche.niveau is None
        assert fiche.display_name == "RNCP39282 (intitulé non renseigné)"
        assert sorted(fiche.nsf_codes.values_list("code", flat=True)) == ["225r", "234s"]

    def test_names_recovered_from_certif_info_say_where_they_come_from(self):
        _load()
        current = TitreProfessionnel.objects.get(code_rncp="RNCP183")
        assert (current.intitule, current.niveau) == ("Monteur dépanneur frigoriste", 3)
        assert "Certif Info" in current.source and current.fiabilite == TitreProfessionnel.Fiabilite.MOYENNE
        former = TitreProfessionnel.objects.get(code_rncp="RNCP184")  # named only as the former version of another
        assert former.intitule == "Conducteur d'installation et de machines automatisées" and former.niveau is None
        assert "ancienne version" in former.notes
        named = TitreProfessionnel.objects.exclude(intitule="").count()
        assert named >= 543  # 543 recovered names + the titles of DOMAIN.md §9

    def test_a_database_loaded_before_the_names_gets_them_with_their_provenance(self):
        _load()
        fiche = TitreProfessionnel.objects.get(code_rncp="RNCP183")
        TitreProfessionnel.objects.filter(pk=fiche.pk).update(
            intitule="", intitule_key="", niveau=None, source="France Compétences, export du 01/02/2026", fiabilite=""
        )
        assert load_titres()["modifiés"] == 1
        fiche.refresh_from_db()
        assert fiche.intitule == "Monteur dépanneur frigoriste" and "Certif Info" in fiche.source

    def test_version_chains(self):
        _load()
        ctrmtv = TitreProfessionnel.objects.get(code_rncp="RNCP39795")
        assert ctrmtv.predecessor.code_rncp == "RNCP38558"
        assert ctrmtv.partial_success_allowed is False
        macon = TitreProfessionnel.objects.get(code_rncp="RNCP35309")
        assert macon.predecessor.code_rncp == "RNCP435"
        assert macon.predecessor.ccps.count() == 4
        assert macon.end_date == dt.date(2026, 2, 22)  # ended: in prolongation until 22/02/2027 for every centre
        tai = TitreProfessionnel.objects.get(code_rncp="RNCP37681")
        assert [s.code_rncp for s in tai.successors.all()] == ["RNCP40799"]
        # A split: one old fiche, two new ones.
        assert TitreProfessionnel.objects.filter(predecessor__code_rncp="RNCP1272").count() == 2

    def test_titles_without_rncp_and_without_nsf(self):
        _load()
        tssr = TitreProfessionnel.objects.get(sigle="TSSR")
        assert sorted(tssr.nsf_codes.values_list("code", flat=True)) == ["326p", "326r", "326u"]
        remn = TitreProfessionnel.objects.get(sigle="REMN")
        assert remn.nsf_codes.count() == 0
        assert remn not in TitreProfessionnel.objects.printable()

    def test_second_run_changes_nothing(self):
        load_nsf()
        first = load_titres()
        ccps = Ccp.objects.count()
        second = load_titres()
        assert second["créés"] == 0 and second["modifiés"] == 0
        assert second["inchangés"] == first["créés"]
        assert Ccp.objects.count() == ccps

    def test_admin_corrections_survive_a_reload(self):
        _load()
        ad = TitreProfessionnel.objects.get(code_rncp="RNCP38667")
        ad.intitule = "Assistant de direction (corrigé)"
        ad.save()
        fiche = TitreProfessionnel.objects.get(code_rncp="RNCP39282")
        fiche.intitule = "Intitulé saisi par l'administrateur"
        fiche.niveau = 4
        fiche.save()
        assert load_titres()["modifiés"] == 0
        ad.refresh_from_db()
        fiche.refresh_from_db()
        assert ad.intitule == "Assistant de direction (corrigé)"
        assert (fiche.intitule, fiche.niveau) == ("Intitulé saisi par l'administrateur", 4)


class TestDemo:
    def test_fictional_revision_with_correspondence_and_ccs(self):
        from ceres.referentiels import demo

        load_nsf()
        assert demo.seed()["titres, CCP et CCS de démonstration créés"] == 2 + 5 + 1
        new = TitreProfessionnel.objects.get(sigle="DEMO", millesime="2025")
        assert new.predecessor.millesime == "2020"
        assert [c.order for c in new.ccps.get(order=1).correspond_to.all()] == [1, 2]
        assert new.ccs.count() == 1
        assert new in TitreProfessionnel.objects.printable()
        assert demo.seed()["titres, CCP et CCS de démonstration créés"] == 0
