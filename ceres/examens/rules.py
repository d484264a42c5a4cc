"""Pure rules of exam sessions: no ORM, no request, no settings. Every refusal is a French sentence.

Sources (DOMAIN.md): release note CERES 1.2 (R3 end of life / CFA-CRP, R4 defaults), arrêté du 22 décembre 2015
(art. 3 délai de prolongation, art. 6 jury of two, art. 9 entretien final, art. 10 UD validation), règlement général
des sessions (arrêté du 21 juillet 2016: re-sit within one year, convocations), code de l'éducation R.338-5
(CCPs acquired for good), R.338-7 (CCS only for title holders).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from ceres.core.dates import add_months, fr_date, last_day_after_end_of_life
from ceres.examens.enums import (
    Decision,
    EntretienFinal,
    ResultatCcpValeur,
    StatutSession,
    TypeSession,
    VoieAcces,
)
from ceres.jurys.rules import MIN_JURY_SIZE, jury_size_errors

# Release note CERES 1.2 §7 R4: the start time is initialised at 08:00 (not the creation time) and the convocation
# at the first declared day at 08:00, so that creation time and convocation times never conflict.
DEFAULT_START_TIME = datetime.time(8, 0)
DEFAULT_CONVOCATION_TIME = datetime.time(8, 0)

CFA_CRP_TYPES = frozenset({"cfa", "crp"})
TRAINING_ROUTES = frozenset({VoieAcces.FORMATION_CONTINUE, VoieAcces.APPRENTISSAGE})


# --- Creation defaults and schedule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    start_date: datetime.date
    end_date: datetime.date
    start_time: datetime.time
    convocation_date: datetime.date
    convocation_time: datetime.time


def default_schedule(today: datetime.date) -> Schedule:
    """R4: start = today at 08:00, one day, convocation = first day at 08:00 (all editable)."""
    return Schedule(today, today, DEFAULT_START_TIME, today, DEFAULT_CONVOCATION_TIME)


def schedule_errors(schedule: Schedule) -> list[str]:
    errors = []
    if schedule.end_date < schedule.start_date:
        errors.append("La date de fin de la session ne peut pas précéder sa date de début.")
    return errors + convocation_after_start_errors(schedule)


def convocation_after_start_errors(schedule: Schedule) -> list[str]:
    start = datetime.datetime.combine(schedule.start_date, schedule.start_time)
    convocation = datetime.datetime.combine(schedule.convocation_date, schedule.convocation_time)
    if convocation > start:
        return [
            f"La convocation ({fr_date(schedule.convocation_date)} à {schedule.convocation_time:%H:%M}) ne peut pas "
            f"être postérieure au début des épreuves ({fr_date(schedule.start_date)} à "
            f"{schedule.start_time:%H:%M}) : les candidats doivent être présents avant le début des épreuves."
        ]
    return []


def session_days(start_date: datetime.date, end_date: datetime.date) -> list[datetime.date]:
    return [start_date + datetime.timedelta(days=i) for i in range((end_date - start_date).days + 1)]


# --- End of life of the title (R3) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Examinability:
    errors: list[str]
    in_prolongation: bool = False  # after the end of life: only eligible candidates may register


def title_examinability(
    *,
    end_of_life: datetime.date | None,
    last_day: datetime.date,
    centre_type: str,
    recorded_on: datetime.date,
    prolongation_months: int = 12,
    cfa_crp_months: int = 24,
) -> Examinability:
    """Can a session whose last day is `last_day` run on a title ending `end_of_life` (exclusive, as referentiels)?

    Arrêté du 22/12/2015 art. 3: délai de prolongation of 12 months, for sessions recorded before the end of life.
    Release note R3: CFA and CRP centres may create sessions up to 24 months after the end of life.
    Both delays count from the title's last valid day (Code de procédure civile art. 641, docs/decisions/0003).
    """
    if end_of_life is None or last_day < end_of_life:
        return Examinability([])
    eol = fr_date(end_of_life)
    cfa_crp_last = last_day_after_end_of_life(end_of_life, cfa_crp_months)
    if centre_type in CFA_CRP_TYPES:
        if last_day <= cfa_crp_last:
            return Examinability([], in_prolongation=True)
        return Examinability(
            [
                f"Le titre a atteint sa fin de vie le {eol} : même un CFA ou un CRP ne peut organiser de session "
                f"que jusqu'au {fr_date(cfa_crp_last)} ({cfa_crp_months} mois après)."
            ]
        )
    prolongation_last = last_day_after_end_of_life(end_of_life, prolongation_months)
    if last_day > prolongation_last:
        extra = (
            f" Seuls les centres de type CFA ou CRP peuvent aller jusqu'à {cfa_crp_months} mois."
            if last_day <= cfa_crp_last
            else ""
        )
        return Examinability(
            [
                f"Le titre a atteint sa fin de vie le {eol} : le délai de prolongation de {prolongation_months} mois "
                f"s'achève le {fr_date(prolongation_last)}.{extra}"
            ]
        )
    if recorded_on >= end_of_life:
        return Examinability(
            [
                f"Le titre a atteint sa fin de vie le {eol} : une session pendant le délai de prolongation doit être "
                f"enregistrée avant cette date. Seuls les centres de type CFA ou CRP peuvent encore en créer une."
            ]
        )
    return Examinability([], in_prolongation=True)


def prolongation_last_day(
    *, end_of_life: datetime.date, centre_type: str, prolongation_months: int, cfa_crp_months: int
) -> datetime.date:
    """Last day a session of this centre may run on a title past its end of life (the agrément is extended to it)."""
    months = cfa_crp_months if centre_type in CFA_CRP_TYPES else prolongation_months
    return last_day_after_end_of_life(end_of_life, months)


def prolongation_eligibility_errors(
    *,
    end_of_life: datetime.date,
    training_start: datetime.date | None,
    failed_or_partial_before: bool,
) -> list[str]:
    """DOMAIN.md §3.5: during the délai de prolongation, only candidates who failed a previous session, are in
    partial success, or whose training started before the end of validity may sit."""
    if failed_or_partial_before or (training_start is not None and training_start < end_of_life):
        return []
    return [
        f"La session a lieu après la fin de vie du titre ({fr_date(end_of_life)}) : seuls les candidats ayant échoué "
        "ou partiellement réussi une session précédente, ou dont la formation a commencé avant cette date, "
        "peuvent s'y présenter."
    ]


# --- Registration ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    session_type: str
    session_start: datetime.date
    route: str
    targeted_ccps: dict[int, str]  # id -> label
    obtained_ccps: frozenset[int] = frozenset()
    has_title: bool = False
    vae_admissibility_date: datetime.date | None = None
    training_start: datetime.date | None = None
    last_failed_or_partial: datetime.date | None = None  # last session on this title ending in échec/partielle
    end_of_life: datetime.date | None = None
    in_prolongation: bool = False
    already_registered: bool = False


def registration_errors(reg: Registration, *, vae_validity_months: int = 12, resit_months: int = 12) -> list[str]:
    errors = []
    if reg.already_registered:
        errors.append("Ce candidat est déjà inscrit à cette session.")
    if reg.session_type == TypeSession.CCS:
        # Code de l'éducation R.338-7: a CCS is only awarded to holders of the title.
        if not reg.has_title:
            errors.append("Une session CCS n'est ouverte qu'aux titulaires du titre professionnel correspondant.")
    else:
        if reg.session_type == TypeSession.CCP and not reg.targeted_ccps:
            errors.append("Choisissez au moins un CCP de la session pour ce candidat.")
        if reg.has_title and reg.session_type == TypeSession.TITRE:
            errors.append("Ce candidat est déjà titulaire de ce titre professionnel.")
        # CCPs are acquired for good (code de l'éducation R.338-5): never sat twice.
        again = [label for ccp_id, label in reg.targeted_ccps.items() if ccp_id in reg.obtained_ccps]
        if again and reg.session_type == TypeSession.CCP:
            errors.append(f"CCP déjà obtenu, il ne peut pas être repassé : {', '.join(sorted(again))}.")
        elif (
            reg.session_type == TypeSession.TITRE and reg.targeted_ccps and set(reg.targeted_ccps) <= reg.obtained_ccps
        ):
            errors.append(
                "Tous les CCP du titre sont déjà obtenus : inscrivez le candidat à une session CCP avec entretien "
                "final plutôt qu'à une session titre."
            )
    if reg.route == VoieAcces.VAE:
        # Arrêté du 22/12/2015: the VAE admissibility decision is valid one year.
        if reg.vae_admissibility_date is None:
            errors.append("Pour un candidat en VAE, la date de recevabilité est obligatoire.")
        elif reg.vae_admissibility_date > reg.session_start:
            errors.append("La date de recevabilité VAE ne peut pas être postérieure au début de la session.")
        elif add_months(reg.vae_admissibility_date, vae_validity_months) < reg.session_start:
            errors.append(
                f"La recevabilité VAE du {fr_date(reg.vae_admissibility_date)} a plus de {vae_validity_months} mois "
                f"au début de la session : le candidat doit obtenir une nouvelle recevabilité."
            )
    if reg.route in TRAINING_ROUTES and reg.last_failed_or_partial is not None:
        # Règlement général des sessions: a training-route re-sit within one year, then the training must be updated.
        deadline = add_months(reg.last_failed_or_partial, resit_months)
        retrained = reg.training_start is not None and reg.training_start > reg.last_failed_or_partial
        if reg.session_start > deadline and not retrained:
            errors.append(
                f"La dernière session de ce candidat sur ce titre date du {fr_date(reg.last_failed_or_partial)} : "
                f"un candidat issu de formation ne peut repasser que dans les {resit_months} mois (jusqu'au "
                f"{fr_date(deadline)}), sauf nouvelle formation (indiquez sa date de début)."
            )
    if reg.in_prolongation and reg.end_of_life is not None:
        errors += prolongation_eligibility_errors(
            end_of_life=reg.end_of_life,
            training_start=reg.training_start,
            failed_or_partial_before=reg.last_failed_or_partial is not None,
        )
    return errors


def national_file_registration_errors(*, seen_by_centre: bool, identity_checked: bool) -> list[str]:
    """A centre registering a file it has never seen (found in the national file) opens that person's contact data
    to itself: it must attest that the person stood before it with an identity document and asked to be registered
    (RGPD art. 5.1.c, minimisation ; issue #16: registering was enough to read another centre's candidate)."""
    if seen_by_centre or identity_checked:
        return []
    return [
        "Ce dossier a été ouvert hors de votre centre : attestez avoir vérifié la pièce d'identité du candidat et "
        "recueilli sa demande d'inscription avant de l'inscrire."
    ]


# --- States ------------------------------------------------------------------------------------------------------

CENTRE, UD, SYSTEM = "centre", "ud", "systeme"

S = StatutSession
# One table: (from, to) -> who may trigger it. Reason required for the transitions in REASON_REQUIRED.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.EN_PREPARATION, S.CONVOCATIONS_ENVOYEES): frozenset({CENTRE, SYSTEM}),
    (S.EN_PREPARATION, S.ANNULEE): frozenset({CENTRE, UD}),
    (S.CONVOCATIONS_ENVOYEES, S.EN_COURS): frozenset({CENTRE, SYSTEM}),
    # Dates or place changed after sending: everyone must be convened again.
    (S.CONVOCATIONS_ENVOYEES, S.EN_PREPARATION): frozenset({SYSTEM}),
    (S.CONVOCATIONS_ENVOYEES, S.ANNULEE): frozenset({CENTRE, UD}),
    (S.EN_COURS, S.RESULTATS_SAISIS): frozenset({CENTRE}),
    (S.EN_COURS, S.ANNULEE): frozenset({UD}),
    (S.RESULTATS_SAISIS, S.VALIDEE): frozenset({UD}),
    (S.RESULTATS_SAISIS, S.RENVOYEE): frozenset({UD}),
    (S.RESULTATS_SAISIS, S.ANNULEE): frozenset({UD}),
    (S.RENVOYEE, S.RESULTATS_SAISIS): frozenset({CENTRE}),
    (S.RENVOYEE, S.ANNULEE): frozenset({UD}),
}
REASON_REQUIRED = frozenset({S.RENVOYEE, S.ANNULEE})
EDITABLE_STATES = frozenset({S.EN_PREPARATION, S.CONVOCATIONS_ENVOYEES})  # dates, candidates, jury
RESULTS_STATES = frozenset({S.EN_COURS, S.RENVOYEE})  # the centre enters results
# The PV de session is printed for the jury to sign at the end of the session, and kept signed (issue 13).
PV_STATES = frozenset({S.EN_COURS, S.RENVOYEE, S.RESULTATS_SAISIS, S.VALIDEE})
FINAL_STATES = frozenset({S.VALIDEE, S.ANNULEE})
CONVOCATION_FIELDS = frozenset(
    {"site", "start_date", "end_date", "start_time", "convocation_date", "convocation_time"}
)

