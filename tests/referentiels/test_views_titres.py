import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CcpFactory, CcsFactory, NsfFactory, TitreProfessionnelFactory

TODAY = dt.datetime(2026, 11, 28, 10, 0)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def _user(role):
    return UserFactory(**{role: True})


class TestTitreList:
    def setup_method(self):
        self.ad = TitreProfessionnelFactory(
            intitule="Assistant de direction",
            sigle="AD",
            niveau=5,
            nsf=["324p"],
            code_rncp="RNCP38667",
            start_date=dt.date(2024, 7, 29),
            end_date=dt.date(2029, 7, 29),
        )
        self.tai = TitreProfessionnelFactory(
            intitule="Technicien d'assistance en informatique",
            sigle="TAI",
            niveau=4,
            nsf=["326r"],
            code_rncp="RNCP37681",
            start_date=None,
            end_date=dt.date(2025, 9, 1),
        )
        self.macon = TitreProfessionnelFactory(
            intitule="Maçon",
            sigle="MAC",
            niveau=3,
            nsf=["232s"],
            code_rncp="RNCP435",
            start_date=dt.date(2016, 2, 22),
            end_date=dt.date(2021, 2, 22),
        )
        self.fiche = TitreProfessionnelFactory(
            intitule="", sigle="", niveau=None, nsf=["227r"], code_rncp="RNCP183", start_date=None, end_date=None
        )

    def test_anonymous_sees_level_nsf_rncp_and_end_of_life(self, client):
        response = client.get(reverse("referentiels:titre_list"))
        assert response.status_code == 200
        rows = _rows(response)
        assert rows[0] == ["Assistant de direction", "AD", "5", "324p", "RNCP38667", "29/07/2029", "Actif"]
        # France Compétences fiches without a name come last, told apart by their RNCP number and NSF.
        assert rows[-1][0].startswith("RNCP183 — ") and rows[-1][0].endswith("(intitulé non renseigné)")
        assert "<html" in response.content.decode()

    def test_status_filters(self, client):
        url = reverse("referentiels:titre_list")
        assert [r[1] for r in _rows(client.get(url, {"statut": "prolongation"}))] == ["TAI"]
        assert [r[1] for r in _rows(client.get(url, {"statut": "termine"}))] == ["MAC"]
        assert [r[1] for r in _rows(client.get(url, {"statut": "actif"}))] == ["AD"]
        assert [r[4] for r in _rows(client.get(url, {"statut": "inconnu"}))] == ["RNCP183"]

    def test_level_nsf_and_text_filters(self, client):
        url = reverse("referentiels:titre_list")
        assert [r[1] for r in _rows(client.get(url, {"niveau": "4"}))] == ["TAI"]
        assert [r[1] for r in _rows(client.get(url, {"nsf": "326"}))] == ["TAI"]  # group matches 326r
        assert [r[1] for r in _rows(client.get(url, {"nsf": "324 p"}))] == ["AD"]
        assert [r[1] for r in _rows(client.get(url, {"q": "macon"}))] == ["MAC"]
        assert [r[1] for r in _rows(client.get(url, {"q": "rncp 37681"}))] == ["TAI"]
        assert "Aucun titre" in client.get(url, {"q": "astronaute"}).content.decode()

    def test_htmx_request_gets_the_table_only(self, client):
        response = client.get(reverse("referentiels:titre_list"), {"niveau": "3"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert "<html" not in html and 'id="titres-resultats"' in html
        assert [r[1] for r in _rows(response)] == ["MAC"]

    def test_form_works_without_javascript_and_keeps_filters_in_pagination(self, client):
        TitreProfessionnelFactory.create_batch(30, niveau=6)
        response = client.get(reverse("referentiels:titre_list"), {"niveau": "6", "page": "2"})
        html = response.content.decode()
        assert len(_rows(response)) == 5
        assert 'method="get"' in html and 'hx-push-url="true"' in html
        assert "niveau=6" in html and "page=1" in html  # pagination links keep the filters

    def test_bad_filter_values_are_ignored(self, client):
        response = client.get(reverse("referentiels:titre_list"), {"niveau": "12", "page": "abc"})
        assert response.status_code == 200
        assert len(_rows(response)) == 4

    def test_one_bad_filter_does_not_drop_the_others(self, client):
        response = client.get(reverse("referentiels:titre_list"), {"q": "macon", "niveau": "12"})
        assert [r[1] for r in _rows(response)] == ["MAC"]


class TestTitreDetail:
    def test_detail_shows_ccps_dates_versions_and_correspondences(self, client):
        old = TitreProfessionnelFactory(
            intitule="Maçon",
            sigle="MAC",
            code_rncp="RNCP435",
            with_ccps=2,
            start_date=dt.date(2016, 2, 22),
            end_date=dt.date(2021, 2, 22),
        )
        new = TitreProfessionnelFactory(
            intitule="Maçon",
            sigle="MAC",
            code_rncp="RNCP35309",
            predecessor=old,
            start_date=dt.date(2021, 2, 22),
            end_date=None,
        )
        ccp = CcpFactory(titre=new, intitule="Construire des ouvrages en maçonnerie")
        ccp.correspond_to.add(old.ccps.get(order=1))
        CcsFactory(titre=new, intitule="Spécialisation test")
        response = client.get(reverse("referentiels:titre_detail", args=[new.public_id]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Construire des ouvrages en maçonnerie" in html
        assert "correspond à CCP1" in html
        assert "Spécialisation test" in html
        assert reverse("referentiels:titre_detail", args=[old.public_id]) in html
        assert "22/02/2021" in html
        old_html = client.get(reverse("referentiels:titre_detail", args=[old.public_id])).content.decode()
        assert "remplacé par CCP1" in old_html
        assert reverse("referentiels:titre_detail", args=[new.public_id]) in old_html
        assert "Terminé" in old_html

    def test_prolongation_dates_shown(self, client):
        tai = TitreProfessionnelFactory(end_date=dt.date(2025, 9, 1), start_date=None)
        html = client.get(reverse("referentiels:titre_detail", args=[tai.public_id])).content.decode()
        assert "En prolongation" in html
        assert "01/09/2026" in html and "01/09/2027" in html

    def test_not_printable_title_explains_why(self, client):
        fiche = TitreProfessionnelFactory(intitule="", sigle="", niveau=None, nsf=[], code_rncp="RNCP183")
        response = client.get(reverse("referentiels:titre_detail", args=[fiche.public_id]))
        html = response.content.decode()
        assert "ne peut pas être imprimée" in html
        assert "Code NSF manquant" in html
        # Same words as the list, with the code that tells nameless fiches apart.
        assert BeautifulSoup(html, "html.parser").h1.get_text(strip=True) == "RNCP183 (intitulé non renseigné)"

    def test_unknown_title_is_404(self, client):
        import uuid

        assert client.get(reverse("referentiels:titre_detail", args=[uuid.uuid4()])).status_code == 404


class TestQualite:
    def test_admin_sees_counts_and_reasons(self, client):
        TitreProfessionnelFactory(intitule="Complet")
        TitreProfessionnelFactory(intitule="Sans NSF", nsf=[])
        TitreProfessionnelFactory(intitule="", niveau=None, nsf=[NsfFactory(code="227r")])
        client.force_login(_user("admin_national"))
        response = client.get(reverse("referentiels:qualite"))
        assert response.status_code == 200
        rapport = response.context["rapport"]
        assert (rapport.total, rapport.non_imprimables, rapport.sans_nsf, rapport.sans_intitule) == (3, 2, 1, 1)
        rows = _rows(response)
        assert len(rows) == 2
        assert any("Code NSF manquant" in r[2] for r in rows)

    def test_htmx_pagination_returns_the_table_only(self, client):
        TitreProfessionnelFactory.create_batch(55, nsf=[])
        client.force_login(_user("admin_national"))
        response = client.get(reverse("referentiels:qualite"), {"page": "2"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert "<html" not in html and 'id="qualite-resultats"' in html
        assert len(_rows(response)) == 5

    def test_other_roles_are_refused(self, client):
        client.force_login(_user("agent_ud"))
        assert client.get(reverse("referentiels:qualite")).status_code == 403

    def test_anonymous_sent_to_login(self, client):
        assert client.get(reverse("referentiels:qualite")).status_code == 302

    def test_menu_item_for_admin_only(self, client):
        from ceres.referentiels.menu import items

        assert items(_user("admin_national"))[0]["label"] == "Qualité des titres"
        assert items(_user("agent_dreets")) == []


def test_list_queries_do_not_grow_with_the_page(client, django_assert_max_num_queries):
    TitreProfessionnelFactory.create_batch(25, with_ccps=2)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("referentiels:titre_list")).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_list_page_with_50_titles_is_not_n_plus_1(client, django_assert_max_num_queries):
    TitreProfessionnelFactory.create_batch(3, with_ccps=2)
    few, _ = _queries(client, reverse("referentiels:titre_list"))
    TitreProfessionnelFactory.create_batch(47, with_ccps=2, nsf=["311t", "312t"])
    url = reverse("referentiels:titre_list")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(_rows(response)) == 25  # one page
    assert "50 versions de titre" in BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    many, _ = _queries(client, url)
    second_page, response = _queries(client, url + "?page=2")
    assert few == many == second_page  # every title's NSF codes come from the same prefetch query
    assert len(_rows(response)) == 25


def test_detail_page_queries_do_not_grow_with_ccps_and_versions(client, django_assert_max_num_queries):
    small = TitreProfessionnelFactory(with_ccps=1)
    few, _ = _queries(client, reverse("referentiels:titre_detail", args=[small.public_id]))
    old = TitreProfessionnelFactory(with_ccps=8, nsf=["311t", "312t", "313t"])
    new = TitreProfessionnelFactory(predecessor=old, with_ccps=8)
    TitreProfessionnelFactory.create_batch(3, predecessor=old, with_ccps=2)
    for old_ccp, new_ccp in zip(old.ccps.all(), new.ccps.all(), strict=True):
        new_ccp.correspond_to.add(old_ccp)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("referentiels:titre_detail", args=[old.public_id]))
    assert response.content.decode().count("remplacé par CCP") == 8
    many, _ = _queries(client, reverse("referentiels:titre_detail", args=[new.public_id]))
    assert many <= few + 1  # + the titles of the corresponding CCPs, one query for all of them
