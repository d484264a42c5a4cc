"""Shapes of the API (French field names, like the public communes/pays API)."""

import datetime
import uuid

from ninja import Schema


class ErreurChamp(Schema):
    champ: str | None = None
    message: str


class Erreur(Schema):
    detail: str
    erreurs: list[ErreurChamp] = []


class ErreurSimple(Schema):
    """Error body of the public référentiels endpoints (kept as it was before the API)."""

    erreur: str


ERRORS = {400: Erreur, 401: Erreur, 403: Erreur, 404: Erreur, 429: Erreur}
WRITE_ERRORS = {**ERRORS, 409: Erreur, 422: Erreur}


# --- Référentiels -------------------------------------------------------------------------------------------------


class NsfOut(Schema):
    code: str
    libelle: str
    groupe: str


class CcpOut(Schema):
    ordre: int
    code: str
    intitule: str


class TitreOut(Schema):
    id: uuid.UUID
    code_rncp: str | None
    code_titre: str
    sigle: str
    intitule: str
    niveau: int | None
    debut_validite: datetime.date | None
    fin_de_vie: datetime.date | None
    statut: str
    fin_prolongation: datetime.date | None
    fin_prolongation_cfa_crp: datetime.date | None
    reussite_partielle_possible: bool
    nsf: list[NsfOut]
    ccps: list[CcpOut]
    version_precedente: uuid.UUID | None


class TitrePage(Schema):
    results: list[TitreOut]
    suivant: str | None


class NsfPage(Schema):
    results: list[NsfOut]
    suivant: str | None


class CommuneDepartement(Schema):
    code: str
    nom: str | None


class CommuneOut(Schema):
    id: int
    nom: str
    code_insee: str
    type: str
    statut: str
    departement: CommuneDepartement
    date_debut: str | None
    date_fin: str | None
    actuelle: bool
    libelle: str


class CommuneList(Schema):
    results: list[CommuneOut]
    count: int


class PaysOut(Schema):
    id: int
    nom: str
    code_insee: str
    statut: str
    date_debut: str | None
    date_fin: str | None


class PaysList(Schema):
    results: list[PaysOut]
    count: int


# --- Centres ------------------------------------------------------------------------------------------------------


class Ref(Schema):
    id: uuid.UUID
    libelle: str


class SiteOut(Schema):
    id: uuid.UUID
    nom: str
    commune: str


class AgrementOut(Schema):
    id: uuid.UUID
    centre: Ref
    site: SiteOut
    titre: Ref
    ccs: str | None
    debut: datetime.date
    fin: datetime.date
    decision: str
    statut: str
    statut_libelle: str
    permet: str


class AgrementPage(Schema):
    results: list[AgrementOut]
    suivant: str | None
