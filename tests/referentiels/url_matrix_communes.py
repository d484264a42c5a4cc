"""Permission matrix of the commune search page and the public référentiel API: open to everyone."""

from tests.permissions.matrix import Case, everyone


def cases(world):
    return [
        Case(url_name="referentiels:commune_search", expected=everyone(200)),
        Case(url_name="referentiels:commune_search", expected=everyone(200), label="avec recherche"),
        Case(url_name="api:communes", expected=everyone(200)),
        Case(url_name="api:communes", expected=everyone(405), method="post", data={"q": "a"}),
        Case(url_name="api:pays", expected=everyone(200)),
        Case(url_name="api:pays", expected=everyone(405), method="post", data={"q": "a"}),
        Case(url_name="api:titres", expected=everyone(200)),
        Case(url_name="api:titres", expected=everyone(405), method="post", data={"q": "a"}),
    ]
