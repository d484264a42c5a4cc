from tests.referentiels import factories as f


class TestFactories:
    def test_title_with_ccps_and_nsf(self):
        titre = f.TitreProfessionnelFactory(with_ccps=3, nsf=["311t", "312t"], with_ccs=1)
        assert [c.order for c in titre.ccps.all()] == [1, 2, 3]
        assert sorted(titre.nsf_codes.values_list("code", flat=True)) == ["311t", "312t"]
        assert titre.ccs.count() == 1
        assert titre in type(titre).objects.printable()

    def test_title_without_nsf_is_not_printable(self):
        titre = f.TitreProfessionnelFactory(nsf=[])
        assert titre not in type(titre).objects.printable()

    def test_ccp_appended(self):
        titre = f.TitreProfessionnelFactory(with_ccps=2)
        assert f.CcpFactory(titre=titre).order == 3

    def test_territory(self):
        ud = f.UniteDepartementaleFactory()
        assert ud.commune.departement_code == ud.departement.code
        dreets = f.DreetsFactory(region=ud.departement.region)
        assert f.DreetsFactory(region=ud.departement.region) == dreets
        assert f.DepartementFactory(code=ud.departement.code) == ud.departement
        assert f.PaysFactory().code.startswith("99")
