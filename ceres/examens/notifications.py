"""What a centre and a UD are told when a session changes hands (submitted, validated, returned)."""

from django.urls import reverse

from ceres.centres.notifications import centre_users
from ceres.comptes.recipients import ud_agents
from ceres.examens.enums import StatutSession
from ceres.examens.models import SessionExamen
from ceres.notifications.enums import Sorte
from ceres.notifications.services import notify


def session_status_changed(session: SessionExamen) -> None:
    """Called by every status change (pages, API, commands): one notification per person and transition."""
    label = f"{session.titre.display_name}, session du {session.start_date:%d/%m/%Y} ({session.centre.name})"
    link = reverse("examens:session_detail", args=[session.public_id])
    # updated_at is set by the transition's save: a session returned twice is notified twice, a retry never.
    key = f"{session.status}:{session.pk}:{session.updated_at.isoformat()}"
    centre, ud = centre_users(session.centre_id), ud_agents(session.departement_id)
    messages = {
        StatutSession.VALIDEE: (
            centre,
            Sorte.SESSION_VALIDEE,
            f"Session validée : {label}",
            f"L'unité départementale a validé la session « {label} » (procès-verbal n° {session.pv_number}). "
            "Les titres et certificats sont délivrés ; l'unité départementale imprime les parchemins.",
        ),
        StatutSession.RENVOYEE: (
            centre,
            Sorte.SESSION_RENVOYEE,
            f"Session renvoyée au centre : {label}",
            f"L'unité départementale a renvoyé la session « {label} » au centre. Motif : {session.status_reason}\n"
            "Corrigez ce qui est demandé puis transmettez de nouveau les résultats.",
        ),
        StatutSession.RESULTATS_SAISIS: (
            ud,
            Sorte.RESULTATS_TRANSMIS,
            f"Résultats à valider : {label}",
            f"Le centre {session.centre.name} a transmis les résultats de la session « {label} » à valider.",
        ),
    }
    if session.status in messages:
        recipients, kind, title, body = messages[session.status]
        notify(recipients, kind=kind, key=key, title=title, body=body, link=link)
