"""What a centre is told: the decision on its agrément, an agrément or a title nearing its end."""

import datetime

from django.db.models import QuerySet
from django.urls import reverse

from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement
from ceres.comptes.models import User
from ceres.core.dates import add_months, fr_date, last_day_after_end_of_life, runs_to_end_of_life
from ceres.notifications.enums import Sorte
from ceres.notifications.services import notify
from ceres.referentiels import parametres
from ceres.referentiels.models import TitreProfessionnel


def centre_users(centre_id) -> QuerySet[User]:
    return User.objects.filter(is_active=True, centre_memberships__centre_id=centre_id)


def _after_end_of_life(titre: TitreProfessionnel, *, general: int, cfa_crp: int) -> str:
    """What centres may still do after a title's end of life (DOMAIN §3.5, R3), with the last days counted from its
    last valid day (ceres.core.dates, docs/decisions/0003)."""
    if titre.end_date is None:
        return ""
    return (
        f"Les sessions du délai de prolongation ({general} mois, jusqu'au "
        f"{fr_date(last_day_after_end_of_life(titre.end_date, general))}, pour les candidats éligibles) doivent être "
        f"enregistrées dans CERES avant le {fr_date(titre.end_date)} ; les CFA et les CRP peuvent en créer jusqu'au "
        f"{fr_date(last_day_after_end_of_life(titre.end_date, cfa_crp))} ({cfa_crp} mois)."
    )


def agrement_decided(agrement: Agrement) -> None:
    titre = agrement.titre.display_name
    body = (
        f"La demande d'agrément de {agrement.centre.name} pour le titre « {titre} » ({agrement.site.name}) a reçu "
        f"la décision « {agrement.get_decision_display().lower()} » le {fr_date(agrement.decision_date)}."
    )
    if agrement.decision == DecisionAgrement.ACCEPTEE:
        body += f" Période : du {fr_date(agrement.start_date)} au {fr_date(agrement.end_date)}."
    if agrement.decision_reason:
        body += f" Motif : {agrement.decision_reason}"
    notify(
        centre_users(agrement.centre_id),
        kind=Sorte.AGREMENT_DECIDE,
        key=f"agrement_decide:{agrement.pk}:{agrement.decision}:{agrement.decision_date}",
        title=f"Agrément {agrement.get_decision_display().lower()} : {titre}",
        body=body,
        link=reverse("centres:agrement_detail", args=[agrement.public_id]),
    )


def end_alerts(today: datetime.date) -> int:
    """Accepted agréments and titles ending within ALERTE_FIN_AGREMENT_MOIS months, to the centres concerned."""
    limit = add_months(today, parametres.get("ALERTE_FIN_AGREMENT_MOIS"))
    sent = 0
    ending = Agrement.objects.filter(
        decision=DecisionAgrement.ACCEPTEE, end_date__gte=today, end_date__lte=limit
    ).select_related("centre", "site", "titre")
    general = parametres.get("DELAI_PROLONGATION_MOIS")
    cfa_crp = parametres.get("PROLONGATION_CFA_CRP_MOIS")
    for agrement in ending:
        titre = agrement.titre
        if runs_to_end_of_life(agrement.end_date, titre.end_date):
            # One reading of the title's last day (docs/decisions/0003): this agrément runs to the end of life and is
            # extended with the délai de prolongation; there is nothing to renew.
            after = _after_end_of_life(titre, general=general, cfa_crp=cfa_crp)
            then = f"L'agrément court jusqu'à la fin de vie du titre. {after}"
        else:
            then = (
                "Pour organiser des sessions après cette date, déposez une demande de renouvellement auprès de la "
                "DREETS."
            )
        sent += len(
            notify(
                centre_users(agrement.centre_id),
                kind=Sorte.ECHEANCE_AGREMENT,
                key=f"echeance_agrement:{agrement.pk}:{agrement.end_date}",
                title=f"Agrément se terminant le {fr_date(agrement.end_date)} : {titre.display_name}",
                body=(
                    f"L'agrément de {agrement.centre.name} ({agrement.site.name}) pour le titre "
                    f"« {titre.display_name} » prend fin le {fr_date(agrement.end_date)}. {then}"
                ),
                link=reverse("centres:agrement_detail", args=[agrement.public_id]),
            )
        )
    for titre in TitreProfessionnel.objects.filter(end_date__gte=today, end_date__lte=limit):
        holders = Agrement.objects.filter(titre=titre, decision=DecisionAgrement.ACCEPTEE, end_date__gte=today)
        users = User.objects.filter(is_active=True, centre_memberships__centre__agrements__in=holders).distinct()
        sent += len(
            notify(
                users,
                kind=Sorte.ECHEANCE_TITRE,
                key=f"echeance_titre:{titre.pk}:{titre.end_date}",
                title=f"Fin de vie du titre le {fr_date(titre.end_date)} : {titre.display_name}",
                body=(
                    f"Le titre « {titre.display_name} » arrive en fin de vie le {fr_date(titre.end_date)}. "
                    + _after_end_of_life(titre, general=general, cfa_crp=cfa_crp)
                ),
                link=reverse("referentiels:titre_detail", args=[titre.public_id]),
            )
        )
    return sent
