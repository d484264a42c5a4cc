"""The centre's agréments (and, for the UD and the DREETS, those of their scope)."""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from ceres.api import pagination, schemas, scope
from ceres.centres.selectors import filter_by_status

router = Router(tags=["Agréments"])


class AgrementFiltres(Schema):
    statut: str = ""
    fin_avant: datetime.date | None = None
    fin_apres: datetime.date | None = None
    modifie_depuis: datetime.datetime | None = None
    curseur: str | None = None
    taille: int | None = None


def agrement_out(a, today) -> dict:
    status = a.status_on(today)
    return {
        "id": a.public_id,
        "centre": {"id": a.centre.public_id, "libelle": a.centre.name},
        "site": {"id": a.site.public_id, "nom": a.site.name, "commune": a.site.commune.name},
        "titre": {"id": a.titre.public_id, "libelle": str(a.titre)},
        "ccs": a.ccs.intitule if a.ccs_id else None,
        "debut": a.start_date,
        "fin": a.end_date,
        "decision": a.decision,
        "statut": str(status),
        "statut_libelle": status.label,
        "permet": a.status_allows,
    }


@router.get("/agrements/", response={200: schemas.AgrementPage, **schemas.ERRORS}, summary="Agréments")
def agrements(request, filtres: Query[AgrementFiltres]):
    """Agréments du centre de la clé (UD, DREETS : ceux de leur périmètre). `statut` : valide, a_venir, expiree,
    en_cours_instruction, refusee, retiree, classee_sans_suite."""
    today = timezone.localdate()
    qs = scope.agrements(request)
    if filtres.statut:
        qs = filter_by_status(qs, filtres.statut, today)
    if filtres.fin_avant:
        qs = qs.filter(end_date__lte=filtres.fin_avant)
    if filtres.fin_apres:
        qs = qs.filter(end_date__gte=filtres.fin_apres)
    if filtres.modifie_depuis:
        qs = qs.filter(updated_at__gte=pagination.since(filtres.modifie_depuis))
    data = pagination.paginate(
        qs, cursor=filtres.curseur, size=filtres.taille, serialize=lambda a: agrement_out(a, today)
    )
    return pagination.etag_response(request, data)


@router.get("/agrements/{id}/", response={200: schemas.AgrementOut, **schemas.ERRORS}, summary="Un agrément")
def agrement(request, id: uuid.UUID):
    return agrement_out(get_object_or_404(scope.agrements(request), public_id=id), timezone.localdate())
