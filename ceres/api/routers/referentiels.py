"""Référentiels: titles with their CCP, NSF codes and end of life; communes and countries by date (public)."""

import datetime
import uuid

from django.http import Http404, JsonResponse
from ninja import Query, Router, Schema

from ceres.api import pagination, schemas
from ceres.referentiels import communes, selectors
from ceres.referentiels.models import Nsf

router = Router(tags=["Référentiels"])
public = Router(tags=["Référentiels publics"])

DEFAULT_LIMIT = 20


class TitreFiltres(Schema):
    q: str = ""
    nsf: str = ""
    statut: str = ""
    modifie_depuis: datetime.datetime | None = None
    curseur: str | None = None
    taille: int | None = None


def titre_out(titre, months) -> dict:
    cycle = selectors.cycle_de_vie(titre, months=months)
    return {
        "id": titre.public_id,
        "code_rncp": titre.code_rncp,
        "code_titre": titre.code_titre,
        "sigle": titre.sigle,
        "intitule": titre.intitule,
        "niveau": titre.niveau,
        "debut_validite": titre.start_date,
        "fin_de_vie": titre.end_date,
        "statut": str(cycle.statut),
        "fin_prolongation": cycle.prolongation_end,
        "fin_prolongation_cfa_crp": cycle.prolongation_cfa_crp_end,
        "reussite_partielle_possible": titre.partial_success_allowed,
        "nsf": [{"code": n.code, "libelle": n.label, "groupe": n.group} for n in titre.nsf_codes.all()],
        "ccps": [{"ordre": c.order, "code": c.code_cp, "intitule": c.intitule} for c in titre.ccps.all()],
        "version_precedente": titre.predecessor.public_id if titre.predecessor_id else None,
    }


@router.get(
    "/referentiels/titres/",
    url_name="referentiel_titres",
    response={200: schemas.TitrePage, **schemas.ERRORS},
    summary="Titres professionnels",
)
def titres(request, filtres: Query[TitreFiltres]):
    """Versions des titres avec leurs CCP, codes NSF, fin de vie et état (actif, en prolongation…), par curseur.

    `statut` : actif, prolongation, termine, a_venir, inconnu. `modifie_depuis` : pour une synchronisation.
    """
    qs = selectors.titres_search(request.user, q=filtres.q, nsf=filtres.nsf, statut=filtres.statut)
    if filtres.modifie_depuis:
        qs = qs.filter(updated_at__gte=pagination.since(filtres.modifie_depuis))
    qs = qs.select_related("predecessor").prefetch_related("ccps")
    months = selectors.prolongation_months()
    data = pagination.paginate(
        qs, cursor=filtres.curseur, size=filtres.taille, serialize=lambda t: titre_out(t, months)
    )
    return pagination.etag_response(request, data)


@router.get(
    "/referentiels/titres/{id}/",
    url_name="referentiel_titre",
    response={200: schemas.TitreOut, **schemas.ERRORS},
    summary="Un titre",
)
def titre(request, id: uuid.UUID):
    try:
        found = selectors.titre_detail(request.user, id)
    except selectors.TitreProfessionnel.DoesNotExist as exc:
        raise Http404 from exc
    return titre_out(found, selectors.prolongation_months())


@router.get(
    "/referentiels/nsf/",
    url_name="referentiel_nsf",
    response={200: schemas.NsfPage, **schemas.ERRORS},
    summary="Codes NSF",
)
def nsf(request, curseur: str | None = None, taille: int | None = None):
    data = pagination.paginate(
        Nsf.objects.all(),
        cursor=curseur,
        size=taille,
        serialize=lambda n: {"code": n.code, "libelle": n.label, "groupe": n.group},
    )
    return pagination.etag_response(request, data)


# --- Public open data (no key): unchanged contract of the first public API -----------------------------------


def _search(request, search, q: str, date: str | None, limit: str | None):
    try:
        on_date = communes.parse_date_param(date)
        if limit and (not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= communes.MAX_LIMIT):
            raise communes.InvalidQuery(
                f"Le paramètre « limit » doit être un nombre entier entre 1 et {communes.MAX_LIMIT}."
            )
    except communes.InvalidQuery as error:
        response = JsonResponse({"erreur": str(error)}, status=400)
    else:
        results = search(q, on_date=on_date, limit=int(limit) if limit else DEFAULT_LIMIT)
        response = JsonResponse({"results": results, "count": len(results)})
        # Open data, identical for everyone: let browsers and proxies keep it a little.
        response["Cache-Control"] = "public, max-age=3600"
    # Readable from any web page (like geo.api.gouv.fr): no cookie is sent nor read cross-origin.
    response["Access-Control-Allow-Origin"] = "*"
    return response


SEARCH_DOC = """Sans clé. `q` : début du nom (sans accents ni article, « st » pour « saint »), début d'un mot du nom
ou code INSEE ; `date` (AAAA-MM-JJ) : noms en vigueur ce jour-là (avant 1943 : état de 1943) ; `limit` : 1 à 50."""


@public.get(
    "/communes/",
    url_name="communes",
    auth=None,
    response={200: schemas.CommuneList, 400: schemas.ErreurSimple},
    summary="Communes depuis 1943",
    description=SEARCH_DOC,
)
def communes_search(request, q: str = "", date: str | None = None, limit: str | None = None):
    return _search(request, communes.search_communes, q, date, limit)


@public.get(
    "/pays/",
    url_name="pays",
    auth=None,
    response={200: schemas.PaysList, 400: schemas.ErreurSimple},
    summary="Pays et territoires depuis 1943",
    description=SEARCH_DOC,
)
def pays_search(request, q: str = "", date: str | None = None, limit: str | None = None):
    return _search(request, communes.search_pays, q, date, limit)


@public.get(
    "/titres/",
    url_name="titres",
    auth=None,
    response={200: schemas.TitreRecherche, 400: schemas.ErreurSimple},
    summary="Recherche de titres (sélecteur)",
    description="Sans clé. `q` : code titre (TP-01293), n° RNCP ou mots de l'intitulé ; `date` (AAAA-MM-JJ) : "
    "seulement les versions pas en fin de vie ce jour-là ; `limit` : 1 à 50.",
)
def titres_search(request, q: str = "", date: str | None = None, limit: str | None = None):
    return _search(request, selectors.search_titres, q, date, limit)
