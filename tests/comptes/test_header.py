"""Header and main menu: compact tools (current centre, short name) and DSFR sub-menus grouping each app's pages."""

from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.core.context_processors import nav_entries
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory


def soup_of(client, url):
    return BeautifulSoup(client.get(url).content.decode(), "html.parser")


class TestHeaderTools:
    def test_centre_user_with_several_centres_gets_a_button_and_a_modal(self, client):
        user = UserFactory(gestionnaire_centre=True, first_name="Céline", last_name="Formatrice")
        alpha = CentreFactory(name="Alpha Formation et Compétences du Grand Ouest Lyonnais")
        beta = CentreFactory(name="Beta Compétences")
        MembreCentreFactory(user=user, centre=alpha)
        MembreCentreFactory(user=user, centre=beta)
        client.force_login(user)
        soup = soup_of(client, reverse("www:tableau_de_bord"))

        tools = soup.select_one(".fr-header__tools-links")
        button = tools.select_one("button[aria-controls=ceres-modal-centre]")
        assert button.get_text(strip=True) == alpha.name  # cut by CSS, full in the title
        assert alpha.name in button["title"]
        # The user's short name only; the full name and organisation are in the link's title.
        profile = tools.select_one(f"a[href='{reverse('comptes:profil')}']")
        assert profile.get_text(strip=True) == "Céline"
        assert "Céline Formatrice" in profile["title"]

        # The modal is outside the header (DSFR copies the tools into the mobile menu: no duplicated ids).
        modal = soup.select_one("dialog#ceres-modal-centre")
        assert modal is not None and modal.find_parent("header") is None
        radios = modal.select("input[type=radio][name=centre]")
        assert [r["value"] for r in radios] == [str(alpha.public_id), str(beta.public_id)]
        assert radios[0].has_attr("checked")
        assert modal.select_one("form")["action"] == reverse("comptes:centre_courant")

    def test_single_centre_is_shown_as_a_link_without_switch(self, client):
        user = UserFactory(gestionnaire_centre=True)
        centre = CentreFactory(name="Unique")
        MembreCentreFactory(user=user, centre=centre)
        client.force_login(user)
        soup = soup_of(client, reverse("www:tableau_de_bord"))
        link = soup.select_one(".fr-header__tools-links a.fr-icon-building-line")
        assert link["href"] == reverse("centres:centre_detail", args=[centre.public_id])
        assert soup.select_one("#ceres-modal-centre") is None

    def test_agents_have_no_centre_tool(self, client):
        client.force_login(UserFactory(agent_ud=True))
        soup = soup_of(client, reverse("www:tableau_de_bord"))
        assert soup.select_one(".fr-header__tools-links .fr-icon-building-line") is None


class TestMainMenu:
    def test_an_app_with_several_pages_gets_a_sub_menu(self, client):
        client.force_login(UserFactory(admin_national=True))
        soup = soup_of(client, reverse("centres:centre_list"))
        nav = soup.select_one("#fr-navigation")
        groups = {b.get_text(strip=True): b for b in nav.select("button.fr-nav__btn")}
        assert {"Référentiels", "Centres et agréments"} <= set(groups)
        centres = nav.select_one("#" + groups["Centres et agréments"]["aria-controls"])
        assert "fr-menu" in centres["class"]
        labels = [a.get_text(strip=True) for a in centres.select("a.fr-nav__link")]
        assert "Centres" in labels and "Import VALCE" in labels
        # The page shown is marked, and so is its group.
        assert groups["Centres et agréments"].get("aria-current") == "true"
        assert centres.select_one("a[aria-current=page]").get_text(strip=True) == "Centres"
        # « Mon compte » is the user's name in the header tools, not repeated in the menu.
        assert "Mon compte" not in nav.get_text()

    def test_anonymous_menu_has_the_public_pages(self, client):
        nav = soup_of(client, reverse("www:accueil")).select_one("#fr-navigation")
        labels = [a.get_text(strip=True) for a in nav.select("a.fr-nav__link")]
        assert labels == ["Accueil", "Titres professionnels", "Communes"]


def test_nav_entries_group_only_apps_with_several_items():
    entries = nav_entries(
        [
            ("ceres.comptes", [{"label": "Mon compte", "url": "/compte/"}]),
            ("ceres.jurys", [{"label": "Jurés à convoquer", "url": "/jurys/a-convoquer/"}]),
            (
                "ceres.examens",
                [{"label": "Sessions d'examen", "url": "/sessions/"}, {"label": "Nouvelle session", "url": "/n/"}],
            ),
        ],
        "/sessions/",
    )
    assert entries == [
        {"label": "Jurés à convoquer", "url": "/jurys/a-convoquer/", "current": False},
        {
            "label": "Sessions",
            "id": "menu-examens",
            "children": [
                {"label": "Sessions d'examen", "url": "/sessions/", "current": True},
                {"label": "Nouvelle session", "url": "/n/", "current": False},
            ],
            "current": True,
        },
    ]