ACTOR_LABELS = {CENTRE: "le centre", UD: "l'unité départementale", SYSTEM: "le système"}


def transition_errors(current: str, target: str, *, actor: str, reason: str = "") -> list[str]:
    label = dict(StatutSession.choices)
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        return [f"Une session « {label.get(current, current)} » ne peut pas passer à « {label.get(target, target)} »."]
    errors = []
    if actor not in allowed:
        who = " ou ".join(ACTOR_LABELS[a] for a in sorted(allowed))
        errors.append(f"Le passage à « {label[target]} » ne peut être fait que par {who}.")
    if target in REASON_REQUIRED and not reason.strip():
        errors.append(f"Indiquez le motif du passage à « {label[target]} ».")
    return errors


def next_states(current: str, actor: str) -> list[str]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == current and actor in actors]


# --- Results and capitalisation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    decision: str
    title_awarded: bool
    ccps_awarded: frozenset[int] = field(default_factory=frozenset)
    ccs_awarded: bool = False
    errors: list[str] = field(default_factory=list)


def outcome(
    *,
    session_type: str,
    ccp_results: dict[int, str],
    title_ccps: Iterable[int],
    obtained_before: Iterable[int] = (),
    entretien_final: str = EntretienFinal.SANS_OBJET,
    ccs_result: str | None = None,
    partial_success_allowed: bool = True,
) -> Outcome:
    """Decision of the jury computed from CCP results and capitalisation across sessions.

    CCPs obtained earlier count (R.338-5); the title needs every CCP plus a favourable entretien final in the
    session that completes the path (arrêté du 22/12/2015, art. 9)."""
    if session_type == TypeSession.CCS:
        if ccs_result == ResultatCcpValeur.OBTENU:
            return Outcome(Decision.REUSSITE, False, ccs_awarded=True)
        if ccs_result in (None, ResultatCcpValeur.NON_PRESENTE):
            return Outcome(Decision.ABSENT, False)
        return Outcome(Decision.ECHEC, False)

    title_set = set(title_ccps)
    if any(v == "" or v is None for v in ccp_results.values()):
        return Outcome("", False, errors=["Saisissez le résultat de chaque CCP."])
    presented = {k for k, v in ccp_results.items() if v != ResultatCcpValeur.NON_PRESENTE}
    if not presented and entretien_final in (EntretienFinal.NON_PRESENTE, EntretienFinal.SANS_OBJET):
        return Outcome(Decision.ABSENT, False)
    obtained_now = frozenset(k for k, v in ccp_results.items() if v == ResultatCcpValeur.OBTENU)
    all_obtained = set(obtained_before) | obtained_now
    completes = bool(title_set) and title_set <= all_obtained
    errors = []
    if completes and entretien_final == EntretienFinal.SANS_OBJET:
        errors.append(
            "Cette session complète le parcours du candidat : "
            "l'entretien final est obligatoire pour délivrer le titre."
        )
    title = completes and entretien_final == EntretienFinal.FAVORABLE
    if not partial_success_allowed and not title:
        # A single-block title gives no partial certification.
        obtained_now = frozenset()
    if title:
        decision = Decision.REUSSITE
    elif obtained_now:
        decision = Decision.REUSSITE_PARTIELLE
    else:
        decision = Decision.ECHEC
    return Outcome(decision, title, obtained_now, errors=errors)


