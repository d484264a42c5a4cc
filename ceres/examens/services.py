"""Writes on sessions: atomic, rules first, full_clean, journal. Refusals are ValidationError with French sentences."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.centres.selectors import agrement_for_session
from ceres.core.journal import diff, journal_record, snapshot
from ceres.examens import rules, selectors
from ceres.examens.enums import (
    Decision,
    EntretienFinal,
    StatutEnvoi,
    StatutSession,
    TypeCertification,
    TypeSession,
)
from ceres.examens.models import (
    RESULT_FIELDS,
    Certification,
    EnvoiConvocation,
    Inscription,
    MembreConvoque,
    ResultatCcp,
    SessionExamen,
    results_correction,
)
from ceres.referentiels import parametres

SESSION_FIELDS = [
    "site",
    "start_date",
    "end_date",
    "start_time",
    "convocation_date",
    "convocation_time",
    "responsable",
    "planned_candidates",
    "remote",
]


# Journal keys that are not model fields: never a reverse relation's name ("jury", "certifications"), so the
# history panel shows them as plain labels.
JURY_KEY = "membre du jury"


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _lock(session: SessionExamen) -> SessionExamen:
    return SessionExamen.objects.select_for_update().get(pk=session.pk)


def session_initial(today: datetime.date | None = None) -> dict:
    """Form defaults (release note R4): start today at 08:00, convocation first day at 08:00."""
    s = rules.default_schedule(today or timezone.localdate())
    return {
        "start_date": s.start_date,
        "end_date": s.end_date,
        "start_time": s.start_time,
        "convocation_date": s.convocation_date,
        "convocation_time": s.convocation_time,
    }


def session_checks(
    *, centre, site, titre, type, ccs, start_date, end_date, recorded_on: datetime.date, schedule=None
) -> tuple[object, bool, list[str]]:
    """(agrément, in_prolongation, errors) for the session creation rules."""
    errors = list(rules.schedule_errors(schedule)) if schedule else []
    if site.centre_id != centre.pk:
        errors.append("Ce site n'appartient pas au centre.")
    if end_date < start_date:
        return None, False, errors
    examinable = rules.title_examinability(
        end_of_life=titre.end_date,
        last_day=end_date,
        centre_type=centre.type,
        recorded_on=recorded_on,
        prolongation_months=parametres.get("DELAI_PROLONGATION_MOIS"),
        cfa_crp_months=parametres.get("PROLONGATION_CFA_CRP_MOIS"),
    )
    errors += examinable.errors
    extended = None
    if examinable.in_prolongation and titre.end_date:
        extended = rules.prolongation_last_day(
            end_of_life=titre.end_date,
            centre_type=centre.type,
            prolongation_months=parametres.get("DELAI_PROLONGATION_MOIS"),
            cfa_crp_months=parametres.get("PROLONGATION_CFA_CRP_MOIS"),
        )
    agrement, reasons = agrement_for_session(
        centre=centre,
        site=site,
        titre=titre,
        days=rules.session_days(start_date, end_date),
        ccs=ccs if type == TypeSession.CCS else None,
        extended_end_date=extended,
    )
    errors += reasons
    return agrement, examinable.in_prolongation, errors


@transaction.atomic
def session_create(
    *,
    centre,
    site,
    titre,
    type: str,
    start_date,
    end_date,
    start_time,
    responsable,
    by,
    convocation_date=None,
    convocation_time=None,
    ccps=(),
    ccs=None,
    planned_candidates: int = 1,
    remote: bool = False,
    actor: str = rules.CENTRE,
    reason: str = "",
    today: datetime.date | None = None,
) -> SessionExamen:
    """`convocation_date`/`convocation_time` None: the convocation follows the first day at 08:00 (R4). `actor`
    UD: a session already past may be recorded, with a reason kept in the journal."""
    today = today or timezone.localdate()
    requested = None
    if convocation_date is not None or convocation_time is not None:
        default = rules.default_convocation(start_date)
        requested = (convocation_date or default[0], convocation_time or default[1])
    convocation = rules.next_convocation(start_date=start_date, requested=requested)
    schedule = rules.Schedule(start_date, end_date, start_time, convocation.date, convocation.time)
    errors = rules.past_date_errors(start_date=start_date, today=today, actor=actor, reason=reason)
    errors += _convocation_lead_errors(schedule, convocation)
    if type == TypeSession.CCP and not ccps:
        errors.append("Choisissez au moins un CCP pour une session CCP.")
    if type == TypeSession.CCS and ccs is None:
        errors.append("Choisissez le CCS de la session.")
    if any(c.titre_id != titre.pk for c in ccps) or (ccs is not None and ccs.titre_id != titre.pk):
        errors.append("Les CCP et CCS choisis doivent appartenir au titre de la session.")
    agrement, in_prolongation, more = session_checks(
        centre=centre,
        site=site,
        titre=titre,
        type=type,
        ccs=ccs,
        start_date=start_date,
        end_date=end_date,
        recorded_on=today,
        schedule=schedule,
    )
    _raise(errors + more)
    session = SessionExamen(
        centre=centre,
        site=site,
        agrement=agrement,
        departement=centre.departement,
        titre=titre,
        type=type,
        ccs=ccs if type == TypeSession.CCS else None,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        convocation_date=convocation.date,
        convocation_time=convocation.time,
        convocation_explicit=convocation.explicit,
        responsable=responsable,
        planned_candidates=planned_candidates,
        remote=remote,
        in_prolongation=in_prolongation,
        created_by=by,
    )
    session.full_clean()
    session.save()
    if type == TypeSession.CCP:
        session.ccps.set(ccps)
    journal_record(
        action="create",
        obj=session,
        by=by,
        changes=snapshot(session),
        operation="session_create",
        reason=reason if start_date < today else "",
    )
    return session


def _convocation_lead_errors(schedule: rules.Schedule, convocation: rules.Convocation) -> list[str]:
    if not convocation.explicit:
        return []
    return rules.convocation_lead_errors(schedule, max_days_before=parametres.get("CONVOCATION_AVANCE_MAX_JOURS"))


@transaction.atomic
def session_update(*, session: SessionExamen, by, today: datetime.date | None = None, **data) -> SessionExamen:
    """Convocation left out or None: it follows the new first day unless the user had set it (R4, issue 11)."""
    session = _lock(session)
    if session.status not in rules.EDITABLE_STATES:
        _raise([f"Une session « {session.get_status_display()} » ne se modifie plus."])
    before = snapshot(session, SESSION_FIELDS)
    old_start = session.start_date
    convocation_date, convocation_time = data.pop("convocation_date", None), data.pop("convocation_time", None)
    for name, value in data.items():
        if name not in SESSION_FIELDS:
            raise ValueError(name)
        setattr(session, name, value)
    current = rules.Convocation(session.convocation_date, session.convocation_time, session.convocation_explicit)
    requested = None
    if convocation_date is not None or convocation_time is not None:
        requested = (convocation_date or current.date, convocation_time or current.time)
    convocation = rules.next_convocation(start_date=session.start_date, requested=requested, current=current)
    session.convocation_date, session.convocation_time = convocation.date, convocation.time
    session.convocation_explicit = convocation.explicit
    moved = session.start_date != old_start
    early = []
    if moved:
        early = rules.past_date_errors(
            start_date=session.start_date, today=today or timezone.localdate(), actor=rules.CENTRE
        )
    early += _convocation_lead_errors(session.schedule, convocation)
    agrement, in_prolongation, errors = session_checks(
        centre=session.centre,
        site=session.site,
        titre=session.titre,
        type=session.type,
        ccs=session.ccs,
        start_date=session.start_date,
        end_date=session.end_date,
        recorded_on=session.created_at.date(),
        schedule=session.schedule,
    )
    _raise(early + errors)
    session.agrement = agrement
    session.in_prolongation = in_prolongation
    session.full_clean()
    session.save()
    changes = diff(before, snapshot(session, SESSION_FIELDS))
    if changes:
        journal_record(action="update", obj=session, by=by, changes=changes, operation="session_update")
    if set(changes) & rules.CONVOCATION_FIELDS and (
        session.inscriptions.filter(convocation_sent_at__isnull=False).exists()
        or session.jury.filter(convocation_sent_at__isnull=False).exists()
    ):
        # The letters already sent carry the old dates or place: every recipient is convened again.
        reset = {"convocation_sent_at": None, "convocation_attempts": 0, "convocation_error": ""}
        session.inscriptions.update(**reset)
        session.jury.update(**reset)
        if session.status == StatutSession.CONVOCATIONS_ENVOYEES:
            reason = "Dates ou lieu modifiés : les convocations doivent être renvoyées."
            session = session_transition(
                session=session, target=StatutSession.EN_PREPARATION, by=by, actor=rules.SYSTEM, reason=reason
            )
    return session


@transaction.atomic
def session_transition(*, session: SessionExamen, target: str, by, actor: str, reason: str = "") -> SessionExamen:
    session = _lock(session)
    _raise(rules.transition_errors(session.status, target, actor=actor, reason=reason))
    before = session.status
    session.status = target
    session.status_reason = reason
    session.full_clean()
    session.save(update_fields=["status", "status_reason", "updated_at"])
    journal_record(
        action="update",
        obj=session,
        by=by,
        changes={"status": {"avant": before, "après": target}},
        operation=f"session_{target}",
        reason=reason,
    )
    return session


def session_cancel(*, session, by, actor, reason) -> SessionExamen:
    return session_transition(session=session, target=StatutSession.ANNULEE, by=by, actor=actor, reason=reason)


def session_start(*, session, by, today: datetime.date | None = None) -> SessionExamen:
    _raise(rules.start_errors(start_date=session.start_date, today=today or timezone.localdate()))
    _raise(rules.jury_step_errors("start", jury_errors(session)))
    return session_transition(session=session, target=StatutSession.EN_COURS, by=by, actor=rules.CENTRE)


# --- Registration ------------------------------------------------------------------------------------------------


def registration_facts(*, session, candidat, route, ccps, vae_admissibility_date=None, training_start_date=None):
    ccps = list(ccps) if session.type != TypeSession.CCS else []
    return rules.Registration(
        session_type=session.type,
        session_start=session.start_date,
        route=route,
        targeted_ccps={c.pk: str(c) for c in ccps},
        obtained_ccps=frozenset(selectors.obtained_ccp_ids(candidat, session.titre)),
        has_title=selectors.has_title(candidat, session.titre),
        vae_admissibility_date=vae_admissibility_date,
        training_start=training_start_date,
        last_failed_or_partial=selectors.last_failed_or_partial(candidat, session.titre, before=session.start_date),
        end_of_life=session.titre.end_date,
        in_prolongation=session.in_prolongation,
        already_registered=Inscription.objects.filter(session=session, candidat=candidat).exists(),
    )


@transaction.atomic
def inscription_create(
    *,
    session: SessionExamen,
    candidat,
    route: str,
    by,
    ccps=None,
    vae_admissibility_date=None,
    training_start_date=None,
    employer_name: str = "",
    employer_siret: str = "",
    trainer=None,
    trainer_name: str = "",
    remote: bool = False,
) -> Inscription:
    session = _lock(session)
    if session.status not in rules.EDITABLE_STATES:
        _raise([f"On n'inscrit plus de candidat sur une session « {session.get_status_display()} »."])
    if candidat.merged_into_id:
        _raise(["Ce dossier a été fusionné dans un autre : inscrivez le dossier conservé."])
    if session.type == TypeSession.TITRE:
        ccps = list(session.titre.ccps.all())
    elif session.type == TypeSession.CCP:
        session_ccps = set(session.ccps.values_list("pk", flat=True))
        ccps = list(ccps) if ccps else []
        if any(c.pk not in session_ccps for c in ccps):
            _raise(["Les CCP visés doivent faire partie de ceux de la session."])
    else:
        ccps = []
    facts = registration_facts(
        session=session,
        candidat=candidat,
        route=route,
        ccps=ccps,
        vae_admissibility_date=vae_admissibility_date,
        training_start_date=training_start_date,
    )
    _raise(
        rules.registration_errors(
            facts,
            vae_validity_months=parametres.get("VALIDITE_RECEVABILITE_VAE_MOIS"),
            resit_months=parametres.get("DELAI_REPASSAGE_MOIS"),
        )
    )
    inscription = Inscription(
        session=session,
        candidat=candidat,
        route=route,
        vae_admissibility_date=vae_admissibility_date,
        training_start_date=training_start_date,
        employer_name=employer_name,
        employer_siret=employer_siret,
        trainer=trainer,
        trainer_name=trainer_name.strip(),
        remote=remote or session.remote,
        registered_by=by,
    )
    inscription.full_clean()
    inscription.save()
    if ccps:
        inscription.ccps.set(ccps)
    journal_record(
        action="create", obj=inscription, by=by, changes=snapshot(inscription), operation="inscription_create"
    )
    return inscription


@transaction.atomic
def inscription_delete(*, inscription: Inscription, by, reason: str) -> None:
    session = _lock(inscription.session)
    if session.status not in rules.EDITABLE_STATES:
        _raise([f"On ne désinscrit plus de candidat sur une session « {session.get_status_display()} »."])
    _raise(rules.reason_errors("unregister", reason))
    journal_record(
        action="delete",
        obj=inscription,
        by=by,
        changes=snapshot(inscription),
        operation="inscription_delete",
        reason=reason,
    )
    inscription.ccps.clear()
    inscription.delete()


# --- Jury --------------------------------------------------------------------------------------------------------


def jurors_available(session: SessionExamen, *, today: datetime.date | None = None):
    from ceres.jurys.selectors import jurors_to_convene

    inscriptions = list(session.inscriptions.all())
    return jurors_to_convene(
        titre=session.titre,
        days=session.days,
        departement=session.departement,
        trainer_membre_ids=[i.trainer_id for i in inscriptions if i.trainer_id],
        today=today,
    )


def impartiality_warnings(session: SessionExamen):
    """membre -> warnings (DOMAIN §4.3, docs/decisions/0004): same employer as a candidate, employed by the examining
    centre, a free-name trainer who may be this juror. The candidates' links are read once for the session."""
    from ceres.core.text import fold
    from ceres.jurys.rules import CandidateLinks, juror_warnings
    from ceres.jurys.selectors import juror_identity

    candidates = [
        CandidateLinks(
            name=str(i.candidat),
            employer_siret=i.employer_siret,
            employer_name_key=fold(i.employer_name),
            trainer_name_key=fold(i.trainer_name),
        )
        for i in session.inscriptions.select_related("candidat")
    ]
    centre = session.centre

    def warnings(membre) -> list[str]:
        return juror_warnings(
            juror_identity(membre), candidates=candidates, centre_siret=centre.siret, centre_name_key=fold(centre.name)
        )

    return warnings


