"""Permission matrix of the examens app (played by tests/permissions/test_matrix.py)."""

from django.core.files.base import ContentFile

from ceres.examens.models import PvSigne
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.permissions.matrix import Case, logged_in
from tests.referentiels.factories import TitreProfessionnelFactory


def cases(world):
    centre = CentreFactory(departement=world.departement)
    agrement = AgrementFactory(
        centre=centre, site=SiteFactory(centre=centre), titre=TitreProfessionnelFactory(with_ccps=2), valide=True
    )
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=centre)
    MembreCentreFactory(
        user=world.users["gestionnaire_autre_centre"], centre=CentreFactory(departement=world.departement)
    )
    session = SessionExamenFactory(agrement=agrement, responsable=world.users["gestionnaire_centre"])
    inscription = InscriptionFactory(session=session)
    juror = MembreConvoqueFactory(session=session)
    s = {"public_id": session.public_id}
    ins = {**s, "inscription_id": inscription.public_id}

    pv = PvSigne(session=session, sha256="0" * 64, size=15, uploaded_by=world.users["gestionnaire_centre"])
    pv.file.save("pv-matrice.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)

    visible = logged_in(404, admin_national=200, agent_dreets=200, agent_ud=200, gestionnaire_centre=200)
    # Documents of the session (convocations, attendance sheets, signed PV): its centre and its UD.
    documents = logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=200)
    centre_get = logged_in(404, admin_national=403, agent_dreets=403, agent_ud=403, gestionnaire_centre=200)
    centre_post = {**centre_get, "gestionnaire_centre": 302}
    return [
        Case("examens:session_list", expected=logged_in(200)),
        Case(
            "examens:session_create",
            # The UD agent chooses a centre of its département to record a past session (docs/decisions/0008).
            expected=logged_in(
                403, gestionnaire_centre=200, gestionnaire_autre_centre=200, agent_ud=200, agent_ud_autre=200
            ),
        ),
        Case(
            "examens:session_create",
            data={"centre": str(centre.public_id)},
            label="UD : session passée pour un centre de son département",
            expected=logged_in(
                403, gestionnaire_centre=200, gestionnaire_autre_centre=200, agent_ud=200, agent_ud_autre=200
            ),
        ),
        Case("examens:validations", expected=logged_in(403, agent_ud=200, agent_ud_autre=200)),
        Case("examens:validations", method="post", data={}, expected=logged_in(403, agent_ud=302, agent_ud_autre=302)),
        Case("examens:convocations_qualite", expected=logged_in(200)),
        Case("examens:session_detail", kwargs=s, expected=visible),
        Case("examens:session_update", kwargs=s, expected=centre_get),
        Case("examens:inscription_add", kwargs=s, expected=centre_get),
        # Destructive actions: a confirmation page (GET), then the action with its reason (POST).
        Case("examens:inscription_delete", kwargs=ins, method="post", data={"reason": "Test"}, expected=centre_post),
        Case("examens:inscription_delete", kwargs=ins, expected=centre_get),
        Case("examens:resultats", kwargs=ins, expected=centre_get),
        Case("examens:resultats_grille", kwargs=s, expected=centre_get),
        # Posted on a session not yet open: the grid is shown again with the reason (nothing saved).
        Case("examens:resultats_grille", kwargs=s, method="post", data={}, expected=centre_get),
        Case("examens:jury", kwargs=s, expected=centre_get),
        Case(
            "examens:jury_remove",
            kwargs={**s, "membre_id": juror.membre.public_id},
            method="post",
            data={"reason": "Test"},
            expected=centre_post,
        ),
        Case("examens:jury_remove", kwargs={**s, "membre_id": juror.membre.public_id}, expected=centre_get),
        Case("examens:convocations_send", kwargs=s, method="post", data={}, expected=centre_post),
        Case("examens:convocations_progress", kwargs=s, expected=visible),
        Case("examens:convocations_mailing", kwargs=s, data={"tous": "1"}, expected=documents),
        Case("examens:convocation_candidat", kwargs=ins, expected=documents),
        Case("examens:convocation_jure", kwargs={**s, "membre_id": juror.membre.public_id}, expected=documents),
        Case("examens:emargement", kwargs=s, expected=documents),
        Case(
            "examens:pv_signe_upload",
            kwargs=s,
            method="post",
            data={},
            expected={**documents, "agent_ud": 302, "gestionnaire_centre": 302},
        ),
        Case("examens:pv_signe_download", kwargs={**s, "pv_id": pv.public_id}, expected=documents),
        Case(
            "examens:session_transition",
            kwargs=s,
            method="post",
            data={"target": "annulee", "reason": "Test"},
            expected={**centre_post, "agent_ud": 302},
        ),
        Case("examens:session_cancel", kwargs=s, expected={**centre_get, "agent_ud": 200}),
        Case(
            "examens:session_cancel",
            kwargs=s,
            method="post",
            data={"reason": "Test"},
            expected={**centre_post, "agent_ud": 302},
        ),
        Case(
            "examens:session_return",
            kwargs=s,
            expected=logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=403),
        ),
        Case("examens:resultats_submit", kwargs=s, method="post", data={"pv_signed": "on"}, expected=centre_post),
        Case(
            "examens:session_validate",
            kwargs=s,
            expected=logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=403),
        ),
        Case(
            "examens:parcours",
            kwargs={"candidat_public_id": inscription.candidat.public_id},
            expected=logged_in(404, admin_national=200, agent_dreets=200, agent_ud=200, gestionnaire_centre=200),
        ),
    ]
