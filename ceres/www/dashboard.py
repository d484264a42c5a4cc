"""Per-role dashboard: a few counts of what waits for the user, each linking to the list that shows the same rows.

Each count goes through the owning app's scoped selector, so a figure never includes objects the list would hide.
One COUNT query per card keeps the page fast whatever the volume.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from ceres.candidats.selectors import doublons_visible_for
from ceres.centres import selectors as centres_selectors
from ceres.centres.enums import DecisionAgrement, StatutAgrement
from ceres.examens.enums import StatutSession
from ceres.examens.models import MembreConvoque
from ceres.examens.selectors import sessions_visible_for
from ceres.referentiels import parametres


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    url: str
    description: str


def _url(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _sessions(user, status: StatutSession, title: str, description: str) -> Card:
    return Card(
        title=title,
        count=sessions_visible_for(user).filter(status=status).count(),
        url=_url("examens:session_list", status=status),
        description=description,
    )


def _agrements_in_instruction(user, title: str, description: str) -> Card:
    return Card(
        title=title,
        count=centres_selectors.agrements_visible_for(user).filter(decision=DecisionAgrement.EN_INSTRUCTION).count(),
        url=_url("centres:agrement_list", statut=StatutAgrement.EN_COURS_INSTRUCTION),
        description=description,
    )


def _agrements_ending(user, today: datetime.date) -> Card:
    months = parametres.get("ALERTE_FIN_AGREMENT_MOIS")
    return Card(
        title="Agréments qui prennent fin bientôt",
        count=centres_selectors.agrements_ending_soon(user, today).count(),
        url=reverse("centres:agrement_alerts"),
        description=f"Agréments accordés dont la fin tombe dans les {months} prochains mois.",
    )


def upcoming_convocations(user, today: datetime.date):
    """A juror's convocations to sessions not finished yet and not cancelled, soonest first."""
    return (
        MembreConvoque.objects.filter(membre__user=user, session__end_date__gte=today)
        .exclude(session__status=StatutSession.ANNULEE)
        .select_related("session__titre", "session__site__commune", "session__centre")
        .order_by("session__start_date", "session_id")
    )


def cards_for(user, today: datetime.date) -> list[Card]:
    if not user.is_authenticated:
        return []
    cards: list[Card] = []
    if user.is_agent_dreets:
        cards.append(
            _agrements_in_instruction(
                user, "Demandes d'agrément à instruire", "Demandes des centres de votre région en attente de décision."
            )
        )
        cards.append(_agrements_ending(user, today))
    if user.is_agent_ud:
        cards.append(
            _sessions(
                user,
                StatutSession.RESULTATS_SAISIS,
                "Sessions à valider",
                "Sessions de votre département dont les résultats sont saisis.",
            )
        )
        cards.append(
            Card(
                title="Doublons de candidats à traiter",
                count=doublons_visible_for(user).count(),
                url=reverse("candidats:doublons"),
                description="Dossiers qui semblent désigner la même personne.",
            )
        )
    if user.is_gestionnaire_centre:
        cards.append(
            _sessions(
                user,
                StatutSession.EN_PREPARATION,
                "Sessions en préparation",
                "Sessions de vos centres dont les convocations ne sont pas encore envoyées.",
            )
        )
        cards.append(
            _sessions(
                user,
                StatutSession.RENVOYEE,
                "Sessions renvoyées au centre",
                "Sessions que l'unité départementale vous a renvoyées pour correction.",
            )
        )
        cards.append(_agrements_ending(user, today))
    if user.is_admin_national:
        cards.append(
            _agrements_in_instruction(
                user, "Demandes d'agrément en instruction", "Toutes régions confondues (consultation)."
            )
        )
        cards.append(
            _sessions(
                user,
                StatutSession.RESULTATS_SAISIS,
                "Sessions en attente de validation",
                "Toutes unités départementales confondues (consultation).",
            )
        )
    if user.is_membre_jury:
        cards.append(
            Card(
                title="Convocations à venir",
                count=upcoming_convocations(user, today).count(),
                url=reverse("jurys:mon_espace"),
                description="Sessions auxquelles vous êtes convoqué(e) comme membre de jury.",
            )
        )
    return cards
