from django.urls import reverse

from ceres.statistiques import selectors


def items(user):
    if selectors.scope_q(user) is None:
        return []
    return [{"label": "Statistiques", "url": reverse("statistiques:index")}]
