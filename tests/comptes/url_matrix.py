from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.permissions.matrix import Case, everyone, logged_in


def cases(world):
    centre = CentreFactory(departement=world.departement)
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre)
    MembreCentreFactory(
        user=world.users["gestionnaire_autre_centre"], centre=CentreFactory(departement=world.departement)
    )
    switch = {"centre": str(centre.public_id)}
    return [
        Case("comptes:profil", expected=logged_in(200)),
        Case("comptes:login", expected=everyone(302, anonyme=200)),
        # ProConnect is off unless configured (its end-to-end test: tests/comptes/test_proconnect.py).
        Case("comptes:proconnect_login", expected=everyone(404)),
        Case("comptes:proconnect_callback", expected=everyone(404)),
        Case("comptes:logout", expected=everyone(405)),
        Case("comptes:logout", method="post", expected=everyone(302)),
        Case("comptes:centre_courant", expected=logged_in(405)),
        Case(
            "comptes:centre_courant",
            method="post",
            data=switch,
            # Another centre's user asking for this centre: outside their scope (404); other roles: forbidden (403).
            expected=logged_in(403, gestionnaire_centre=302, gestionnaire_autre_centre=404),
        ),
        Case("comptes:password_change", expected=logged_in(200)),
        Case("comptes:password_change_done", expected=logged_in(200)),
        Case("comptes:password_reset", expected=everyone(200)),
        Case("comptes:password_reset_done", expected=everyone(200)),
        Case(
            "comptes:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "lien-invalide"}, expected=everyone(200)
        ),
        Case("comptes:password_reset_complete", expected=everyone(200)),
    ]
