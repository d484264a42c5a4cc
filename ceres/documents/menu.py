from django.urls import reverse


def items(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    result = []
    if user.is_agent_ud:
        # Parchemins are printed per validated session of the agent's département.
        result.append({"label": "Parchemins à imprimer", "url": reverse("examens:session_list") + "?status=validee"})
    if user.is_agent_ud or user.is_agent_dreets or user.is_admin_national:
        result.append({"label": "Journal des impressions", "url": reverse("documents:impressions")})
    result.append({"label": "Vérifier un diplôme", "url": reverse("documents:verify_search")})
    return result
