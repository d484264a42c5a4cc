"""Permission matrix of the centres app (contract: tests/permissions/matrix.py)."""

from ceres.centres.models import DepotValce, InvitationCentre
from ceres.core.imports import StatutImport
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.permissions.matrix import Case, logged_in


def cases(world) -> list[Case]:
    u = world.users
    centre = CentreFactory(departement=world.departement)
    MembreCentreFactory(user=u["gestionnaire_centre"], centre=centre, is_admin=True)
    autre_centre = CentreFactory(departement=world.autre_departement)
    MembreCentreFactory(user=u["gestionnaire_autre_centre"], centre=autre_centre, is_admin=True)
    simple_membre = MembreCentreFactory(centre=centre)  # a plain member (403 on management pages)
    site = SiteFactory(centre=centre)
    demande = AgrementFactory(centre=centre, site=site)  # en instruction
    valide = AgrementFactory(centre=centre, site=site, valide=True)
    invitation = InvitationCentre.objects.create(centre=centre, email=u["gestionnaire_autre_centre"].email)
    c = {"public_id": centre.public_id}
    depot = DepotValce.objects.create(
        filename="valce.csv",
        file="imports/matrice.csv",
        sha256="0" * 64,
        created_by=u["agent_dreets"],
        region=u["agent_dreets"].region,
        status=StatutImport.APPLIQUE,
    )
    # A deposit: the national administrator and the DREETS agent who made it; other importers do not see it.
    own_depot = logged_in(403, admin_national=200, agent_dreets=200, agent_dreets_autre=404)

    staff_only = logged_in(
        403, admin_national=200, agent_dreets=200, agent_dreets_autre=200, agent_ud=200, agent_ud_autre=200
    )
    # Centre in département 01 (region 84): visible to national, DREETS 84, UD 01 and its members.
    visible = {"agent_dreets_autre": 404, "agent_ud_autre": 404, "gestionnaire_autre_centre": 404, "membre_jury": 404}
    detail = logged_in(200, **visible)
    # Instruction: only DREETS 84 (403 for those who see the centre but do not instruct).
    instruct = logged_in(403, agent_dreets=200, **visible)
    manage = logged_in(403, agent_dreets=200, gestionnaire_centre=200, **visible)
    return [
        Case("centres:centre_list", expected=logged_in(200, membre_jury=403)),
        Case("centres:centre_create", expected=logged_in(403, agent_dreets=200, agent_dreets_autre=200)),
        Case("centres:centre_detail", c, detail),
        Case("centres:site_create", c, manage),
        Case("centres:membres", c, manage),
        Case(
            "centres:membres",
            c,
            {**manage, "agent_dreets": 302, "gestionnaire_centre": 302},
            method="post",
            data={"email": "nouveau@monde.test"},
            label="invitation d'un membre",
        ),
        Case("centres:mes_invitations", expected=logged_in(200)),
        Case(
            "centres:mes_invitations",
            expected=logged_in(404, gestionnaire_autre_centre=302),
            method="post",
            data={"invitation": str(invitation.public_id), "reponse": "accepter"},
            label="réponse de l'invité seulement",
        ),
        Case("centres:membre_remove", c, {**manage, "agent_dreets": 405, "gestionnaire_centre": 405}),
        Case(
            "centres:membre_remove",
            c,
            {**manage, "agent_dreets": 302, "gestionnaire_centre": 302},
            method="post",
            data={"membre": simple_membre.pk},
            label="retrait d'un membre",
        ),
        Case("centres:agrement_request", c, manage),
        Case("centres:agrement_list", expected=staff_only),
        Case("centres:mes_agrements", expected=logged_in(403, gestionnaire_centre=200, gestionnaire_autre_centre=200)),
        Case("centres:agrement_alerts", expected=logged_in(200, membre_jury=403)),
        Case("centres:agrement_detail", {"public_id": demande.public_id}, detail),
        Case("centres:agrement_decide", {"public_id": demande.public_id}, instruct),
        Case(
            "centres:agrement_decide",
            {"public_id": demande.public_id},
            {**instruct, "agent_dreets": 302},
            method="post",
            data={"decision": "acceptee", "decision_date": "2026-01-15"},
            label="acceptation",
        ),
        Case("centres:agrement_withdraw", {"public_id": valide.public_id}, instruct),
        Case(
            "centres:agrement_withdraw",
            {"public_id": valide.public_id},
            {**instruct, "agent_dreets": 302},
            method="post",
            data={"reason": "Manquement aux engagements", "decision_date": "2026-01-15"},
            label="retrait",
        ),
        Case(
            "centres:valce_import",
            expected=logged_in(403, admin_national=200, agent_dreets=200, agent_dreets_autre=200),
        ),
        Case("centres:valce_import_job", {"public_id": depot.public_id}, own_depot),
        Case("centres:valce_import_report", {"public_id": depot.public_id}, own_depot),
        Case(
            "centres:valce_import_action",
            {"public_id": depot.public_id},
            {**own_depot, "agent_dreets": 302, "admin_national": 302},
            method="post",
            data={"action": "appliquer"},
            label="dépôt déjà appliqué : refus expliqué, retour au suivi",
        ),
    ]
