import datetime as dt

from ceres.centres.enums import StatutAgrement
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory


def test_f():
    a = AgrementFactory(valide=True)
    a.full_clean()
    assert a.site.centre == a.centre
    assert a.status_on(dt.date(2026, 1, 1)) == StatutAgrement.VALIDE
    c = CentreFactory()
    c.full_clean()
    s = SiteFactory(centre=c)
    s.full_clean()
    assert s.commune.departement_code == c.departement.code
    b = AgrementFactory(site=s, expire=True)
    assert b.centre == c
    m = MembreCentreFactory(centre=c)
    assert m.user.centre_memberships.count() == 1


def test_centre_only():
    c = CentreFactory()
    a = AgrementFactory(centre=c)
    assert a.site.centre == c
    from ceres.centres.models import Centre

    assert Centre.objects.count() == 1