def jury_warnings(session: SessionExamen) -> list[str]:
    warn = impartiality_warnings(session)
    return [f"{row.membre} : {w}" for row in session.jury.select_related("membre") for w in warn(row.membre)]


def membre_errors(session: SessionExamen, membre, *, inscriptions=None) -> list[str]:
    """Why this juror cannot sit on this session, in French (empty: they can): habilitation on every day, no
    conflict with a registered candidate. The precise reasons come from the jurors app."""
    from ceres.jurys.selectors import membre_convocation_errors

    if inscriptions is None:
        inscriptions = list(session.inscriptions.all())
    return membre_convocation_errors(
        membre=membre,
        titre=session.titre,
        days=session.days,
        trainer_membre_ids=[i.trainer_id for i in inscriptions if i.trainer_id],
    )


def jury_errors(session: SessionExamen) -> list[str]:
    """Re-checked whenever dates or candidates change: habilitation on every day, no conflict, at least two."""
    inscriptions = list(session.inscriptions.all())
    errors, valid = [], 0
    for row in session.jury.select_related("membre"):
        reasons = membre_errors(session, row.membre, inscriptions=inscriptions)
        if reasons:
            errors.append(f"{row.membre} ne peut plus siéger.")
            errors += reasons
        else:
            valid += 1
    return errors + rules.jury_size_errors(valid)


