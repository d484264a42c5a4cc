from django.urls import reverse


def items(user):
    if not user.is_authenticated:
        return []
    if user.is_gestionnaire_centre:
        return [
            {"label": "Mes agréments", "url": reverse("centres:mes_agrements")},
            {"label": "Mes centres", "url": reverse("centres:centre_list")},
        ]
    if user.is_agent_dreets:
        return [
            {"label": "Instruction des agréments", "url": reverse("centres:agrement_list")},
            {"label": "Fins d'agrément", "url": reverse("centres:agrement_alerts")},
            {"label": "Centres", "url": reverse("centres:centre_list")},
            {"label": "Import VALCE", "url": reverse("centres:valce_import")},
        ]
    if user.is_admin_national:
        return [
            {"label": "Agréments", "url": reverse("centres:agrement_list")},
            {"label": "Fins d'agrément", "url": reverse("centres:agrement_alerts")},
            {"label": "Centres", "url": reverse("centres:centre_list")},
            {"label": "Import VALCE", "url": reverse("centres:valce_import")},
        ]
    if user.is_agent_ud:
        return [
            {"label": "Agréments", "url": reverse("centres:agrement_list")},
            {"label": "Centres", "url": reverse("centres:centre_list")},
        ]
    return []
