from django.urls import reverse

from ceres.examens import perms


def items(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    result = [{"label": "Sessions d'examen", "url": reverse("examens:session_list")}]
    if perms.can_validate_sessions(user):
        result.append({"label": "Sessions à valider", "url": reverse("examens:validations")})
    if perms.can_create_session(user):
        result.append({"label": "Nouvelle session", "url": reverse("examens:session_create")})
    return result