@transaction.atomic
def jury_add(*, session: SessionExamen, membre, by) -> MembreConvoque:
    session = _lock(session)
    if session.status not in rules.EDITABLE_STATES:
        _raise([f"Le jury d'une session « {session.get_status_display()} » ne se modifie plus."])
    if MembreConvoque.objects.filter(session=session, membre=membre).exists():
        _raise([f"{membre} fait déjà partie du jury."])
    _raise(membre_errors(session, membre))
    row = MembreConvoque(session=session, membre=membre, added_by=by)
    row.full_clean()
    row.save()
    journal_record(
        action="create",
        obj=session,
        by=by,
        changes={JURY_KEY: {"avant": None, "après": str(membre)}},
        operation="jury_add",
    )
    return row


@transaction.atomic
def jury_remove(*, row: MembreConvoque, by, reason: str) -> None:
    session = _lock(row.session)
    if session.status not in rules.EDITABLE_STATES:
        _raise([f"Le jury d'une session « {session.get_status_display()} » ne se modifie plus."])
    _raise(rules.reason_errors("remove_juror", reason))
    journal_record(
        action="update",
        obj=session,
        by=by,
        changes={JURY_KEY: {"avant": str(row.membre), "après": None}},
        operation="jury_remove",
        reason=reason,
    )
    row.delete()


