from django.urls import reverse

from ceres.api import selectors


def items(user):
    if not selectors.can_manage_keys(user):
        return []
    return [{"label": "Clés d'API", "url": reverse("cles_api:list")}]
