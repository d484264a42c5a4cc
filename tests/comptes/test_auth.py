import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ceres.comptes.demo import DEMO_PASSWORD
from ceres.comptes.models import User
from tests.comptes.factories import PASSWORD, UserFactory

LOGIN = reverse("comptes:login")


def login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


class TestLogin:
    def test_login_by_email_ignores_case_and_opens_the_dashboard(self, client):
        UserFactory(email="agent@ceres.test", agent_ud=True)
        response = login(client, "Agent@Ceres.test", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("www:tableau_de_bord")
        assert client.get(reverse("www:tableau_de_bord")).status_code == 200

    def test_an_account_saved_with_capitals_logs_in_and_cannot_be_duplicated_by_case(self, client):
        # Accounts made in the admin or by an import used to keep their capitals; a second account differing only
        # by case made every login with that address crash.
        user = User(email=" Camille.Martin@Ceres.test ", role="agent_ud")
        user.ud = UserFactory(agent_ud=True).ud
        user.set_password(PASSWORD)
        user.save()
        assert user.email == "camille.martin@ceres.test"
        assert login(client, "CAMILLE.MARTIN@ceres.test", PASSWORD).status_code == 302
        with pytest.raises(ValidationError, match="Un compte existe déjà avec cette adresse e-mail."):
            User(email="camille.martin@CERES.test").validate_constraints()
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.bulk_create([User(email="Camille.Martin@ceres.test")])

    def test_wrong_password_says_so_in_french(self, client):
        UserFactory(email="agent@ceres.test")
        response = login(client, "agent@ceres.test", "mauvais")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()

    def test_wrong_password_message_states_the_limit_really_applied(self, client, settings):
        settings.CERES_LOGIN_FAILURE_LIMIT = 5
        UserFactory(email="agent@ceres.test")
        html = login(client, "agent@ceres.test", "mauvais").content.decode()
        assert "Après 5 échecs, la connexion est bloquée pendant 30 minutes." in html

    def test_inactive_account_cannot_log_in(self, client):
        UserFactory(email="parti@ceres.test", is_active=False)
        response = login(client, "parti@ceres.test", PASSWORD)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_logged_in_user_visiting_login_is_sent_to_the_dashboard(self, client):
        client.force_login(UserFactory())
        assert client.get(LOGIN)["Location"] == reverse("www:tableau_de_bord")


class TestLockout:
    def test_ten_failures_lock_the_account_even_with_the_right_password(self, client):
        user = UserFactory(email="cible@ceres.test")
        for _ in range(9):
            assert login(client, "cible@ceres.test", "mauvais-mot-de-passe").status_code == 200
        login(client, "cible@ceres.test", "mauvais-mot-de-passe")  # 10th failure

        response = login(client, "cible@ceres.test", PASSWORD)

        assert response.status_code == 429
        html = response.content.decode()
        assert "Compte temporairement verrouillé" in html
        assert "bloquée pendant 30 minutes, même avec le bon mot de passe" in html
        assert "_auth_user_id" not in client.session
        # Other accounts are not affected.
        other = UserFactory(email="autre@ceres.test")
        assert login(client, "autre@ceres.test", PASSWORD).status_code == 302
        assert client.session["_auth_user_id"] == str(other.pk)
        assert user.pk != other.pk

    def test_failures_count_once_per_address_whatever_the_case(self, client):
        UserFactory(email="cible@ceres.test")
        for i in range(10):
            login(client, "CIBLE@ceres.test" if i % 2 else "cible@ceres.test", "mauvais-mot-de-passe")
        assert login(client, "cible@ceres.test", PASSWORD).status_code == 429

    def test_a_success_before_the_limit_resets_the_counter(self, client):
        UserFactory(email="distrait@ceres.test")
        for _ in range(9):
            login(client, "distrait@ceres.test", "mauvais")
        assert login(client, "distrait@ceres.test", PASSWORD).status_code == 302
        client.post(reverse("comptes:logout"))
        for _ in range(9):
            login(client, "distrait@ceres.test", "mauvais")
        assert login(client, "distrait@ceres.test", PASSWORD).status_code == 302

    def test_the_test_client_login_still_works(self, client):
        # authenticate() without a request (test client, shell) is not rate-limited and does not crash.
        UserFactory(email="outil@ceres.test")
        assert client.login(username="outil@ceres.test", password=PASSWORD)


class TestLogoutAndSession:
    def test_logout_is_post_only(self, client):
        client.force_login(UserFactory())
        assert client.get(reverse("comptes:logout")).status_code == 405
        response = client.post(reverse("comptes:logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_session_lasts_one_working_day_and_ends_with_the_browser(self):
        assert settings.SESSION_COOKIE_AGE == 8 * 3600
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


class TestPasswordReset:
    def test_reset_by_email_then_login_with_the_new_password(self, client):
        UserFactory(email="oubli@ceres.test")
        response = client.post(reverse("comptes:password_reset"), {"email": "oubli@ceres.test"})
        assert response["Location"] == reverse("comptes:password_reset_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["oubli@ceres.test"]
        assert "réinitialisation" in message.subject
        assert "Si vous n'êtes pas à l'origine de cette demande" in message.body
        link = re.search(r"http://testserver(/compte/mot-de-passe/reinitialiser/\S+)", message.body).group(1)

        page = client.get(link, follow=True)
        assert page.status_code == 200
        assert "Choisir un nouveau mot de passe" in page.content.decode()
        set_url = page.redirect_chain[-1][0]
        done = client.post(set_url, {"new_password1": "Nouveau-secret-2026!", "new_password2": "Nouveau-secret-2026!"})
        assert done["Location"] == reverse("comptes:password_reset_complete")

        assert login(client, "oubli@ceres.test", "Nouveau-secret-2026!").status_code == 302
        # The link served once.
        client.post(reverse("comptes:logout"))
        assert "plus valable" in client.get(link, follow=True).content.decode()

    def test_unknown_address_gets_the_same_answer_and_no_mail(self, client):
        response = client.post(reverse("comptes:password_reset"), {"email": "inconnu@ceres.test"})
        assert response["Location"] == reverse("comptes:password_reset_done")
        assert mail.outbox == []

    def test_reset_pages_are_public(self, client):
        assert client.get(reverse("comptes:password_reset")).status_code == 200
        assert "Mot de passe oublié" in client.get(LOGIN).content.decode()


class TestPasswordChange:
    def test_weak_password_is_refused_in_french(self, client):
        client.force_login(UserFactory())
        response = client.post(
            reverse("comptes:password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ce mot de passe est trop court" in html
        assert "entièrement numérique" in html

    def test_change_keeps_the_user_logged_in(self, client):
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            reverse("comptes:password_change"),
            {"old_password": PASSWORD, "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD},
        )
        assert response["Location"] == reverse("comptes:password_change_done")
        user.refresh_from_db()
        assert user.check_password(DEMO_PASSWORD)
        assert client.get(reverse("comptes:profil")).status_code == 200


class TestClientAddress:
    def test_forwarded_address_is_used_only_behind_declared_proxies(self, rf, settings):
        from ceres.core.ratelimit import client_ip

        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
        settings.CERES_PROXY_COUNT = 0
        assert client_ip(request) == "10.0.0.1"
        settings.CERES_PROXY_COUNT = 1
        assert client_ip(request) == "203.0.113.7"  # the spoofable left part is ignored
        settings.CERES_PROXY_COUNT = 2
        assert client_ip(request) == "6.6.6.6"
        assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


class TestUnlock:
    def test_national_admin_unlocks_an_account_from_the_admin(self, client):
        UserFactory(email="cible@ceres.test")
        for _ in range(10):
            login(client, "cible@ceres.test", "mauvais")
        assert login(client, "cible@ceres.test", PASSWORD).status_code == 429

        admin_client = type(client)()
        admin_client.force_login(UserFactory(admin_national=True, is_staff=True, is_superuser=True))
        target = UserFactory(email="cible@ceres.test")
        response = admin_client.post(
            reverse("admin:comptes_user_changelist"),
            {"action": "unlock_login", "_selected_action": [target.pk]},
            follow=True,
        )
        assert "Connexion débloquée pour 1 compte(s)." in response.content.decode()
        assert login(client, "cible@ceres.test", PASSWORD).status_code == 302

    def test_reset_lifts_the_lockout_as_the_lockout_page_promises(self, client):
        UserFactory(email="bloque@ceres.test")
        for _ in range(10):
            login(client, "bloque@ceres.test", "mauvais")
        locked = login(client, "bloque@ceres.test", PASSWORD)
        assert locked.status_code == 429
        assert "réinitialisez votre mot de passe" in locked.content.decode()

        client.post(reverse("comptes:password_reset"), {"email": "bloque@ceres.test"})
        link = re.search(r"http://testserver(/compte/mot-de-passe/reinitialiser/\S+)", mail.outbox[0].body).group(1)
        set_url = client.get(link, follow=True).redirect_chain[-1][0]
        client.post(set_url, {"new_password1": "Nouveau-secret-2026!", "new_password2": "Nouveau-secret-2026!"})

        assert login(client, "bloque@ceres.test", "Nouveau-secret-2026!").status_code == 302
