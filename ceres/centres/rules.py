"""Pure rules on agréments (no database). Sources in comments.

- Arrêté du 21 juillet 2016 relatif aux modalités d'agrément (modified 1 Oct 2024): an agrément is a decision of the
  préfet de région for one title x one site x one period (DOMAIN.md §3.1).
- Release note CERES 1.2 / DOMAIN.md §7 R5: a decision "acceptée" means status "valide" within its dates
  (the v1.2 bug showed imported VALCE "acceptée" agréments as "en cours d'instruction").
- DOMAIN.md §3.1: the end date cannot exceed the title's end of life; a CCS agrément is only granted to a centre
  already agreed for the parent title.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from ceres.centres.enums import DecisionAgrement, StatutAgrement
from ceres.core.dates import fr_date, runs_to_end_of_life


def agrement_status(
    decision: str, start_date: datetime.date | None, end_date: datetime.date | None, today: datetime.date
) -> StatutAgrement:
    """Displayed status, derived from the decision and the period [start_date, end_date] (both days included)."""
    if decision == DecisionAgrement.EN_INSTRUCTION:
        return StatutAgrement.EN_COURS_INSTRUCTION
    if decision == DecisionAgrement.REFUSEE:
        return StatutAgrement.REFUSEE
    if decision == DecisionAgrement.CLASSEE_SANS_SUITE:
        return StatutAgrement.CLASSEE_SANS_SUITE
    if decision == DecisionAgrement.RETIREE:
        return StatutAgrement.RETIREE
    if decision == DecisionAgrement.ACCEPTEE:
        if start_date and today < start_date:
            return StatutAgrement.A_VENIR
        if end_date and today > end_date:
            return StatutAgrement.EXPIREE
        return StatutAgrement.VALIDE
    raise ValueError(f"Décision d'agrément inconnue : {decision!r}")


# What each status allows, shown to centre users next to the badge.
STATUT_ALLOWS = {
    StatutAgrement.EN_COURS_INSTRUCTION: "Aucune session possible tant que la DREETS n'a pas accepté la demande.",
    StatutAgrement.A_VENIR: "Sessions possibles seulement pour des dates comprises dans la période de l'agrément.",
    StatutAgrement.VALIDE: "Permet de créer des sessions titre et CCP de ce titre sur ce site, dans la période.",
    StatutAgrement.EXPIREE: "Plus aucune nouvelle session (hors délai de prolongation prévu par la réglementation).",
    StatutAgrement.REFUSEE: "Aucune session possible : la demande a été refusée.",
    StatutAgrement.CLASSEE_SANS_SUITE: "Aucune session possible : la demande a été classée sans suite.",
    StatutAgrement.RETIREE: "Aucune session possible : l'agrément a été retiré.",
}


def status_allows(statut: StatutAgrement, *, is_ccs: bool = False) -> str:
    text = STATUT_ALLOWS[statut]
    if is_ccs and statut == StatutAgrement.VALIDE:
        return "Permet de créer des sessions CCS de ce certificat sur ce site, dans la période."
    return text


def agrement_allows(
    statut: StatutAgrement,
    *,
    titre: str,
    site: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    ccs: str = "",
) -> str:
    """What this very agrément allows, in words a centre user acts on (which sessions, where, until when)."""
    what = f"des sessions du CCS « {ccs} »" if ccs else f"des sessions titre et CCP du titre « {titre} »"
    where = f"sur le site « {site} »"
    if statut == StatutAgrement.VALIDE:
        return f"Permet de créer {what} {where}, jusqu'au {fr_date(end_date, '?')} inclus."
    if statut == StatutAgrement.A_VENIR:
        return (
            f"Permettra de créer {what} {where}, du {fr_date(start_date, '?')} au {fr_date(end_date, '?')} inclus : "
            "aucune session avant le début."
        )
    if statut == StatutAgrement.EXPIREE:
        return (
            f"A expiré le {fr_date(end_date, '?')} : plus aucune nouvelle session {where} "
            "(hors délai de prolongation)."
        )
    return STATUT_ALLOWS[statut]


@dataclass(frozen=True)
class AgrementFacts:
    decision: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    titre_id: int | None
    site_id: int | None
    centre_id: int | None
    ccs_id: int | None = None
    decision_date: datetime.date | None = None


NO_AGREMENT = "Aucun agrément accepté pour ce titre sur ce site."


def agrement_covers(
    facts: AgrementFacts | None,
    *,
    days: Iterable[datetime.date],
    centre_id: int | None = None,
    site_id: int | None = None,
    titre_id: int | None = None,
    ccs_id: int | None = None,
    extended_end_date: datetime.date | None = None,
    titre_end_date: datetime.date | None = None,
) -> list[str]:
    """Is this agrément valid for (centre, site, title[, CCS]) on every one of these days?

    Empty list = yes. Otherwise French reasons. `extended_end_date` lets the session rules apply an end-of-life
    extension (délai de prolongation, CFA/CRP 24 months) decided elsewhere; it never shortens the agrément.
    When `titre_end_date` is given, the extension only applies to an agrément that ran until the title's end of
    life (DOMAIN.md §3.5: "centres whose agrément ran until that date").
    """
    if facts is None:
        return [NO_AGREMENT]
    reasons: list[str] = []
    if centre_id is not None and facts.centre_id != centre_id:
        reasons.append("L'agrément appartient à un autre centre.")
    if site_id is not None and facts.site_id != site_id:
        reasons.append("L'agrément ne porte pas sur ce site : une session n'est possible que sur le site agréé.")
    if titre_id is not None and facts.titre_id != titre_id:
        reasons.append("L'agrément ne porte pas sur ce titre (ou sur une autre version du titre).")
    if ccs_id is not None and facts.ccs_id != ccs_id:
        reasons.append("L'agrément ne porte pas sur ce CCS : un CCS demande son propre agrément.")
    if ccs_id is None and facts.ccs_id is not None and titre_id is not None:
        reasons.append("Cet agrément ne vaut que pour le CCS, pas pour le titre.")
    if facts.decision == DecisionAgrement.EN_INSTRUCTION:
        reasons.append("La demande d'agrément est encore en cours d'instruction.")
    elif facts.decision == DecisionAgrement.REFUSEE:
        reasons.append("La demande d'agrément a été refusée.")
    elif facts.decision == DecisionAgrement.CLASSEE_SANS_SUITE:
        reasons.append("La demande d'agrément a été classée sans suite.")
    elif facts.decision == DecisionAgrement.RETIREE:
        when = f" le {fr_date(facts.decision_date, '?')}" if facts.decision_date else ""
        reasons.append(f"L'agrément a été retiré{when}.")
    elif facts.decision == DecisionAgrement.ACCEPTEE:
        end = facts.end_date
        # Same reading as jurys.rules.habilitation_effective_end (ceres.core.dates, docs/decisions/0003).
        ran_to_end_of_life = titre_end_date is None or end is None or runs_to_end_of_life(end, titre_end_date)
        if extended_end_date and ran_to_end_of_life and (end is None or extended_end_date > end):
            end = extended_end_date
        for day in sorted(set(days)):
            if facts.start_date and day < facts.start_date:
                reasons.append(
                    f"L'agrément ne couvre pas le {fr_date(day, '?')} : "
                    f"il ne commence que le {fr_date(facts.start_date, '?')}."
                )
            elif end and day > end:
                reasons.append(
                    f"L'agrément a expiré le {fr_date(end, '?')} : il ne couvre pas le {fr_date(day, '?')}."
                )
    else:
        reasons.append(f"Décision d'agrément inconnue : « {facts.decision} ».")
    return reasons


def period_errors(
    *,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    titre_end_date: datetime.date | None,
    titre_label: str = "du titre",
) -> list[str]:
    errors = []
    if start_date is None:
        errors.append("La date de début de l'agrément est obligatoire.")
    if end_date is None:
        errors.append("La date de fin de l'agrément est obligatoire.")
    if start_date and end_date and end_date < start_date:
        errors.append(
            f"La date de fin ({fr_date(end_date, '?')}) est antérieure "
            f"à la date de début ({fr_date(start_date, '?')})."
        )
    if end_date and titre_end_date and end_date > titre_end_date:
        errors.append(
            f"La date de fin ({fr_date(end_date, '?')}) dépasse la fin de vie {titre_label} "
            f"({fr_date(titre_end_date, '?')}) : "
            "un agrément ne peut pas aller au-delà."
        )
    return errors


def narrowing_errors(
    *,
    requested_start: datetime.date,
    requested_end: datetime.date,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> list[str]:
    """When accepting, the DREETS may shorten the requested period, never grant days the centre did not ask for."""
    errors = []
    if start_date and start_date < requested_start:
        errors.append(
            f"Le début accordé ({fr_date(start_date, '?')}) précède "
            f"le début demandé ({fr_date(requested_start, '?')}) : "
            "l'acceptation peut seulement réduire la période demandée."
        )
    if end_date and end_date > requested_end:
        errors.append(
            f"La fin accordée ({fr_date(end_date, '?')}) dépasse la fin demandée ({fr_date(requested_end, '?')}) : "
            "l'acceptation peut seulement réduire la période demandée."
        )
    return errors


def ccs_request_errors(*, is_ccs: bool, parent_statuses: Iterable[StatutAgrement]) -> list[str]:
    """A CCS request needs the parent title's agrément on the same site: granted, upcoming or being instructed."""
    if not is_ccs:
        return []
    ok = (StatutAgrement.VALIDE, StatutAgrement.A_VENIR, StatutAgrement.EN_COURS_INSTRUCTION)
    if any(s in ok for s in parent_statuses):
        return []
    return [
        "Un agrément CCS exige l'agrément du titre correspondant sur ce site : "
        "demandez d'abord l'agrément du titre (les deux demandes peuvent être instruites ensemble)."
    ]


