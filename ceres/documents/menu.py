from django.urls import reverse


def items(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"label": "Vérifier un parchemin", "url": reverse("documents:verify_search")}]
