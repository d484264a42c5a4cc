"""Permission matrix of the candidats app (played by tests/permissions/test_matrix.py)."""

from ceres.candidats import services
from ceres.candidats.models import CorrectionIdentite, DoublonPotentiel, ImportCandidats
from ceres.candidats.selectors import doublons_detect
from ceres.core.imports import StatutImport
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.permissions.matrix import Case, logged_in
from tests.referentiels.factories import CommuneFactory


def cases(world):
    centre = CentreFactory(departement=world.departement)
    autre_centre = CentreFactory(departement=world.autre_departement)
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre)
    MembreCentreFactory(user=world.users["gestionnaire_autre_centre"], centre=autre_centre)
    commune = CommuneFactory(departement_code=world.departement.code)
    candidat = CandidatFactory(birth_name="Dupont", first_names="Jean", created_by_centre=centre, commune=commune)
    other = CandidatFactory(
        birth_name="Dupond", first_names="Jean", birth_date=candidat.birth_date, created_by_centre=centre
    )
    services.doublons_store(list(doublons_detect()))
    doublon = DoublonPotentiel.objects.get(candidat_a__in=[candidat, other], candidat_b__in=[candidat, other])

    correction = CorrectionIdentite.objects.create(
        candidat=candidat,
        current={},
        identity={"birth_name": "Durand"},
        proof="corrections_identite/preuve.pdf",
        reason="Erreur de saisie",
        requested_by=world.users["gestionnaire_centre"],
        departements=f",{world.departement.pk},",
    )
    job = ImportCandidats.objects.create(
        filename="candidats.csv",
        file="imports/matrice.csv",
        sha256="0" * 64,
        created_by=world.users["gestionnaire_centre"],
        centre=centre,
        status=StatutImport.APPLIQUE,
    )
    importer = logged_in(403, gestionnaire_centre=200, gestionnaire_autre_centre=200)
    own_job = logged_in(403, gestionnaire_centre=200, gestionnaire_autre_centre=404)
    detail = logged_in(404, admin_national=200, agent_dreets=200, agent_ud=200, gestionnaire_centre=200)
    edit = logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=200)
    merge = logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=403)
    kw = {"public_id": candidat.public_id}
    return [
        Case("candidats:list", expected=logged_in(200, membre_jury=403)),
        Case(
            "candidats:create",
            expected=logged_in(
                403, agent_ud=200, agent_ud_autre=200, gestionnaire_centre=200, gestionnaire_autre_centre=200
            ),
        ),
        Case("candidats:detail", kwargs=kw, expected=detail),
        Case("candidats:update", kwargs=kw, expected=edit),
        Case("candidats:merge", kwargs=kw, expected=merge),
        Case(
            "candidats:correction_request",
            kwargs=kw,
            expected=logged_in(404, admin_national=403, agent_dreets=403, agent_ud=403, gestionnaire_centre=200),
        ),
        Case("candidats:corrections", expected=logged_in(403, agent_ud=200, agent_ud_autre=200)),
        Case(
            "candidats:correction_decide",
            kwargs={"public_id": correction.public_id},
            expected=logged_in(404, agent_ud=200),
        ),
        Case("candidats:import", expected=importer),
        Case("candidats:import_modele", expected=importer),
        Case("candidats:import_job", kwargs={"public_id": job.public_id}, expected=own_job),
        Case("candidats:import_report", kwargs={"public_id": job.public_id}, expected=own_job),
        Case(
            "candidats:import_action",
            kwargs={"public_id": job.public_id},
            method="post",
            data={"action": "appliquer"},  # already applied: refused with a message, back to the job page
            expected={**own_job, "gestionnaire_centre": 302},
        ),
        Case("candidats:doublons", expected=logged_in(403, admin_national=200, agent_ud=200, agent_ud_autre=200)),
        Case("candidats:doublon_ecarter", kwargs={"public_id": doublon.public_id}, expected=logged_in(405)),
        Case(
            "candidats:doublon_ecarter",
            kwargs={"public_id": doublon.public_id},
            method="post",
            data={"reason": "Personnes différentes"},
            expected=logged_in(404, admin_national=403, agent_dreets=403, agent_ud=302, gestionnaire_centre=403),
        ),
    ]