def request_overlap_errors(
    *,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    existing: Iterable[tuple[str, datetime.date | None, datetime.date | None]],
) -> list[str]:
    """A new request must not overlap a request being instructed or an agrément granted for the same scope.

    `existing`: (decision, start, end) of the agréments of the same centre, site, title version and CCS.
    Refused, classed or withdrawn ones do not block a new request; a renewal starts the day after the current end.
    """
    if start_date is None or end_date is None:
        return []
    errors = []
    for decision, start, end in existing:
        if start is None or end is None or start > end_date or end < start_date:
            continue
        if decision == DecisionAgrement.EN_INSTRUCTION:
            errors.append(
                f"Une demande pour ce titre sur ce site, du {fr_date(start, '?')} au {fr_date(end, '?')}, "
                "est déjà en cours "
                "d'instruction : attendez la décision de la DREETS."
            )
        elif decision == DecisionAgrement.ACCEPTEE:
            errors.append(
                f"Un agrément accordé du {fr_date(start, '?')} au {fr_date(end, '?')} "
                "couvre déjà une partie de cette période : "
                f"un renouvellement commence au plus tôt le {fr_date(end + datetime.timedelta(days=1), '?')}."
            )
    return errors


def member_invite_errors(*, email: str, already_member: bool, pending: bool) -> list[str]:
    """Inviting someone to a centre. Nothing here depends on whether an account has this address: the answer must
    not tell the centre which addresses have an account, nor their role (issue #16)."""
    if already_member:
        return [f"« {email} » est déjà membre de ce centre."]
    if pending:
        return [f"Une invitation est déjà en attente pour « {email} »."]
    return []


