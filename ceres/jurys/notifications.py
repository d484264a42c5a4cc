"""What jurors and their UD are told: a habilitation nearing its effective end (24-month rule included)."""

import datetime

from django.db.models import Q
from django.urls import reverse

from ceres.centres.notifications import centre_users
from ceres.comptes.recipients import ud_agents
from ceres.core.dates import add_months, fr_date
from ceres.jurys import selectors
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation
from ceres.notifications.enums import Sorte
from ceres.notifications.services import notify
from ceres.referentiels import parametres


def end_alerts(today: datetime.date) -> int:
    """Active habilitations whose *effective* end (end of life + 24 months if extended) falls within the window."""
    limit = add_months(today, parametres.get("ALERTE_FIN_AGREMENT_MOIS"))
    # The effective end is never before the recorded end: only rows recorded to end by `limit` or at the title's
    # end of life can be concerned, the rule then decides.
    candidates = (
        Habilitation.objects.active()
        .filter(Q(end_date__lte=limit) | Q(end_date__isnull=True))
        .select_related("membre__user", "titre", "ud")
    )
    sent = 0
    for habilitation in candidates:
        effective = selectors.effective_end_of(habilitation)
        end = effective.date
        if end is None or not today <= end <= limit:
            continue
        membre, titre = habilitation.membre, habilitation.titre
        recipients = list(ud_agents(habilitation.ud.departement_id))
        if membre.user_id:
            recipients.append(membre.user)
        extension = " (prolongée après la fin de vie du titre)" if effective.extended else ""
        sent += len(
            notify(
                recipients,
                kind=Sorte.ECHEANCE_HABILITATION,
                key=f"echeance_habilitation:{habilitation.pk}:{end}",
                title=f"Habilitation se terminant le {fr_date(end)} : {membre.birth_name} — {titre.display_name}",
                body=(
                    f"L'habilitation de {membre.birth_name} pour le titre « {titre.display_name} » prend fin le "
                    f"{fr_date(end)}{extension}. Après cette date, ce membre ne pourra plus être convoqué à un jury "
                    "de ce titre sans nouvelle habilitation par l'unité départementale."
                ),
                link=reverse("jurys:habilitation_detail", args=[habilitation.public_id]),
            )
        )
    return sent


def convened_juror_unavailable(habilitation: Habilitation, today: datetime.date) -> int:
    """A suspended or withdrawn habilitation blocks the sessions its juror is convened to (DOMAIN §7 R4): each of
    their centres is told at once, rather than at the next step that refuses the jury. The UD's reason stays with the
    UD and the juror (docs/decisions/0008)."""
    if habilitation.status == StatutHabilitation.ACTIVE:
        return 0
    membre, titre = habilitation.membre, habilitation.titre
    what = "retirée" if habilitation.status == StatutHabilitation.RETIREE else "suspendue"
    sent = 0
    for convocation in selectors.convocations_relying_on(habilitation, today):
        session = convocation.session
        sent += len(
            notify(
                centre_users(session.centre_id),
                kind=Sorte.JURE_INDISPONIBLE,
                key=f"jure_indisponible:{habilitation.pk}:{habilitation.status}:{session.pk}",
                title=f"Jury à recomposer : {membre.first_names} {membre.birth_name}, session du "
                f"{fr_date(session.start_date)}",
                body=(
                    f"L'habilitation de {membre.first_names} {membre.birth_name} pour le titre "
                    f"« {titre.display_name} » a été {what} par l'unité départementale. Ce membre est convoqué au "
                    f"jury de la session du {fr_date(session.start_date)} ({session.site.name}). Tant que le jury ne "
                    "compte pas deux membres habilités chaque jour, la session ne peut être ni ouverte, ni ses "
                    "résultats transmis, ni validée : retirez ce membre du jury et convoquez-en un autre."
                ),
                link=reverse("examens:session_detail", args=[session.public_id]),
            )
        )
    return sent