@dataclass(frozen=True)
class CandidateRow:
    name: str
    decision: str
    absence_justified: bool | None = None  # None = not stated


def finalisation_checklist(*, rows: list[CandidateRow], jury_count: int, pv_signed: bool) -> list[str]:
    """What must be true before the centre submits results to the UD (règlement général, PV signed by the jury)."""
    errors = []
    if not rows:
        errors.append("Aucun candidat n'est inscrit à la session.")
    missing = [r.name for r in rows if not r.decision]
    if missing:
        errors.append(f"Résultat manquant pour : {', '.join(missing)}.")
    unstated = [r.name for r in rows if r.decision == Decision.ABSENT and r.absence_justified is None]
    if unstated:
        errors.append(f"Précisez si l'absence est justifiée pour : {', '.join(unstated)}.")
    errors += jury_size_errors(jury_count)  # the one jury-size rule lives with the jurors (ceres.jurys.rules)
    if not pv_signed:
        errors.append("Confirmez que le procès-verbal a été signé par les membres du jury.")
    return errors


def results_entry_errors(*, status: str, start_date: datetime.date, today: datetime.date) -> list[str]:
    if status not in RESULTS_STATES:
        label = dict(StatutSession.choices)[status]
        return [f"Les résultats ne peuvent pas être saisis sur une session « {label} »."]
    if today < start_date:
        return ["Les résultats ne peuvent être saisis qu'à partir du premier jour de la session."]
    return []