def invitation_answer_errors(*, pending: bool, is_gestionnaire: bool, is_active: bool) -> list[str]:
    """Only the invited person, with an active centre-manager account, answers a pending invitation."""
    if not pending:
        return ["Cette invitation a déjà reçu une réponse."]
    if not (is_gestionnaire and is_active):
        return ["Seul un compte actif de gestionnaire de centre peut rejoindre un centre."]
    return []


def member_remove_errors(*, is_admin: bool, admins_count: int, by_dreets: bool) -> list[str]:
    """A centre must keep an administrator, unless the DREETS itself changes the members."""
    if is_admin and admins_count <= 1 and not by_dreets:
        return [
            "Le dernier administrateur du centre ne peut pas être retiré : "
            "nommez d'abord un autre administrateur (ou demandez-le à la DREETS)."
        ]
    return []


def ccs_errors(*, is_ccs: bool, parent_statuses: Iterable[StatutAgrement]) -> list[str]:
    """A CCS agrément needs a valid (or upcoming) agrément of the parent title for the same centre and site."""
    if not is_ccs:
        return []
    if any(s in (StatutAgrement.VALIDE, StatutAgrement.A_VENIR) for s in parent_statuses):
        return []
    return ["Un agrément CCS exige un agrément valide du titre correspondant pour ce centre et ce site."]


# Allowed decisions from each current decision (instruction by the DREETS).
TRANSITIONS: dict[str, set[str]] = {
    DecisionAgrement.EN_INSTRUCTION: {
        DecisionAgrement.ACCEPTEE,
        DecisionAgrement.REFUSEE,
        DecisionAgrement.CLASSEE_SANS_SUITE,
    },
    DecisionAgrement.ACCEPTEE: {DecisionAgrement.RETIREE},
    DecisionAgrement.REFUSEE: set(),
    DecisionAgrement.CLASSEE_SANS_SUITE: set(),
    DecisionAgrement.RETIREE: set(),
}
REASON_REQUIRED = {DecisionAgrement.REFUSEE, DecisionAgrement.RETIREE, DecisionAgrement.CLASSEE_SANS_SUITE}


def decision_errors(
    current: str,
    new: str,
    *,
    reason: str = "",
    decision_date: datetime.date | None = None,
    today: datetime.date | None = None,
    previous_decision_date: datetime.date | None = None,
) -> list[str]:
    labels = dict(DecisionAgrement.choices)
    errors = []
    if decision_date and previous_decision_date and decision_date < previous_decision_date:
        errors.append(
            f"La date de la décision ({fr_date(decision_date, '?')}) précède la décision précédente sur cet agrément "
            f"({fr_date(previous_decision_date, '?')})."
        )
    if decision_date and today and decision_date > today:
        # The status changes as soon as the decision is recorded: a future date would misdate it.
        errors.append(
            f"La date de la décision ({fr_date(decision_date, '?')}) est dans le futur : "
            "enregistrez la décision le jour où elle est prise."
        )
    if new not in TRANSITIONS.get(current, set()):
        errors.append(f"Impossible de passer de « {labels.get(current, current)} » à « {labels.get(new, new)} ».")
    if new in REASON_REQUIRED and not (reason or "").strip():
        errors.append(f"Un motif est obligatoire pour la décision « {labels.get(new, new)} ».")
    return errors