# --- Convocations ------------------------------------------------------------------------------------------------


def convocation_errors(session: SessionExamen) -> list[str]:
    errors = []
    if session.status not in rules.EDITABLE_STATES:
        errors.append(f"Les convocations d'une session « {session.get_status_display()} » ne s'envoient plus.")
    if not session.inscriptions.exists():
        errors.append("Inscrivez au moins un candidat avant d'envoyer les convocations.")
    errors += jury_errors(session)
    return errors


@transaction.atomic
def convocations_request(*, session: SessionExamen, by) -> EnvoiConvocation:
    """Queue the sending (background task). Idempotent: only recipients not yet convened are sent."""
    from ceres.examens.tasks import send_convocations

    session = _lock(session)
    _raise(convocation_errors(session))
    if session.envois.filter(status__in=[StatutEnvoi.EN_ATTENTE, StatutEnvoi.EN_COURS]).exists():
        _raise(["Un envoi de convocations est déjà en cours pour cette session."])
    envoi = EnvoiConvocation.objects.create(session=session, requested_by=by)
    journal_record(action="other", obj=session, by=by, operation="convocations_request")
    transaction.on_commit(lambda: _enqueue(send_convocations, envoi))
    return envoi


def _enqueue(task, envoi):
    result = task.enqueue(envoi.pk)
    EnvoiConvocation.objects.filter(pk=envoi.pk, task_id="").update(task_id=str(result.id)[:64])


