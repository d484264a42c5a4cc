"""Permission matrix of the titles pages (public open data) and of the national administrator's pages (quality
report, national parameters)."""

import uuid

from tests.permissions.matrix import Case, everyone, logged_in
from tests.referentiels.factories import TitreProfessionnelFactory


def cases(world):
    titre = TitreProfessionnelFactory(with_ccps=2)
    parametre = {"code": "DELAI_PROLONGATION_MOIS"}
    return [
        Case("referentiels:titre_list", expected=everyone(200)),
        Case("referentiels:titre_list", expected=everyone(200), headers={"HX-Request": "true"}, label="htmx"),
        Case("referentiels:titre_list", expected=everyone(405), method="post", data={}),
        Case("referentiels:titre_detail", kwargs={"public_id": titre.public_id}, expected=everyone(200)),
        Case("referentiels:titre_detail", kwargs={"public_id": uuid.uuid4()}, expected=everyone(404), label="inconnu"),
        Case("referentiels:qualite", expected=logged_in(403, admin_national=200)),
        Case("referentiels:qualite", expected=logged_in(403, admin_national=405), method="post", data={}),
        Case("referentiels:parametre_list", expected=logged_in(403, admin_national=200)),
        Case("referentiels:parametre_list", expected=logged_in(403, admin_national=405), method="post", data={}),
        Case("referentiels:parametre_update", kwargs=parametre, expected=logged_in(403, admin_national=200)),
        Case(
            "referentiels:parametre_update",
            kwargs={"code": "INCONNU"},
            expected=logged_in(403, admin_national=404),
            label="inconnu",
        ),
        # An invalid value: the form is shown again (no write), so the matrix leaves the parameter as it is.
        Case(
            "referentiels:parametre_update",
            kwargs=parametre,
            expected=logged_in(403, admin_national=200),
            method="post",
            data={"value": "-1"},
        ),
    ]