def start_errors(*, start_date: datetime.date, today: datetime.date) -> list[str]:
    if today < start_date:
        return [f"La session ne peut être ouverte qu'à partir de son premier jour ({fr_date(start_date)})."]
    return []


def validation_errors(*, user_departement_id: int | None, session_departement_id: int, pv_number: str) -> list[str]:
    errors = []
    if user_departement_id != session_departement_id:
        errors.append("Seuls les agents de l'unité départementale du département de la session peuvent la valider.")
    if not pv_number.strip():
        errors.append("Le numéro de procès-verbal est obligatoire pour valider la session.")
    return errors


def delays(
    *, end_date: datetime.date, submitted_on: datetime.date | None, validated_on: datetime.date | None
) -> dict[str, int | None]:
    """Days between session end, results entry and validation (DOMAIN.md §8.1: SLA follow-up)."""
    return {
        "saisie": (submitted_on - end_date).days if submitted_on else None,
        "validation": (validated_on - submitted_on).days if validated_on and submitted_on else None,
        "total": (validated_on - end_date).days if validated_on else None,
    }


# --- Convocation following the first day (release note R4, issue 11) ------------------------------------------------


def default_convocation(
    start_date: datetime.date, start_time: datetime.time | None = None
) -> tuple[datetime.date, datetime.time]:
    """R4: the convocation is the first session day at 08:00, or at the start of the tests when they begin earlier
    (a convocation after the start is refused: the default must never be; docs/decisions/0008)."""
    if start_time is not None and start_time < DEFAULT_CONVOCATION_TIME:
        return start_date, start_time
    return start_date, DEFAULT_CONVOCATION_TIME