# --- Results -----------------------------------------------------------------------------------------------------


def compute_outcome(inscription: Inscription, ccp_results: dict[int, str], entretien_final: str, ccs_result: str):
    session = inscription.session
    return rules.outcome(
        session_type=session.type,
        ccp_results=ccp_results,
        title_ccps=list(session.titre.ccps.values_list("pk", flat=True)),
        obtained_before=selectors.obtained_ccp_ids(inscription.candidat, session.titre, exclude_session=session),
        entretien_final=entretien_final,
        ccs_result=ccs_result or None,
        partial_success_allowed=session.titre.partial_success_allowed,
    )


def _write_results(*, inscription, ccp_results, entretien_final, ccs_result, absence_justified, incidents):
    targeted = set(inscription.ccps.values_list("pk", flat=True))
    unknown = set(ccp_results) - targeted
    if unknown:
        _raise(["Un résultat porte sur un CCP que le candidat ne présentait pas."])
    for ccp_id in targeted:
        ccp_results.setdefault(ccp_id, "")
    result = compute_outcome(inscription, ccp_results, entretien_final, ccs_result)
    _raise(result.errors)
    for ccp_id, value in ccp_results.items():
        ResultatCcp.objects.update_or_create(inscription=inscription, ccp_id=ccp_id, defaults={"value": value})
    inscription.entretien_final = entretien_final
    inscription.ccs_result = ccs_result or ""
    inscription.decision = result.decision
    inscription.absence_justified = absence_justified if result.decision == Decision.ABSENT else None
    inscription.incidents = incidents
    inscription.full_clean()
    inscription.save()
    return result


def _results_snapshot(inscription):
    data = snapshot(inscription, list(RESULT_FIELDS))
    data["ccp"] = {str(r.ccp): r.value for r in inscription.resultats.select_related("ccp")}
    return data


@transaction.atomic
def results_record(
    *,
    inscription: Inscription,
    by,
    ccp_results: dict[int, str],
    entretien_final: str = EntretienFinal.SANS_OBJET,
    ccs_result: str = "",
    absence_justified: bool | None = None,
    incidents: str = "",
    today: datetime.date | None = None,
) -> Inscription:
    session = _lock(inscription.session)
    _raise(
        rules.results_entry_errors(
            status=session.status, start_date=session.start_date, today=today or timezone.localdate()
        )
    )
    _raise(rules.jury_step_errors("results", jury_errors(session)))
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    before = _results_snapshot(inscription)
    _write_results(
        inscription=inscription,
        ccp_results=dict(ccp_results),
        entretien_final=entretien_final,
        ccs_result=ccs_result,
        absence_justified=absence_justified,
        incidents=incidents,
    )
    changes = diff(before, _results_snapshot(inscription))
    if changes:
        journal_record(action="update", obj=inscription, by=by, changes=changes, operation="results_record")
    return inscription


