"""Shapes of the API (French field names, like the public communes/pays API)."""

import datetime
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import Field

# Local wall-clock time of an exam (Europe/Paris), « HH:MM »: not an RFC 3339 time, which carries an offset.
Heure = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]


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


class TitreRecherche(Schema):
    results: list[dict]
    count: int


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


# --- Sessions -----------------------------------------------------------------------------------------------------


class SessionIn(Schema):
    titre: uuid.UUID
    type: str = "titre"
    site: uuid.UUID
    debut: datetime.date
    fin: datetime.date
    heure_debut: Heure = "08:00"
    date_convocation: datetime.date | None = Field(
        None,
        description="Absente : la convocation suit le premier jour (08:00, ou l'heure de début si elle est plus "
        "matinale) tant qu'elle n'est pas fixée, y compris quand les dates changent ensuite.",
    )
    heure_convocation: Heure | None = None
    responsable: str | None = None
    candidats_prevus: int = 1
    a_distance: bool = False
    ccps: list[int] = []
    ccs: str | None = None


class SessionPatch(Schema):
    site: uuid.UUID | None = None
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    heure_debut: Heure | None = None
    date_convocation: datetime.date | None = None
    heure_convocation: Heure | None = None
    responsable: str | None = None
    candidats_prevus: int | None = None
    a_distance: bool | None = None


class JureOut(Schema):
    membre: uuid.UUID
    nom: str
    convocation_envoyee_le: datetime.datetime | None
    erreur_envoi: str


class SessionOut(Schema):
    id: uuid.UUID
    centre: Ref
    site: SiteOut
    titre: Ref
    type: str
    ccps: list[int]
    debut: datetime.date
    fin: datetime.date
    heure_debut: Heure
    date_convocation: datetime.date
    heure_convocation: Heure
    convocation_fixee: bool = Field(
        description="false : la convocation suit le premier jour (elle bouge avec les dates) ; true : fixée, gardée "
        "et contrôlée quand les dates changent."
    )
    anomalies_convocation: list[str]
    responsable: str
    candidats_prevus: int
    a_distance: bool
    etat: str
    etat_libelle: str
    motif_etat: str
    en_prolongation: bool
    candidats_inscrits: int
    jury: list[JureOut]
    anomalies_jury: list[str]
    avertissements_jury: list[str] = Field(
        description="Liens d'impartialité signalés (même employeur qu'un candidat, employé par le centre, formateur "
        "saisi sous un nom libre) : ils ne bloquent pas la session."
    )
    retard_resultats: str
    transmise_le: datetime.datetime | None
    numero_pv: str
    validee_le: datetime.datetime | None
    modifiee_le: datetime.datetime


class SessionPage(Schema):
    results: list[SessionOut]
    suivant: str | None


class MotifIn(Schema):
    motif: str = ""


class TransmissionIn(Schema):
    pv_signe: bool


class CandidatIn(Schema):
    """A person: either an existing file (numero) or an identity, checked against the national file."""

    numero: str | None = None
    civilite: str | None = None
    nom_naissance: str | None = None
    nom_usage: str = ""
    prenoms: str | None = None
    date_naissance: datetime.date | None = None
    commune_naissance: str | None = None
    pays_naissance: str | None = None
    ville_naissance_etranger: str = ""
    courriel: str = ""
    homonymie_motif: str = ""
    confirmer_nouveau_dossier: bool = False


class InscriptionIn(Schema):
    candidat: CandidatIn
    voie_acces: str
    ccps: list[int] = []
    date_recevabilite_vae: datetime.date | None = None
    debut_formation: datetime.date | None = None
    employeur: str = ""
    siret_employeur: str = ""
    formateur: uuid.UUID | None = Field(
        None,
        description="Formateur ou accompagnateur (VAE) du candidat s'il est juré : identifiant d'un juré habilité sur "
        "le titre. Il ne pourra pas siéger à cette session (impartialité).",
    )
    formateur_nom: str = Field(
        "",
        max_length=200,
        description="Ou son nom et prénom s'il n'est pas dans l'annuaire des jurés : signalé à la composition du jury "
        "si un juré porte ce nom.",
    )
    a_distance: bool = False
    identite_verifiee: bool = Field(
        False,
        description="Obligatoire (true) pour un dossier ouvert par un autre centre : le centre atteste avoir vérifié "
        "la pièce d'identité du candidat et recueilli sa demande d'inscription (journalisé).",
    )


class CandidatOut(Schema):
    id: uuid.UUID
    numero: str
    nom_naissance: str
    prenoms: str
    date_naissance: datetime.date


class ResultatCcpOut(Schema):
    ccp: int
    resultat: str


class InscriptionOut(Schema):
    id: uuid.UUID
    session: uuid.UUID
    candidat: CandidatOut
    dossier_existant: bool = False
    voie_acces: str
    formateur: uuid.UUID | None
    formateur_nom: str
    ccps: list[int]
    resultats_ccp: list[ResultatCcpOut]
    entretien_final: str
    resultat_ccs: str
    decision: str
    absence_justifiee: bool | None
    convocation_envoyee_le: datetime.datetime | None
    erreur_envoi: str


class InscriptionPage(Schema):
    results: list[InscriptionOut]
    suivant: str | None


class DoublonOut(Schema):
    numero: str
    nom_naissance: str
    prenoms: str
    date_naissance: datetime.date
    niveau: str


class DoublonsErreur(Schema):
    detail: str
    erreurs: list[ErreurChamp] = []
    dossiers: list[DoublonOut] = []


class ResultatsIn(Schema):
    ccps: dict[int, str] = {}
    entretien_final: str = "sans_objet"
    resultat_ccs: str = ""
    absence_justifiee: bool | None = None
    incidents: str = ""


class JureIn(Schema):
    membre: uuid.UUID


class JureDisponibleOut(Schema):
    membre: uuid.UUID
    nom: str
    departement: str
    proximite: str
    sessions_12_derniers_mois: int
    habilitation_fin: datetime.date | None
    explication: str
    avertissements: list[str]


class EnvoiOut(Schema):
    id: int
    etat: str
    etat_libelle: str
    destinataires: int
    envoyees: int
    en_echec: int
    erreurs: list
    demande_le: datetime.datetime


class ConvocationsOut(Schema):
    envois: list[EnvoiOut]
    candidats: list[InscriptionOut]
    jury: list[JureOut]
