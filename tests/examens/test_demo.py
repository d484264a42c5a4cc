"""The examens demo: a validated session awards a title (printable parchemin), another a partial success."""

import datetime as dt

from django.urls import reverse

from ceres.examens import demo
from ceres.examens.enums import Decision, StatutSession, TypeCertification
from ceres.examens.models import Certification, SessionExamen
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory
from tests.comptes.factories import UserFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory, UniteDepartementaleFactory


def _world():
    ain = DepartementFactory(code="01")
    formapro = CentreFactory(name="Formapro Ain", departement=ain)
    titres = {}
    for rncp in ("RNCP37098", "RNCP38667"):
        titres[rncp] = TitreProfessionnelFactory(code_rncp=rncp, with_ccps=2)
        AgrementFactory(valide=True, centre=formapro, titre=titres[rncp])
    # The demo's jurors (ceres/jurys/demo.py): every validated session has two members habilitated on its days.
    for former_id, rncps in (
        ("DEMO-J1", ["RNCP37098"]),
        ("DEMO-J3", ["RNCP37098", "RNCP38667"]),
        ("DEMO-J4", ["RNCP38667"]),
    ):
        membre = MembreJuryFactory(former_id=former_id)
        for rncp in rncps:
            HabilitationFactory(membre=membre, titre=titres[rncp], start_date=dt.date(2020, 1, 1))
    UserFactory(email="centre@ceres.demo", gestionnaire_centre=True)
    ud01 = UserFactory(email="ud01@ceres.demo", agent_ud=True, ud=UniteDepartementaleFactory(departement=ain))
    CandidatFactory(birth_name="Martin", first_names="Sophie, Anne")
    CandidatFactory(birth_name="Lefèvre", first_names="Hélène")
    return ud01


def test_demo_validates_a_title_and_a_partial_success_idempotently():
    ud01 = _world()
    first = demo.seed()
    assert first["sessions"] == 3  # the GRETA session has no agrément in this world
    assert demo.seed()["sessions"] == 0

    validated = SessionExamen.objects.filter(status=StatutSession.VALIDEE)
    assert validated.count() == 2
    assert {s.validated_by for s in validated} == {ud01}
    title = Certification.objects.get(kind=TypeCertification.TITRE)
    assert title.candidat.first_names == "Hélène"
    assert title.number and title.number.startswith("TP-")
    partial = Certification.objects.get(kind=TypeCertification.CCP, candidat__first_names="Sophie, Anne")
    assert partial.inscription.decision == Decision.REUSSITE_PARTIELLE
    assert Certification.objects.filter(number__isnull=True).count() == 0


def test_demo_ud_agent_prints_the_title_parchemin_from_the_session_page(client):
    ud01 = _world()
    demo.seed()
    title = Certification.objects.get(kind=TypeCertification.TITRE)
    client.force_login(ud01)
    page = reverse("documents:session_parchemins", args=[title.session.public_id])
    assert title.number in client.get(page).content.decode()
    response = client.post(reverse("documents:certification_print", args=[title.public_id]), follow=True)
    assert f"n° {title.number} imprimé" in response.content.decode()
    with title.parchemins.get().file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