def checklist(session: SessionExamen, *, pv_signed: bool | None = None) -> list[str]:
    rows = [
        rules.CandidateRow(str(i.candidat), i.decision, i.absence_justified)
        for i in session.inscriptions.select_related("candidat")
    ]
    return rules.finalisation_checklist(
        rows=rows, jury_count=session.jury.count(), pv_signed=session.pv_signed if pv_signed is None else pv_signed
    )


@transaction.atomic
def results_submit(*, session: SessionExamen, by, pv_signed: bool) -> SessionExamen:
    session = _lock(session)
    # The jury's own reasons first; the checklist may repeat its size sentence: said once.
    errors = rules.jury_step_errors("submit", jury_errors(session)) + checklist(session, pv_signed=pv_signed)
    _raise(list(dict.fromkeys(errors)))
    session.pv_signed = True
    session.submitted_at = timezone.now()
    session.save(update_fields=["pv_signed", "submitted_at", "updated_at"])
    return session_transition(session=session, target=StatutSession.RESULTATS_SAISIS, by=by, actor=rules.CENTRE)


# --- UD validation and awards ------------------------------------------------------------------------------------


def _number(session: SessionExamen, year: int) -> str | None:
    from ceres.documents.numbering import number_allocate

    return number_allocate(year=year, departement_code=session.departement.code)


RELATED = ["candidat", "titre", "session", "inscription", "ccp", "ccs"]


def _award_all(
    session: SessionExamen, *, awarded_on: datetime.date, year: int, only: Inscription | None = None
) -> list[Certification]:
    """Certifications of the validated registrations (CCPs, then the title or CCS), each numbered (R1), skipping
    what the candidate already holds. Capitalisation facts are read once for the session (a validation is a few
    dozen queries plus one locked counter step per number, not ~60 queries a candidate). `only`: one registration
    (correction after validation)."""
    inscriptions = session.inscriptions.select_related("candidat").prefetch_related("resultats")
    inscriptions = list(inscriptions.filter(pk=only.pk) if only is not None else inscriptions)
    title_ccps = list(session.titre.ccps.order_by("order"))
    candidat_ids = [i.candidat_id for i in inscriptions]
    obtained = selectors.obtained_ccp_map(candidat_ids, session.titre)
    titled = set(
        Certification.objects.current()
        .filter(candidat_id__in=candidat_ids, titre=session.titre, kind=TypeCertification.TITRE)
        .values_list("candidat_id", flat=True)
    )
    created = []
    for inscription in inscriptions:
        before = obtained.get(inscription.candidat_id, set())
        result = rules.outcome(
            session_type=session.type,
            ccp_results={r.ccp_id: r.value for r in inscription.resultats.all()},
            title_ccps=[c.pk for c in title_ccps],
            obtained_before=before,
            entretien_final=inscription.entretien_final,
            ccs_result=inscription.ccs_result or None,
            partial_success_allowed=session.titre.partial_success_allowed,
        )
        common = dict(
            candidat_id=inscription.candidat_id,
            titre=session.titre,
            session=session,
            inscription=inscription,
            awarded_on=awarded_on,
        )
        for ccp in title_ccps:
            if ccp.pk in result.ccps_awarded and ccp.pk not in before:
                created.append(Certification(kind=TypeCertification.CCP, ccp=ccp, **common))
        if result.title_awarded and inscription.candidat_id not in titled:
            created.append(Certification(kind=TypeCertification.TITRE, **common))
        if result.ccs_awarded:
            created.append(Certification(kind=TypeCertification.CCS, ccs=session.ccs, **common))
    for cert in created:
        cert.number = _number(session, year)
        # Uniqueness was decided above from one read and the related rows were just loaded: skip the per-row
        # lookups; the DB constraints stay the backstop.
        cert.full_clean(exclude=RELATED, validate_unique=False, validate_constraints=False)
    Certification.objects.bulk_create(created)
    return created


