"""Registering candidates on a session and removing them (R7: one file per person, rules of the routes)."""

from django.db import transaction

from ceres.core.journal import journal_record, snapshot
from ceres.examens import rules, selectors
from ceres.examens.enums import TypeSession
from ceres.examens.models import Inscription, SessionExamen
from ceres.examens.services._common import lock, refuse
from ceres.referentiels import parametres


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
    identity_checked: bool = False,
) -> Inscription:
    session = lock(session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"On n'inscrit plus de candidat sur une session « {session.get_status_display()} »."])
    if candidat.merged_into_id:
        refuse(["Ce dossier a été fusionné dans un autre : inscrivez le dossier conservé."])
    if session.type == TypeSession.TITRE:
        ccps = list(session.titre.ccps.all())
    elif session.type == TypeSession.CCP:
        session_ccps = set(session.ccps.values_list("pk", flat=True))
        ccps = list(ccps) if ccps else []
        if any(c.pk not in session_ccps for c in ccps):
            refuse(["Les CCP visés doivent faire partie de ceux de la session."])
    else:
        ccps = []
    seen = selectors.centre_sees_candidat(session.centre_id, candidat)
    facts = selectors.registration_facts(
        session=session,
        candidat=candidat,
        route=route,
        ccps=ccps,
        vae_admissibility_date=vae_admissibility_date,
        training_start_date=training_start_date,
    )
    refuse(
        rules.national_file_registration_errors(seen_by_centre=seen, identity_checked=identity_checked)
        + rules.registration_errors(
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
        action="create",
        obj=inscription,
        by=by,
        changes={**snapshot(inscription), **({} if seen else {"identite_verifiee_par_le_centre": True})},
        operation="inscription_create",
    )
    return inscription


@transaction.atomic
def inscription_delete(*, inscription: Inscription, by, reason: str) -> None:
    session = lock(inscription.session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"On ne désinscrit plus de candidat sur une session « {session.get_status_display()} »."])
    refuse(rules.reason_errors("unregister", reason))
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
