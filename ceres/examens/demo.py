"""Demo sessions (idempotent) on the demo centres, in various states:
- Formapro Ain (01): a titre session in three weeks, en préparation, two candidates, a jury still incomplete;
- Formapro Ain (01): a titre session validated three months ago (partial success: the candidate's path shows the
  CCPs still missing);
- GRETA Lyon Métropole (69): a session whose results were sent to the UD, waiting for validation by ud69@ceres.demo.
A demo session is recognised by (centre, title, state): running seed again creates nothing.
"""

import datetime

from django.utils import timezone

from ceres.examens.enums import Decision, EntretienFinal, ResultatCcpValeur, StatutSession, TypeCertification
from ceres.examens.models import Certification, Inscription, MembreConvoque, ResultatCcp, SessionExamen

# (centre, RNCP, state, days from today, candidates [(birth name, first names)], jurors former ids, results)
SESSIONS = [
    ("Formapro Ain", "RNCP37098", StatutSession.EN_PREPARATION, 21, [("Martin", "Sophie, Anne"),
     ("Lefèvre", "Hélène")], ["DEMO-J1"], None),
    ("Formapro Ain", "RNCP37098", StatutSession.VALIDEE, -90, [("Martin", "Sophie, Anne")], ["DEMO-J1", "DEMO-J3"],
     "partielle"),
    ("GRETA Lyon Métropole", "RNCP38667", StatutSession.RESULTATS_SAISIS, -10, [("Nguyen", "Minh"),
     ("DUPONT", "Jean-Pierre, Louis")], ["DEMO-J4", "DEMO-J2"], "reussite"),
]  # fmt: skip


def _results(inscription, ccps, kind):
    for i, ccp in enumerate(ccps):
        obtained = kind == "reussite" or i == 0
        value = ResultatCcpValeur.OBTENU if obtained else ResultatCcpValeur.NON_OBTENU
        ResultatCcp.objects.update_or_create(inscription=inscription, ccp=ccp, defaults={"value": value})
    inscription.entretien_final = EntretienFinal.FAVORABLE
    inscription.decision = Decision.REUSSITE if kind == "reussite" or len(ccps) == 1 else Decision.REUSSITE_PARTIELLE
    inscription.save()


def seed() -> dict[str, int]:
    from ceres.candidats.models import Candidat
    from ceres.centres.enums import DecisionAgrement
    from ceres.centres.models import Agrement
    from ceres.comptes.models import User
    from ceres.jurys.models import MembreJury

    today = timezone.localdate()
    counters = {"sessions": 0, "inscriptions": 0, "ignorées (données absentes)": 0}
    gestionnaire = User.objects.filter(email="centre@ceres.demo").first()
    agent69 = User.objects.filter(email="ud69@ceres.demo").first()
    for centre_name, rncp, status, offset, people, jurors, results in SESSIONS:
        agrement = (
            Agrement.objects.filter(
                centre__name=centre_name, titre__code_rncp=rncp, decision=DecisionAgrement.ACCEPTEE
            )
            .select_related("centre", "site", "titre")
            .first()
        )
        if agrement is None or gestionnaire is None:
            counters["ignorées (données absentes)"] += 1
            continue
        if SessionExamen.objects.filter(centre=agrement.centre, titre=agrement.titre, status=status).exists():
            continue
        day = today + datetime.timedelta(days=offset)
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
            status=status,
        )
        if status in (StatutSession.RESULTATS_SAISIS, StatutSession.VALIDEE):
            session.pv_signed = True
            session.submitted_at = timezone.now() - datetime.timedelta(days=max(-offset - 3, 0))
        if status == StatutSession.VALIDEE:
            session.pv_number = f"PV-{agrement.centre.departement.code}-{day:%Y}-DEMO"
            session.validated_at = timezone.now() - datetime.timedelta(days=-offset - 10)
            session.validated_by = User.objects.filter(ud__departement=agrement.centre.departement).first() or agent69
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
                for i, ccp in enumerate(ccps):
                    if results == "reussite" or i == 0:
                        Certification.objects.get_or_create(
                            candidat=candidat,
                            kind=TypeCertification.CCP,
                            ccp=ccp,
                            withdrawn_at=None,
                            defaults=dict(
                                titre=agrement.titre, session=session, inscription=inscription, awarded_on=day
                            ),
                        )
    return counters
