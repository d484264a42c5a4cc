from tests.permissions.matrix import Case, everyone, logged_in


def cases(world):
    return [
        Case("www:accueil", expected=everyone(200)),
        Case("www:mentions_legales", expected=everyone(200)),
        Case("www:accessibilite", expected=everyone(200)),
        Case("www:donnees_personnelles", expected=everyone(200)),
        Case("www:tableau_de_bord", expected=logged_in(200)),
    ]
