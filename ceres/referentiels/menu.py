from django.urls import reverse


def items(user) -> list[dict]:
    """The titles list is already in the header for everyone; data quality and parameters are for national admins."""
    if getattr(user, "is_authenticated", False) and user.is_admin_national:
        return [
            {"label": "Qualité des titres", "url": reverse("referentiels:qualite")},
            {"label": "Paramètres nationaux", "url": reverse("referentiels:parametre_list")},
        ]
    return []
