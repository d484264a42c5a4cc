from django.urls import reverse

from ceres.candidats import perms


def items(user) -> list[dict]:
    result = []
    if perms.can_list(user):
        result.append({"label": "Candidats", "url": reverse("candidats:list")})
    if perms.can_list_doublons(user):
        result.append({"label": "Doublons de candidats", "url": reverse("candidats:doublons")})
    return result