@transaction.atomic
def session_validate(*, session: SessionExamen, by, pv_number: str) -> SessionExamen:
    session = _lock(session)
    user_dep = by.ud.departement_id if getattr(by, "is_agent_ud", False) and by.ud_id else None
    _raise(
        rules.validation_errors(
            user_departement_id=user_dep, session_departement_id=session.departement_id, pv_number=pv_number
        )
        + rules.transition_errors(session.status, StatutSession.VALIDEE, actor=rules.UD)
        + rules.jury_step_errors("validate", jury_errors(session))
    )
    now = timezone.now()
    session.pv_number = pv_number.strip()
    session.validated_at = now
    session.validated_by = by
    session.save(update_fields=["pv_number", "validated_at", "validated_by", "updated_at"])
    session = session_transition(session=session, target=StatutSession.VALIDEE, by=by, actor=rules.UD)
    count = len(_award_all(session, awarded_on=session.end_date, year=now.year))
    journal_record(
        action="other",
        obj=session,
        by=by,
        operation="session_validate",
        changes={"pv_number": session.pv_number, "certifications délivrées": count},
    )
    return session


def session_return(*, session, by, reason) -> SessionExamen:
    return session_transition(session=session, target=StatutSession.RENVOYEE, by=by, actor=rules.UD, reason=reason)


@transaction.atomic
def results_correct(
    *,
    inscription: Inscription,
    by,
    reason: str,
    ccp_results: dict[int, str],
    entretien_final: str = EntretienFinal.SANS_OBJET,
    ccs_result: str = "",
    absence_justified: bool | None = None,
    incidents: str = "",
) -> Inscription:
    """Correction after validation: only the session's UD, with a reason; certifications withdrawn and re-awarded."""
    session = _lock(inscription.session)
    errors = []
    if session.status != StatutSession.VALIDEE:
        errors.append("Seuls les résultats d'une session validée se corrigent par l'unité départementale.")
    user_dep = by.ud.departement_id if getattr(by, "is_agent_ud", False) and by.ud_id else None
    if user_dep != session.departement_id:
        errors.append("Seuls les agents de l'unité départementale de la session peuvent corriger ses résultats.")
    if not reason.strip():
        errors.append("Indiquez le motif de la correction.")
    _raise(errors)
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    before = _results_snapshot(inscription)
    now = timezone.now()
    previous = list(Certification.objects.current().select_for_update().filter(inscription=inscription))
    with results_correction():
        result = _write_results(
            inscription=inscription,
            ccp_results=dict(ccp_results),
            entretien_final=entretien_final,
            ccs_result=ccs_result,
            absence_justified=absence_justified,
            incidents=incidents,
        )
    # R1: a certification the corrected results still award keeps its number (and its printed parchemin); only
    # the ones no longer awarded are withdrawn. Their numbers stay attached to them and are never handed out again.
    still = {(TypeCertification.CCP, ccp_id) for ccp_id in result.ccps_awarded}
    if result.title_awarded:
        still.add((TypeCertification.TITRE, None))
    if result.ccs_awarded:
        still.add((TypeCertification.CCS, session.ccs_id))
    withdrawn = [c for c in previous if (c.kind, c.ccp_id or c.ccs_id) not in still]
    Certification.objects.filter(pk__in=[c.pk for c in withdrawn]).update(withdrawn_at=now, withdrawn_reason=reason)
    created = _award_all(session, awarded_on=session.end_date, year=now.year, only=inscription)
    changes = diff(before, _results_snapshot(inscription))
    if withdrawn or created:
        kept = [c for c in previous if c not in withdrawn]
        changes["certifications"] = {
            "avant": [f"{c} (n° {c.number})" for c in previous],
            "après": [f"{c} (n° {c.number})" for c in kept + created],
        }
    journal_record(
        action="update", obj=inscription, by=by, changes=changes, operation="results_correct", reason=reason
    )
    return inscription


def results_form_values(inscription: Inscription) -> dict:
    return {
        "ccp": {r.ccp_id: r.value for r in inscription.resultats.all()},
        "entretien_final": inscription.entretien_final,
        "ccs_result": inscription.ccs_result,
        "absence_justified": inscription.absence_justified,
        "incidents": inscription.incidents,
    }
