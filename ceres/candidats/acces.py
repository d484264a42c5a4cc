"""Precomputed access to candidate files (CandidatAcces): which scopes see a file, kept by the models' save().

Scopes: "D:<code département>" (agent UD), "R:<code région>" (agent DREETS), "C:<centre id>" (centre managers).
A file is seen by the département and region of its residence commune, by its creating centre (and that centre's
département and region), and by the centre of every session it is registered in (same). Rows are only added
(cumulative access); their name keys and "active" (not absorbed by a merge) follow the file's.
"""

from __future__ import annotations

from ceres.candidats.models import Candidat, CandidatAcces
from ceres.centres.models import Centre
from ceres.referentiels.models import Departement


def departement_scopes(code: str) -> set[str]:
    if not code:
        return set()
    region = Departement.objects.filter(code=code).values_list("region__code", flat=True).first()
    return {f"D:{code}"} | ({f"R:{region}"} if region else set())


def centre_scopes(centre_id) -> set[str]:
    row = Centre.objects.filter(pk=centre_id).values_list("departement__code", "departement__region__code").first()
    if row is None:
        return set()
    return {f"C:{centre_id}", f"D:{row[0]}", f"R:{row[1]}"}


def user_scopes(user) -> list[str] | None:
    """Scopes of a user: None for the whole nation, [] for no candidate file at all."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_admin_national:
        return None
    if user.is_agent_ud:
        return [f"D:{user.ud.departement.code}"] if user.ud_id else []
    if user.is_agent_dreets:
        return [f"R:{user.region.code}"] if user.region_id else []
    if user.is_gestionnaire_centre:
        return [f"C:{pk}" for pk in user.centre_memberships.values_list("centre_id", flat=True)]
    return []


def acces_grant(candidat: Candidat, scopes: set[str]) -> None:
    if scopes:
        CandidatAcces.objects.bulk_create(
            [
                CandidatAcces(
                    scope=scope,
                    candidat=candidat,
                    name_key=candidat.name_key,
                    usage_name_key=candidat.usage_name_key,
                    active=candidat.merged_into_id is None,
                )
                for scope in sorted(scopes)
            ],
            ignore_conflicts=True,
        )


def candidat_saved(candidat: Candidat) -> None:
    scopes = set()
    if candidat.commune_id:
        scopes |= departement_scopes(candidat.commune.departement_code)
    if candidat.created_by_centre_id:
        scopes |= centre_scopes(candidat.created_by_centre_id)
    acces_grant(candidat, scopes)
    copied = {
        "name_key": candidat.name_key,
        "usage_name_key": candidat.usage_name_key,
        "active": candidat.merged_into_id is None,
    }
    CandidatAcces.objects.filter(candidat=candidat).exclude(**copied).update(**copied)


def candidat_registered(candidat: Candidat, centre_id) -> None:
    """A registration in a session of this centre: the centre, its département and region see the file."""
    acces_grant(candidat, centre_scopes(centre_id))


def acces_merge(*, survivor: Candidat, absorbed: Candidat) -> None:
    """After a merge the surviving file is seen by whoever saw either file (the absorbed one keeps its rows)."""
    scopes = set(CandidatAcces.objects.filter(candidat=absorbed).values_list("scope", flat=True))
    acces_grant(survivor, scopes)
