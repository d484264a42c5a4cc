from django.urls import reverse

from ceres.core.journal import journal_for
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory, TitreProfessionnelFactory, UniteDepartementaleFactory


def _admin(client):
    client.force_login(UserFactory(admin_national=True, is_staff=True, is_superuser=True))


class TestAdmin:
    def test_commune_shows_its_word_keys_and_filters_by_event(self, client):
        _admin(client)
        commune = CommuneFactory(name="Saint-Didier-sur-Chalaronne")
        response = client.get(reverse("admin:referentiels_commune_change", args=[commune.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "chalaronne" in page and "didier sur chalaronne" in page
        changelist = client.get(reverse("admin:referentiels_commune_changelist"), {"event": "fusion"})
        assert changelist.status_code == 200

    def test_title_changelist_filters(self, client):
        _admin(client)
        TitreProfessionnelFactory(intitule="Titre complet")
        TitreProfessionnelFactory(intitule="Sans NSF", nsf=[])
        url = reverse("admin:referentiels_titreprofessionnel_changelist")
        shown = [str(t) for t in client.get(url, {"imprimable": "non"}).context["cl"].result_list]
        assert len(shown) == 1 and shown[0].startswith("Sans NSF")
        assert client.get(url, {"statut": "prolongation"}).status_code == 200

    def test_title_edit_updates_search_key_and_journal(self, client):
        _admin(client)
        titre = TitreProfessionnelFactory(intitule="Ancien", with_ccps=1)
        url = reverse("admin:referentiels_titreprofessionnel_change", args=[titre.pk])
        assert client.get(url).status_code == 200
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k not in ("nsf_codes", "predecessor")}
        data.update(
            intitule="Électricien d'équipement",
            nsf_codes=[n.pk for n in titre.nsf_codes.all()],
            start_date="01/01/2021",
            end_date="01/01/2031",
            **{
                "ccps-TOTAL_FORMS": "0",
                "ccps-INITIAL_FORMS": "0",
                "ccs-TOTAL_FORMS": "0",
                "ccs-INITIAL_FORMS": "0",
            },
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        titre.refresh_from_db()
        assert titre.intitule_key == "electricien d equipement"
        assert journal_for(titre).first().changes["intitule"]["après"] == "Électricien d'équipement"

    def test_ud_commune_is_editable(self, client):
        _admin(client)
        ud = UniteDepartementaleFactory()
        assert client.get(reverse("admin:referentiels_unitedepartementale_change", args=[ud.pk])).status_code == 200
        other = CommuneFactory(departement_code=ud.departement.code, name="Autre-Ville")
        response = client.post(
            reverse("admin:referentiels_unitedepartementale_change", args=[ud.pk]),
            {
                "departement": ud.departement.pk,
                "name": ud.name,
                "address": "3 place de la Mairie",
                "postal_code": "01100",
                "commune": other.pk,
                "signatory_quality": ud.signatory_quality,
            },
        )
        assert response.status_code == 302
        ud.refresh_from_db()
        assert ud.commune == other
        assert "commune" in journal_for(ud).first().changes
