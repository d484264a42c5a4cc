"""Permission matrix of the titles pages: list and detail are public open data; the quality report is for admins."""

import uuid

from tests.permissions.matrix import Case, everyone, logged_in
from tests.referentiels.factories import TitreProfessionnelFactory


def cases(world):
    titre = TitreProfessionnelFactory(with_ccps=2)
    return [
        Case("referentiels:titre_list", expected=everyone(200)),
        Case("referentiels:titre_list", expected=everyone(200), headers={"HX-Request": "true"}, label="htmx"),
        Case("referentiels:titre_list", expected=everyone(405), method="post", data={}),
        Case("referentiels:titre_detail", kwargs={"public_id": titre.public_id}, expected=everyone(200)),
        Case("referentiels:titre_detail", kwargs={"public_id": uuid.uuid4()}, expected=everyone(404), label="inconnu"),
        Case("referentiels:qualite", expected=logged_in(403, admin_national=200)),
        Case("referentiels:qualite", expected=logged_in(403, admin_national=405), method="post", data={}),
    ]
