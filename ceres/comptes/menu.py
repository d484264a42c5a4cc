from django.urls import reverse


def items(user):
    return [{"label": "Mon compte", "url": reverse("comptes:profil")}]
