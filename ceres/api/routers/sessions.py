"""Sessions of the key's centre: create and update within the page rules, register candidates through the same
duplicate check, compose the jury from the jurors to convene, send convocations, enter and submit results.

Every write calls the service the pages call (ceres.examens.services, ceres.candidats.services): same rules, same
French refusals, same journal. Permissions are those of the pages (examens.perms): the centre's staff manage,
the UD and the DREETS read their scope.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from ceres.api import pagination, schemas, scope
from ceres.api.auth import require_write
from ceres.candidats import services as candidats_services
from ceres.candidats.models import Candidat
from ceres.comptes.models import User
from ceres.core.views import pdf_response
from ceres.editique.pdf import render_pdf
from ceres.examens import perms, rules, selectors, services
from ceres.examens.enums import StatutSession
from ceres.examens.imprimes import convocation_data
from ceres.examens.models import Inscription, MembreConvoque
from ceres.jurys.models import MembreJury
from ceres.jurys.selectors import jurors_habilitated_on
from ceres.personnes.identite import CERTAIN
from ceres.referentiels.models import Commune, Pays, TitreProfessionnel

router = Router(tags=["Sessions"])

CENTRE_ONLY = "Cette action est réservée aux gestionnaires du centre de la session (clé d'un centre)."
NO_CENTRE = "Seule la clé d'un centre crée des sessions."


class SessionFiltres(Schema):
    etat: str = ""
    debut_apres: datetime.date | None = None
    debut_avant: datetime.date | None = None
    modifie_depuis: datetime.datetime | None = None
    titre: uuid.UUID | None = None
    curseur: str | None = None
    taille: int | None = None


# --- Reading -------------------------------------------------------------------------------------------------------


def _sessions(request):
    return scope.narrow(request, selectors.sessions_visible_for(request.user))


def _session(request, id):
    return get_object_or_404(_sessions(request), public_id=id)


def _managed(request, id):
    """The session, for a write: write key, centre staff (the pages' perms.can_manage)."""
    require_write(request)
    session = _session(request, id)
    if not perms.can_manage(request.user, session):
        raise PermissionDenied(CENTRE_ONLY)
    return session


def jure_out(row) -> dict:
    return {
        "membre": row.membre.public_id,
        "nom": str(row.membre),
        "convocation_envoyee_le": row.convocation_sent_at,
        "erreur_envoi": row.convocation_error,
    }


def session_out(session) -> dict:
    jury = list(session.jury.select_related("membre"))
    editable = session.status in rules.EDITABLE_STATES
    return {
        "id": session.public_id,
        "centre": {"id": session.centre.public_id, "libelle": session.centre.name},
        "site": {"id": session.site.public_id, "nom": session.site.name, "commune": str(session.site.commune or "")},
        "titre": {"id": session.titre.public_id, "libelle": str(session.titre)},
        "type": session.type,
        "ccps": [c.order for c in session.ccps.all()],
        "debut": session.start_date,
        "fin": session.end_date,
        "heure_debut": f"{session.start_time:%H:%M}",
        "date_convocation": session.convocation_date,
        "heure_convocation": f"{session.convocation_time:%H:%M}",
        "convocation_fixee": session.convocation_explicit,
        "anomalies_convocation": selectors.convocation_letter_errors(session) if editable else [],
        "responsable": session.responsable.email,
        "candidats_prevus": session.planned_candidates,
        "a_distance": session.remote,
        "etat": session.status,
        "etat_libelle": session.get_status_display(),
        "motif_etat": session.status_reason,
        "en_prolongation": session.in_prolongation,
        "candidats_inscrits": session.inscriptions.count(),
        "jury": [jure_out(row) for row in jury],
        # Re-checked until the session is validated or cancelled, as on its page (issue 11).
        "anomalies_jury": selectors.jury_errors(session) if session.status not in rules.FINAL_STATES else [],
        "avertissements_jury": selectors.jury_warnings(session) if editable else [],
        "retard_resultats": selectors.results_flag(session, today=timezone.localdate()),
        "transmise_le": session.submitted_at,
        "numero_pv": session.pv_number,
        "validee_le": session.validated_at,
        "modifiee_le": session.updated_at,
    }


def inscription_out(inscription, *, existing: bool = False) -> dict:
    candidat = inscription.candidat
    return {
        "id": inscription.public_id,
        "session": inscription.session.public_id,
        "candidat": {
            "id": candidat.public_id,
            "numero": candidat.numero,
            "nom_naissance": candidat.birth_name,
            "prenoms": candidat.first_names,
            "date_naissance": candidat.birth_date,
        },
        "dossier_existant": existing,
        "voie_acces": inscription.route,
        "formateur": inscription.trainer.public_id if inscription.trainer_id else None,
        "formateur_nom": inscription.trainer_name,
        "ccps": [c.order for c in inscription.ccps.all()],
        "resultats_ccp": [{"ccp": r.ccp.order, "resultat": r.value} for r in inscription.resultats.all()],
        "entretien_final": inscription.entretien_final,
        "resultat_ccs": inscription.ccs_result,
        "decision": inscription.decision,
        "absence_justifiee": inscription.absence_justified,
        "convocation_envoyee_le": inscription.convocation_sent_at,
        "erreur_envoi": inscription.convocation_error,
    }


@router.get("/sessions/", response={200: schemas.SessionPage, **schemas.ERRORS}, summary="Sessions")
def sessions(request, filtres: Query[SessionFiltres]):
    """Sessions du centre de la clé (UD, DREETS : de leur périmètre), filtrables par état et par dates.
    `etat` : en_preparation, convocations_envoyees, en_cours, resultats_saisis, validee, renvoyee, annulee."""
    qs = _sessions(request)
    if filtres.etat:
        qs = qs.filter(status=filtres.etat)
    if filtres.debut_apres:
        qs = qs.filter(start_date__gte=filtres.debut_apres)
    if filtres.debut_avant:
        qs = qs.filter(start_date__lte=filtres.debut_avant)
    if filtres.modifie_depuis:
        qs = qs.filter(updated_at__gte=pagination.since(filtres.modifie_depuis))
    if filtres.titre:
        qs = qs.filter(titre__public_id=filtres.titre)
    qs = qs.select_related("responsable", "site__commune").prefetch_related("ccps")
    data = pagination.paginate(qs, cursor=filtres.curseur, size=filtres.taille, serialize=session_out)
    return pagination.etag_response(request, data)


@router.get("/sessions/{id}/", response={200: schemas.SessionOut, **schemas.ERRORS}, summary="Une session")
def session(request, id: uuid.UUID):
    return session_out(_session(request, id))


# --- Creating and updating ----------------------------------------------------------------------------------------


def _responsable(centre, email: str | None, default):
    if not email:
        return default
    user = User.objects.filter(email__iexact=email.strip(), centre_memberships__centre=centre, is_active=True).first()
    if user is None:
        raise ValidationError({"responsable": ["Ce responsable n'est pas un membre actif du centre."]})
    return user


def _site(centre, public_id):
    site = centre.sites.filter(public_id=public_id).first()
    if site is None:
        raise ValidationError({"site": ["Ce site n'appartient pas au centre."]})
    return site


@router.post("/sessions/", response={201: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Créer une session")
def session_create(request, payload: schemas.SessionIn):
    """Mêmes règles que la page « Nouvelle session » (agrément, fin de vie, horaires) et mêmes refus.
    `ccps` : numéros d'ordre des CCP (session CCP) ; `ccs` : code du CCS (session CCS) ; `responsable` : e-mail
    d'un membre du centre (par défaut, le créateur de la clé)."""
    require_write(request)
    centre = request.cle.centre
    if centre is None or not perms.can_create_session(request.user):
        raise PermissionDenied(NO_CENTRE)
    titre = TitreProfessionnel.objects.filter(public_id=payload.titre, agrements__centre=centre).first()
    if titre is None:
        raise ValidationError({"titre": ["Le centre n'a aucun agrément pour ce titre."]})
    ccs = titre.ccs.filter(code=payload.ccs).first() if payload.ccs else None
    session = services.session_create(
        centre=centre,
        site=_site(centre, payload.site),
        titre=titre,
        type=payload.type,
        ccps=list(titre.ccps.filter(order__in=payload.ccps)) if payload.type == "ccp" else [],
        ccs=ccs if payload.type == "ccs" else None,
        start_date=payload.debut,
        end_date=payload.fin,
        start_time=datetime.time.fromisoformat(payload.heure_debut),
        convocation_date=payload.date_convocation,
        convocation_time=datetime.time.fromisoformat(payload.heure_convocation) if payload.heure_convocation else None,
        responsable=_responsable(centre, payload.responsable, request.user),
        planned_candidates=payload.candidats_prevus,
        remote=payload.a_distance,
        by=request.user,
    )
    return Status(201, session_out(session))


PATCH_FIELDS = {
    "debut": "start_date",
    "fin": "end_date",
    "heure_debut": "start_time",
    "date_convocation": "convocation_date",
    "heure_convocation": "convocation_time",
    "candidats_prevus": "planned_candidates",
    "a_distance": "remote",
}


@router.patch("/sessions/{id}/", response={200: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Modifier")
def session_update(request, id: uuid.UUID, payload: schemas.SessionPatch):
    """Dates, horaires, site, responsable : avant l'ouverture de la session, avec les règles de la page."""
    session = _managed(request, id)
    sent = payload.dict(exclude_unset=True)
    data = {PATCH_FIELDS[k]: v for k, v in sent.items() if k in PATCH_FIELDS and v is not None}
    for name in ("start_time", "convocation_time"):
        if name in data:
            data[name] = datetime.time.fromisoformat(data[name])
    if sent.get("site"):
        data["site"] = _site(session.centre, sent["site"])
    if sent.get("responsable"):
        data["responsable"] = _responsable(session.centre, sent["responsable"], session.responsable)
    return session_out(services.session_update(session=session, by=request.user, **data))


@router.post("/sessions/{id}/ouverture/", response={200: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Ouvrir")
def session_open(request, id: uuid.UUID):
    """Passe la session « En cours » (à partir du premier jour), comme le bouton de la page."""
    session = _managed(request, id)
    return session_out(services.session_start(session=session, by=request.user))


@router.post(
    "/sessions/{id}/annulation/", response={200: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Annuler"
)
def session_cancel(request, id: uuid.UUID, payload: schemas.MotifIn):
    session = _managed(request, id)
    return session_out(
        services.session_cancel(session=session, by=request.user, actor=rules.CENTRE, reason=payload.motif)
    )


# --- Registrations ------------------------------------------------------------------------------------------------


def _birth_place(payload: schemas.CandidatIn) -> dict:
    day = payload.date_naissance
    place = {"birth_commune": None, "birth_country": None, "birth_town_abroad": payload.ville_naissance_etranger}
    if payload.commune_naissance:
        commune = Commune.objects.filter(code_insee=payload.commune_naissance.strip()).valid_on(day).first()
        if commune is None:
            raise ValidationError(
                {"candidat.commune_naissance": ["Aucune commune de ce code INSEE à la date de naissance."]}
            )
        place["birth_commune"] = commune
    if payload.pays_naissance:
        pays = Pays.objects.filter(code=payload.pays_naissance.strip()).valid_on(day).first()
        if pays is None:
            raise ValidationError({"candidat.pays_naissance": ["Aucun pays de ce code INSEE à la date de naissance."]})
        place["birth_country"] = pays
    return place


def _doublons(exc) -> list[dict]:
    return [
        {
            "numero": c.numero,
            "nom_naissance": c.birth_name,
            "prenoms": c.first_names,
            "date_naissance": c.birth_date,
            "niveau": m.level,
        }
        for c, m in exc.matches
    ]


class Duplicates(Exception):
    def __init__(self, exc):
        self.exc = exc


def _candidat(request, session, payload: schemas.CandidatIn) -> tuple[Candidat, bool]:
    """(file, existing): the file named by its number, or the file created through the duplicate check. A certain
    duplicate (same person, R7) gives the existing file; probable ones are sent back to choose (409)."""
    if payload.numero:
        candidat = Candidat.objects.active().filter(numero=payload.numero.strip()).first()
        if candidat is None:
            raise ValidationError({"candidat.numero": ["Aucun dossier actif ne porte ce numéro."]})
        return candidat, True
    missing = [f for f in ("civilite", "nom_naissance", "prenoms", "date_naissance") if not getattr(payload, f)]
    if missing:
        raise ValidationError(
            {f"candidat.{f}": ["Champ obligatoire (ou donnez le numéro du dossier)."] for f in missing}
        )
    data = {
        "civility": payload.civilite,
        "birth_name": payload.nom_naissance,
        "usage_name": payload.nom_usage,
        "first_names": payload.prenoms,
        "birth_date": payload.date_naissance,
        "email": payload.courriel,
        **_birth_place(payload),
    }
    try:
        return (
            candidats_services.candidat_create(
                data=data,
                by=request.user,
                centre=session.centre,
                homonym_reason=payload.homonymie_motif,
                ignore_probables=payload.confirmer_nouveau_dossier,
            ),
            False,
        )
    except candidats_services.DoublonCertain as exc:
        certain = [c for c, m in exc.matches if m.level == CERTAIN]
        if len(certain) == 1:
            return certain[0], True
        raise Duplicates(exc) from exc
    except candidats_services.DoublonsProbables as exc:
        raise Duplicates(exc) from exc


@router.get(
    "/sessions/{id}/inscriptions/", response={200: schemas.InscriptionPage, **schemas.ERRORS}, summary="Inscriptions"
)
def inscriptions(request, id: uuid.UUID, curseur: str | None = None, taille: int | None = None):
    qs = (
        _session(request, id)
        .inscriptions.select_related("candidat", "session", "trainer")
        .prefetch_related("ccps", "resultats__ccp")
    )
    data = pagination.paginate(qs, cursor=curseur, size=taille, serialize=inscription_out)
    return pagination.etag_response(request, data)


@router.post(
    "/sessions/{id}/inscriptions/",
    response={201: schemas.InscriptionOut, **schemas.WRITE_ERRORS, 409: schemas.DoublonsErreur},
    summary="Inscrire un candidat",
)
def inscription_create(request, id: uuid.UUID, payload: schemas.InscriptionIn):
    """Le candidat est désigné par son numéro, ou par son identité : le contrôle de doublons des pages s'applique.
    Doublon certain (même personne) : le dossier existant est inscrit (`dossier_existant`: true). Dossiers
    ressemblants : 409 avec la liste ; renvoyez le numéro du bon dossier, ou `confirmer_nouveau_dossier`."""
    session = _managed(request, id)
    try:
        candidat, existing = _candidat(request, session, payload.candidat)
    except Duplicates as dup:
        return Status(
            409,
            {
                "detail": dup.exc.messages[0],
                "erreurs": [{"champ": "candidat", "message": dup.exc.messages[0]}],
                "dossiers": _doublons(dup.exc),
            },
        )
    ccps = list(session.titre.ccps.filter(order__in=payload.ccps)) if payload.ccps else None
    trainer = None
    if payload.formateur:
        trainer = jurors_habilitated_on(session.titre).filter(public_id=payload.formateur).first()
        if trainer is None:
            raise ValidationError(
                {
                    "formateur": [
                        "Aucun juré habilité sur ce titre ne porte cet identifiant : indiquez plutôt son nom "
                        "(formateur_nom)."
                    ]
                }
            )
    inscription = services.inscription_create(
        session=session,
        candidat=candidat,
        route=payload.voie_acces,
        by=request.user,
        ccps=ccps,
        vae_admissibility_date=payload.date_recevabilite_vae,
        training_start_date=payload.debut_formation,
        employer_name=payload.employeur,
        employer_siret=payload.siret_employeur,
        trainer=trainer,
        trainer_name=payload.formateur_nom,
        remote=payload.a_distance,
        identity_checked=payload.identite_verifiee,
    )
    return Status(201, inscription_out(inscription, existing=existing))


@router.delete(
    "/sessions/{id}/inscriptions/{inscription_id}/",
    response={204: None, **schemas.WRITE_ERRORS},
    summary="Désinscrire",
)
def inscription_delete(request, id: uuid.UUID, inscription_id: uuid.UUID, motif: str = ""):
    """Le motif est obligatoire et journalisé, comme sur la page de confirmation."""
    session = _managed(request, id)
    services.inscription_delete(
        inscription=get_object_or_404(session.inscriptions, public_id=inscription_id), by=request.user, reason=motif
    )
    return Status(204, None)


# --- Jury ---------------------------------------------------------------------------------------------------------


@router.get(
    "/sessions/{id}/jures-a-convoquer/",
    response={200: list[schemas.JureDisponibleOut], **schemas.ERRORS},
    summary="Jurés à convoquer",
)
def jurors_available(request, id: uuid.UUID):
    """Les jurés habilités sur le titre chaque jour de la session, sans conflit avec les candidats, les plus
    proches d'abord (la liste de la page « Composer le jury »)."""
    session = _session(request, id)
    current = set(session.jury.values_list("membre_id", flat=True))
    warn = selectors.impartiality_warnings(session)
    return [
        {
            "membre": r.membre.public_id,
            "nom": str(r.membre),
            "departement": r.membre.ud.departement.code if r.membre.ud_id else "",
            "proximite": r.distance_label,
            "sessions_12_derniers_mois": r.recent_sessions,
            "habilitation_fin": r.effective_end,
            "explication": r.explanation,
            "avertissements": warn(r.membre),
        }
        for r in selectors.jurors_available(session)
        if r.membre.pk not in current
    ]


@router.post(
    "/sessions/{id}/jury/", response={201: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Convoquer un juré"
)
def jury_add(request, id: uuid.UUID, payload: schemas.JureIn):
    session = _managed(request, id)
    membre = MembreJury.objects.filter(public_id=payload.membre).first()
    if membre is None:
        raise ValidationError({"membre": ["Choisissez un juré de la liste des jurés à convoquer."]})
    services.jury_add(session=session, membre=membre, by=request.user)
    return Status(201, session_out(session))


@router.delete(
    "/sessions/{id}/jury/{membre_id}/", response={200: schemas.SessionOut, **schemas.WRITE_ERRORS}, summary="Retirer"
)
def jury_remove(request, id: uuid.UUID, membre_id: uuid.UUID, motif: str = ""):
    """Le motif est obligatoire et journalisé, comme sur la page de confirmation."""
    session = _managed(request, id)
    row = get_object_or_404(MembreConvoque, session=session, membre__public_id=membre_id)
    services.jury_remove(row=row, by=request.user, reason=motif)
    return session_out(session)


# --- Convocations -------------------------------------------------------------------------------------------------


def _envoi_out(envoi) -> dict:
    return {
        "id": envoi.pk,
        "etat": envoi.status,
        "etat_libelle": envoi.get_status_display(),
        "destinataires": envoi.total,
        "envoyees": envoi.sent,
        "en_echec": envoi.failed,
        "erreurs": envoi.report,
        "demande_le": envoi.created_at,
    }


def _convocations_out(session) -> dict:
    return {
        "envois": [_envoi_out(e) for e in session.envois.all()],
        "candidats": [
            inscription_out(i)
            for i in session.inscriptions.select_related("candidat", "session", "trainer").prefetch_related(
                "ccps", "resultats__ccp"
            )
        ],
        "jury": [jure_out(row) for row in session.jury.select_related("membre")],
    }


@router.get(
    "/sessions/{id}/convocations/", response={200: schemas.ConvocationsOut, **schemas.ERRORS}, summary="Convocations"
)
def convocations(request, id: uuid.UUID):
    """Envois demandés et, pour chaque candidat et juré, la date d'envoi de sa convocation ou l'erreur."""
    return _convocations_out(_session(request, id))


@router.post(
    "/sessions/{id}/convocations/",
    response={202: schemas.ConvocationsOut, **schemas.WRITE_ERRORS},
    summary="Envoyer les convocations",
)
def convocations_send(request, id: uuid.UUID):
    """Envoi en tâche de fond (PDF + courriel) ; seuls ceux qui n'ont pas encore été convoqués le sont."""
    session = _managed(request, id)
    services.convocations_request(session=session, by=request.user)
    return Status(202, _convocations_out(session))


@router.get(
    "/inscriptions/{id}/convocation.pdf",
    response={200: None, **schemas.ERRORS},
    summary="Convocation d'un candidat (PDF)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def convocation_pdf(request, id: uuid.UUID):
    """La convocation du candidat, telle qu'elle lui est envoyée (les parchemins restent à l'UD)."""
    inscription = get_object_or_404(
        scope.narrow(request, selectors.inscriptions_visible_for(request.user), "session__centre"), public_id=id
    )
    if inscription.session.status == StatutSession.ANNULEE:
        raise ValidationError("La session est annulée : aucune convocation.")
    if inscription.session.status in rules.EDITABLE_STATES:
        refusals = selectors.convocation_letter_errors(inscription.session)
        if refusals:
            raise ValidationError(refusals)
    pdf = render_pdf("convocation_candidat.typ", convocation_data(inscription.session, person=inscription.candidat))
    return pdf_response(pdf, f"convocation-{inscription.public_id}.pdf", inline=True)


# --- Results ------------------------------------------------------------------------------------------------------


@router.put(
    "/inscriptions/{id}/resultats/",
    response={200: schemas.InscriptionOut, **schemas.WRITE_ERRORS},
    summary="Saisir les résultats d'un candidat",
)
def results_record(request, id: uuid.UUID, payload: schemas.ResultatsIn):
    """`ccps` : {ordre du CCP: obtenu | non_obtenu | non_presente}. La décision (réussite, réussite partielle, échec,
    absent) est calculée par les règles des pages, à partir des CCP déjà obtenus."""
    require_write(request)
    inscription = get_object_or_404(
        scope.narrow(request, selectors.inscriptions_visible_for(request.user), "session__centre"), public_id=id
    )
    if not perms.can_manage(request.user, inscription.session):
        raise PermissionDenied(CENTRE_ONLY)
    by_order = dict(inscription.session.titre.ccps.values_list("order", "pk"))
    unknown = [order for order in payload.ccps if order not in by_order]
    if unknown:
        raise ValidationError({"ccps": [f"Le titre n'a pas de CCP n° {order}." for order in unknown]})
    inscription = services.results_record(
        inscription=inscription,
        by=request.user,
        ccp_results={by_order[order]: value for order, value in payload.ccps.items()},
        entretien_final=payload.entretien_final,
        ccs_result=payload.resultat_ccs,
        absence_justified=payload.absence_justifiee,
        incidents=payload.incidents,
    )
    return inscription_out(Inscription.objects.select_related("candidat", "session").get(pk=inscription.pk))


@router.post(
    "/sessions/{id}/transmission/",
    response={200: schemas.SessionOut, **schemas.WRITE_ERRORS},
    summary="Transmettre les résultats à l'UD",
)
def results_submit(request, id: uuid.UUID, payload: schemas.TransmissionIn):
    """Comme « Transmettre à l'UD » : tous les résultats saisis, absences qualifiées, PV signé par le jury."""
    session = _managed(request, id)
    return session_out(services.results_submit(session=session, by=request.user, pv_signed=payload.pv_signe))
