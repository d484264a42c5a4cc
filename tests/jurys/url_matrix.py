"""Permission matrix of the jurys app (played by tests/permissions/test_matrix.py)."""

from ceres.core.imports import StatutImport
from ceres.jurys.models import ImportReprise
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.permissions.matrix import Case, logged_in

ANON = {"anonyme": 302}


def cases(world):
    membre = MembreJuryFactory(ud=world.ud)
    habilitation = HabilitationFactory(membre=membre, ud=world.ud)
    # The juror account's own file is managed by the other UD.
    own = MembreJuryFactory(ud=world.autre_ud, user=world.users["membre_jury"])
    own_habilitation = HabilitationFactory(membre=own, ud=world.autre_ud)

    job = ImportReprise.objects.create(
        filename="export_jures.csv",
        file="imports/matrice.csv",
        sha256="0" * 64,
        created_by=world.users["agent_ud"],
        ud=world.ud,
        status=StatutImport.APPLIQUE,
    )
    # The reprise: UD agents (their UD's jurors) and the national administrator; a deposit is seen by its UD.
    importer = logged_in(403, admin_national=200, agent_ud=200, agent_ud_autre=200)
    own_job = logged_in(403, admin_national=200, agent_ud=200, agent_ud_autre=404)

    ud_only = logged_in(403, agent_ud=200, agent_ud_autre=200)
    in_scope = logged_in(404, admin_national=200, agent_ud=200)
    manage = logged_in(404, admin_national=403, agent_ud=200)
    return [
        Case("jurys:membre_list", expected=logged_in(403, admin_national=200, agent_ud=200, agent_ud_autre=200)),
        Case("jurys:membre_create", expected=ud_only),
        Case(
            "jurys:a_convoquer",
            expected=logged_in(200, agent_dreets=403, agent_dreets_autre=403, membre_jury=403),
        ),
        Case("jurys:mon_espace", expected=logged_in(403, membre_jury=200)),
        Case("jurys:homonymies", expected=ud_only),
        Case("jurys:import", expected=importer),
        Case("jurys:import_modele", expected=importer),
        Case("jurys:import_job", kwargs={"public_id": job.public_id}, expected=own_job),
        Case("jurys:import_report", kwargs={"public_id": job.public_id}, expected=own_job),
        Case(
            "jurys:import_action",
            kwargs={"public_id": job.public_id},
            method="post",
            data={"action": "appliquer"},
            expected={**own_job, "agent_ud": 302, "admin_national": 302},
            label="reprise déjà appliquée : refus expliqué, retour au suivi",
        ),
        Case("jurys:membre_detail", kwargs={"public_id": membre.public_id}, expected=in_scope),
        Case(
            "jurys:membre_detail",
            kwargs={"public_id": own.public_id},
            expected=logged_in(404, admin_national=200, agent_ud_autre=200, membre_jury=200),
            label="fiche du juré connecté",
        ),
        Case("jurys:membre_update", kwargs={"public_id": membre.public_id}, expected=manage),
        Case("jurys:habilitation_create", kwargs={"public_id": membre.public_id}, expected=manage),
        Case("jurys:habilitation_detail", kwargs={"public_id": habilitation.public_id}, expected=in_scope),
        Case(
            "jurys:habilitation_detail",
            kwargs={"public_id": own_habilitation.public_id},
            expected=logged_in(404, admin_national=200, agent_ud_autre=200, membre_jury=200),
            label="habilitation du juré connecté",
        ),
        Case("jurys:habilitation_status", kwargs={"public_id": habilitation.public_id}, expected=manage),
        Case(
            "jurys:habilitation_status",
            kwargs={"public_id": habilitation.public_id},
            method="post",
            data={"status": "suspendue", "reason": "Contrôle en cours"},
            expected=logged_in(404, admin_national=403, agent_ud=302),
        ),
        Case(
            "jurys:habilitation_status",
            kwargs={"public_id": own_habilitation.public_id},
            method="post",
            data={"status": "retiree", "reason": "Test"},
            expected=logged_in(404, admin_national=403, agent_ud_autre=302, membre_jury=403),
            label="le juré ne retire pas sa propre habilitation",
        ),
    ]
