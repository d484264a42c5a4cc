"""Permission matrix of the documents app (played by tests/permissions/test_matrix.py)."""

from django.core.files.base import ContentFile

from ceres.documents import services
from ceres.documents.models import ImpressionLot, StatutLot
from ceres.examens.enums import TypeCertification
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.examens.factories import CertificationFactory, InscriptionFactory, SessionExamenFactory
from tests.permissions.matrix import Case, everyone, logged_in
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
    session = SessionExamenFactory(agrement=agrement, responsable=world.users["gestionnaire_centre"], validee=True)
    agent = world.users["agent_ud"]
    cert = CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
    parchemin = services.parchemin_issue(certification=cert, by=agent, paper_original=False)
    annulled = CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
    services.certification_annul(certification=annulled, by=agent, reason="Fraude établie (cas de test)")
    lot = ImpressionLot(session=session, requested_by=agent, status=StatutLot.TERMINE, total=1, done=1)
    lot.file.save("lot-matrice.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)

    s = {"public_id": session.public_id}
    c = {"public_id": cert.public_id}
    visible = logged_in(404, admin_national=200, agent_dreets=200, agent_ud=200, gestionnaire_centre=200)
    ud_only = logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=403)
    ud_post = {**ud_only, "agent_ud": 302}
    return [
        Case("documents:session_parchemins", kwargs=s, expected=visible),
        Case("documents:lot_request", kwargs=s, method="post", data={"paper_original": "non"}, expected=ud_post),
        Case("documents:lot_request", kwargs=s, expected=logged_in(405)),
        Case(
            "documents:session_pv",
            kwargs=s,
            expected=logged_in(404, admin_national=403, agent_dreets=403, agent_ud=200, gestionnaire_centre=200),
        ),
        Case("documents:certification_livret", kwargs=c, expected=ud_only),
        Case("documents:lot_progress", kwargs={"public_id": lot.public_id}, expected=visible),
        Case("documents:lot_download", kwargs={"public_id": lot.public_id}, expected=ud_only),
        Case(
            "documents:certification_print",
            kwargs=c,
            method="post",
            data={"reason": "perte", "confirmed": "True"},
            expected=ud_post,
        ),
        Case("documents:certification_print", kwargs=c, expected=ud_only),
        Case("documents:certification_annul", kwargs=c, expected=ud_only),
        Case(
            "documents:annulation_lift",
            kwargs={"public_id": annulled.public_id},
            expected=logged_in(404, admin_national=200, agent_dreets=403, agent_ud=403, gestionnaire_centre=403),
        ),
        Case("documents:parchemin_download", kwargs={"public_id": parchemin.public_id}, expected=ud_only),
        Case(
            "documents:impressions",
            expected=logged_in(
                403, admin_national=200, agent_dreets=200, agent_dreets_autre=200, agent_ud=200, agent_ud_autre=200
            ),
        ),
        Case(
            "documents:signatory",
            kwargs={"public_id": agent.ud.public_id},
            expected=logged_in(403, admin_national=200, agent_ud=200),
        ),
        Case("documents:verify_search", expected=everyone(200)),
        Case("documents:verify", kwargs={"number": parchemin.number}, expected=everyone(200)),
    ]