def convocation_stamp(day: datetime.date, time: datetime.time) -> str:
    """How the form remembers the convocation it showed while it still follows the first day (hidden input)."""
    return f"{day.isoformat()}T{time:%H:%M}"


@dataclass(frozen=True)
class Convocation:
    date: datetime.date
    time: datetime.time
    explicit: bool  # set by the user: kept when the dates change, and checked


def left_as_shown(*, shown: str, submitted_date, submitted_time) -> bool:
    """The form showed a following convocation (`shown` is its stamp; empty once set) and it came back unchanged:
    the user did not set it. Works without JavaScript, the server compares what it showed with what it receives."""
    if not shown:
        return False
    if submitted_date is None or submitted_time is None:
        return True
    return convocation_stamp(submitted_date, submitted_time) == shown


def next_convocation(
    *,
    start_date: datetime.date,
    start_time: datetime.time | None = None,
    requested: tuple[datetime.date | None, datetime.time | None] | None,
    current: Convocation | None = None,
) -> Convocation:
    """R4: the convocation is the first day at 08:00 until the user sets it. `requested` None: not set in this
    change (a following convocation moves with the first day, an explicit one is kept); a requested value equal to
    the default keeps following. A requested date without time (or time without date, as an API client may send)
    completes the convocation it changes: the one kept if it was set, else the one following the new first day."""
    default = default_convocation(start_date, start_time)
    if requested is not None:
        base = (current.date, current.time) if current is not None and current.explicit else default
        day = requested[0] if requested[0] is not None else base[0]
        time = requested[1] if requested[1] is not None else base[1]
        return Convocation(day, time, explicit=(day, time) != default)
    if current is not None and current.explicit:
        return current
    return Convocation(*default, explicit=False)


def convocation_lead_errors(schedule: Schedule, *, max_days_before: int) -> list[str]:
    """An explicit convocation may precede the first day by `max_days_before` days at most (national parameter);
    after the start of the tests it is refused by schedule_errors."""
    lead = (schedule.start_date - schedule.convocation_date).days
    if lead > max_days_before:
        return [
            f"La convocation ({fr_date(schedule.convocation_date)}) précède de {lead} jours le premier jour de la "
            f"session ({fr_date(schedule.start_date)}) : elle peut le précéder de {max_days_before} jours au plus "
            "(paramètre national). Convoquez les candidats le premier jour, ou à une date plus proche."
        ]
    return []


