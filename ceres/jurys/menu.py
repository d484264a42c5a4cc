from django.urls import reverse

from ceres.jurys import perms


def items(user) -> list[dict]:
    result = []
    if perms.can_list_membres(user):
        result.append({"label": "Membres de jury", "url": reverse("jurys:membre_list")})
    if perms.can_convene(user):
        result.append({"label": "Jurés à convoquer", "url": reverse("jurys:a_convoquer")})
    if perms.is_juror(user):
        result.append({"label": "Mes habilitations", "url": reverse("jurys:mon_espace")})
    return result
