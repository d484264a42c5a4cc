from django.urls import reverse


def items(user) -> list[dict]:
    """The titles list is already in the header for everyone; the data-quality report is for national admins."""
    if getattr(user, "is_authenticated", False) and user.is_admin_national:
        return [{"label": "Qualité des titres", "url": reverse("referentiels:qualite")}]
    return []