def convocation_date_errors(schedule: Schedule, *, max_days_before: int) -> list[str]:
    """What any convocation letter must respect, however its date was set (typed, sent by the API, or stored by an
    older default): not after the start of the tests, not more than `max_days_before` days before the first day."""
    return convocation_after_start_errors(schedule) + convocation_lead_errors(
        schedule, max_days_before=max_days_before
    )


def convocation_before_first_day(*, convocation_date: datetime.date, start_date: datetime.date) -> int:
    """Days by which a stored convocation precedes the first day (data-quality list; 0 when it does not)."""
    return max((start_date - convocation_date).days, 0)


# --- Dates in the past --------------------------------------------------------------------------------------------


def past_date_errors(*, start_date: datetime.date, today: datetime.date, actor: str, reason: str = "") -> list[str]:
    """Creating or moving a session to a date already past: refused to centres; a UD agent may record a session
    that really took place, with a reason kept in the journal (docs/decisions/0008)."""
    if start_date >= today:
        if actor == UD:
            return [
                f"La session commence le {fr_date(start_date)}, date à venir : c'est le centre qui crée ses sessions, "
                "l'unité départementale n'enregistre que des sessions déjà passées."
            ]
        return []
    if actor == UD:
        if not reason.strip():
            return [
                f"La session commence le {fr_date(start_date)}, date déjà passée : indiquez le motif de "
                "l'enregistrement d'une session passée."
            ]
        return []
    return [
        f"La session commencerait le {fr_date(start_date)}, date déjà passée : un centre ne peut pas créer ni "
        "déplacer une session dans le passé. Si elle a réellement eu lieu, l'unité départementale peut "
        "l'enregistrer avec un motif."
    ]


# --- Late results -------------------------------------------------------------------------------------------------

AWAITING_RESULTS_STATES = frozenset({S.EN_PREPARATION, S.CONVOCATIONS_ENVOYEES, S.EN_COURS, S.RENVOYEE})


def results_delay_flag(
    *,
    status: str,
    end_date: datetime.date,
    submitted_on: datetime.date | None,
    today: datetime.date,
    max_days: int,
) -> str:
    """Label shown on session lists when results come (or came) later than `max_days` after the last day."""
    if status == S.ANNULEE:
        return ""
    if submitted_on is None:
        late = (today - end_date).days - max_days
        if status in AWAITING_RESULTS_STATES and late > 0:
            return f"Résultats en retard de {late} j"
        return ""
    late = (submitted_on - end_date).days - max_days
    return f"Résultats transmis avec {late} j de retard" if late > 0 else ""


# --- The jury, re-checked at every step that relies on it (arrêté du 22/12/2015, art. 6) ---------------------------

JURY_STEPS = {
    "start": "Impossible d'ouvrir la session",
    "results": "Impossible de saisir les résultats",
    "submit": "Impossible de transmettre les résultats",
    "validate": "Impossible de valider la session",
}


# The steps that rely on the jury, by the status they lead to: session_transition re-checks the jury for each, whatever
# the path that asks for it (page, API, task).
JURY_STEP_BY_TARGET = {
    StatutSession.EN_COURS: "start",
    StatutSession.RESULTATS_SAISIS: "submit",
    StatutSession.VALIDEE: "validate",
}


def jury_step_errors(step: str, jury_errors: list[str]) -> list[str]:
    """The jury's reasons (names and causes), introduced by what they block."""
    if not jury_errors:
        return []
    return [
        f"{JURY_STEPS[step]} : le jury n'a plus deux membres habilités sur chaque jour de la session "
        "(arrêté du 22 décembre 2015, art. 6).",
        *jury_errors,
    ]


# --- Destructive actions: a confirmation step naming what will happen ----------------------------------------------


@dataclass(frozen=True)
class Destructive:
    title: str
    consequence: str  # formatted with the object's name
    button: str


