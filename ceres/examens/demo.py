"""Demo sessions (idempotent) on the demo centres, in various states:
- Formapro Ain (01): a titre session in three weeks, en préparation, two candidates, a jury still incomplete;
- Formapro Ain (01): a titre session validated three months ago (réussite partielle: Sophie MARTIN obtained the
  first CCP only; her path shows the CCPs still missing and ud01@ceres.demo prints her CCP certificate);
- Formapro Ain (01): a session of the other title validated six weeks ago (réussite: Hélène LEFÈVRE obtained the
  title; ud01@ceres.demo prints her parchemin from the session's « Parchemins » page);
- GRETA Lyon Métropole (69): a session whose results were sent to the UD, waiting for validation by ud69@ceres.demo.
A demo session is recognised by (centre, title, state): running seed again creates nothing.
Validated sessions go through the real validation service (numbers allocated, journal written), then their
validation date is moved back to the demo date.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ceres.candidats.models import Candidat
from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement
from ceres.comptes.models import User
from ceres.examens import services
from ceres.examens.enums import EntretienFinal, ResultatCcpValeur, StatutSession
from ceres.examens.models import Inscription, MembreConvoque, SessionExamen, results_correction
from ceres.examens.services.results import write_results
from ceres.jurys.models import MembreJury

# (centre, RNCP, state, days from today, candidates [(birth name, first names)], jurors former ids, results)
SESSIONS = [
    ("Formapro Ain", "RNCP37098", StatutSession.EN_PREPARATION, 21, [("Martin", "Sophie, Anne"),
     ("Lefèvre", "Hélène")], ["DEMO-J1"], None),
    ("Formapro Ain", "RNCP37098", StatutSession.VALIDEE, -90, [("Martin", "Sophie, Anne")], ["DEMO-J1", "DEMO-J3"],
     "partielle"),
    ("Formapro Ain", "RNCP38667", StatutSession.VALIDEE, -45, [("Lefèvre", "Hélène")], ["DEMO-J1", "DEMO-J3"],
     "reussite"),
    ("GRETA Lyon Métropole", "RNCP38667", StatutSession.RESULTATS_SAISIS, -10, [("Nguyen", "Minh"),
     ("DUPONT", "Jean-Pierre, Louis")], ["DEMO-J4", "DEMO-J2"], "reussite"),
]  # fmt: skip


def _results(inscription, ccps, kind):
    """Results as the centre enters them; the decision is computed by the same rules as the results page."""
    values = {
        ccp.pk: ResultatCcpValeur.OBTENU if kind == "reussite" or i == 0 else ResultatCcpValeur.NON_OBTENU
        for i, ccp in enumerate(ccps)
    }
    write_results(
        inscription=inscription,
        ccp_results=values,
        entretien_final=EntretienFinal.FAVORABLE if kind == "reussite" else EntretienFinal.SANS_OBJET,
        ccs_result="",
        absence_justified=None,
        incidents="",
    )


def seed() -> dict[str, int]:
    today = timezone.localdate()
    counters = {"sessions": 0, "inscriptions": 0, "ignorées (données absentes)": 0}
    gestionnaire = User.objects.filter(email="centre@ceres.demo").first()
    for centre_name, rncp, status, offset, people, jurors, results in SESSIONS:
        agrement = (
            Agrement.objects.filter(
                centre__name=centre_name, titre__code_rncp=rncp, decision=DecisionAgrement.ACCEPTEE
            )
            .select_related("centre", "site", "titre")
            .first()
        )
        agent_ud = User.objects.filter(
            is_active=True, ud__departement=agrement.centre.departement if agrement else None
        ).first()
        if agrement is None or gestionnaire is None or (status == StatutSession.VALIDEE and agent_ud is None):
            counters["ignorées (données absentes)"] += 1
            continue
        if SessionExamen.objects.filter(centre=agrement.centre, titre=agrement.titre, status=status).exists():
            continue
        with transaction.atomic():
            day = today + datetime.timedelta(days=offset)
            _session(agrement, status, day, people, jurors, results, gestionnaire, agent_ud, counters)
    return counters


def _session(agrement, status, day, people, jurors, results, gestionnaire, agent_ud, counters):
    reached = StatutSession.RESULTATS_SAISIS if status == StatutSession.VALIDEE else status
    session = SessionExamen(
        centre=agrement.centre,
        site=agrement.site,
        agrement=agrement,
        departement=agrement.centre.departement,
        titre=agrement.titre,
        type="titre",
        start_date=day,
        end_date=day,
        convocation_date=day,
        responsable=gestionnaire,
        created_by=gestionnaire,
        planned_candidates=len(people) + 2,
        status=reached,
    )
    if reached == StatutSession.RESULTATS_SAISIS:
        session.pv_signed = True
        session.submitted_at = timezone.now() - datetime.timedelta(days=max((timezone.localdate() - day).days - 3, 0))
    session.full_clean()
    session.save()
    counters["sessions"] += 1
    for former_id in jurors:
        membre = MembreJury.objects.filter(former_id=former_id).first()
        if membre is not None:
            MembreConvoque.objects.get_or_create(session=session, membre=membre)
    ccps = list(agrement.titre.ccps.order_by("order"))
    for birth_name, first_names in people:
        candidat = Candidat.objects.filter(birth_name=birth_name, first_names=first_names).first()
        if candidat is None:
            continue
        inscription, _ = Inscription.objects.get_or_create(
            session=session,
            candidat=candidat,
            defaults={"route": "formation_continue", "registered_by": gestionnaire},
        )
        inscription.ccps.set(ccps)
        counters["inscriptions"] += 1
        if results:
            _results(inscription, ccps, results)
    if status == StatutSession.VALIDEE:
        pv_number = f"PV-{agrement.centre.departement.code}-{day:%Y}-DEMO-{agrement.titre.code_rncp}"
        services.session_validate(session=session, by=agent_ud, pv_number=pv_number)
        validated_at = timezone.now() - datetime.timedelta(days=max((timezone.localdate() - day).days - 10, 0))
        # Demo only: back-dates the validation (PostgreSQL refuses it outside the correction function).
        with transaction.atomic(), results_correction():
            SessionExamen.objects.filter(pk=session.pk).update(validated_at=validated_at)
