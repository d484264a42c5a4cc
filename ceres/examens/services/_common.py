"""Helpers shared by the services of the sessions app."""

from django.core.exceptions import ValidationError

from ceres.examens.models import SessionExamen


def refuse(errors):
    if errors:
        raise ValidationError(errors)


def lock(session: SessionExamen) -> SessionExamen:
    return SessionExamen.objects.select_for_update().get(pk=session.pk)