DESTRUCTIVE = {
    "cancel": Destructive(
        "Annuler la session",
        "La session « {name} » sera annulée : plus aucune inscription, convocation ni saisie de résultats. "
        "Le motif est conservé dans l'historique de la session.",
        "Confirmer l'annulation",
    ),
    "unregister": Destructive(
        "Désinscrire un candidat",
        "{name} sera désinscrit(e) de la session ; sa convocation, si elle a été envoyée, n'est plus valable. "
        "Son dossier candidat est conservé. Le motif est conservé dans l'historique.",
        "Confirmer la désinscription",
    ),
    "remove_juror": Destructive(
        "Retirer un membre du jury",
        "{name} sera retiré(e) du jury de la session ; le jury sera recontrôlé (au moins deux membres habilités "
        "sur chaque jour). Le motif est conservé dans l'historique.",
        "Confirmer le retrait",
    ),
    "return": Destructive(
        "Renvoyer la session au centre",
        "La session « {name} » sera renvoyée au centre, qui corrigera ses résultats puis les transmettra à nouveau. "
        "Le motif est communiqué au centre et conservé dans l'historique.",
        "Confirmer le renvoi",
    ),
}


@dataclass(frozen=True)
class DestructiveFacts:
    """What the confirmation page counts before a destructive action (read by the view, phrased here)."""

    registered: int = 0  # candidates registered on the session
    convened_candidates: int = 0  # ... whose convocation was sent
    jurors: int = 0  # jurors convened on the session
    convened_jurors: int = 0  # ... whose convocation was sent
    sent_on: datetime.date | None = None  # unregister / remove juror: when this person's convocation was sent
    able_jurors_after: int | None = None  # remove juror: members able to sit once this one is removed
    with_results: int = 0  # candidates whose results are entered


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def destructive_details(action: str, facts: DestructiveFacts) -> list[str]:
    """The consequences of a destructive action on this very session, in numbers, for its confirmation page."""
    details = []
    if action == "cancel":
        details.append(
            f"Elle compte {_count(facts.registered, 'candidat inscrit', 'candidats inscrits')} et "
            f"{_count(facts.jurors, 'membre du jury', 'membres du jury')}."
        )
        sent = facts.convened_candidates + facts.convened_jurors
        if sent:
            details.append(
                f"{_count(sent, 'personne a', 'personnes ont')} déjà reçu sa convocation : CERES ne les prévient pas, "
                "informez-les de l'annulation."
            )
        if facts.with_results:
            details.append(
                f"Les résultats saisis pour {_count(facts.with_results, 'candidat', 'candidats')} ne seront jamais "
                "validés : aucun titre ni CCP ne sera délivré par cette session."
            )
    elif action in ("unregister", "remove_juror"):
        if facts.sent_on is not None:
            details.append(
                f"Sa convocation lui a été envoyée le {fr_date(facts.sent_on)} : CERES ne prévient pas cette "
                "personne, informez-la."
            )
        else:
            details.append("Aucune convocation ne lui a encore été envoyée.")
        if action == "remove_juror" and facts.able_jurors_after is not None:
            left = facts.able_jurors_after
            sentence = f"Le jury comptera ensuite {_count(left, 'membre habilité', 'membres habilités')}"
            if left < MIN_JURY_SIZE:
                sentence += (
                    f", moins que les {MIN_JURY_SIZE} exigés : les convocations ne pourront pas être envoyées ni la "
                    "session ouverte tant qu'un autre juré n'est pas ajouté."
                )
            else:
                sentence += "."
            details.append(sentence)
    elif action == "return":
        details.append(
            f"Les résultats de {_count(facts.registered, 'candidat', 'candidats')} redeviennent modifiables par "
            "le centre ; la session reviendra à l'unité départementale quand le centre les transmettra à nouveau."
        )
    return details


def reason_errors(action: str, reason: str) -> list[str]:
    """Every destructive action is journaled with its reason: it is mandatory."""
    if not (reason or "").strip():
        return [f"Indiquez le motif ({DESTRUCTIVE[action].title.lower()}) : il est conservé dans l'historique."]
    return []


PDF_MAGIC = b"%PDF-"


def pv_upload_refusals(*, status: str, head: bytes, size: int, max_size: int) -> list[str]:
    """A signed PV is a PDF (its first bytes say so, whatever its name), of bounded size, of a session whose PV is
    printed (from its opening on)."""
    refusals = []
    if status not in PV_STATES:
        refusals.append("Le PV signé se dépose une fois la session ouverte (épreuves en cours ou passées).")
    if size == 0:
        refusals.append("Le fichier déposé est vide.")
    elif size > max_size:
        refusals.append(f"Le fichier dépasse {max_size // (1024 * 1024)} Mo : numérisez le PV en résolution moindre.")
    elif not head.startswith(PDF_MAGIC):
        refusals.append("Le fichier déposé n'est pas un PDF : numérisez le PV signé au format PDF.")
    return refusals
