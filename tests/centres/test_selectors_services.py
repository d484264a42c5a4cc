import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ceres.centres import selectors, services
from ceres.centres.enums import DecisionAgrement, StatutAgrement
from ceres.centres.models import Centre
from ceres.core.journal import journal_for
from ceres.referentiels.models import Parametre
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.referentiels.factories import CcsFactory, TitreProfessionnelFactory

TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def centres(world):
    ain = CentreFactory(departement=world.departement)
    rhone = CentreFactory(departement=world.autre_departement)
    paris = CentreFactory(departement=world.departement_autre_region)
    MembreCentreFactory(user=world.users["gestionnaire_centre"], centre=ain)
    return ain, rhone, paris


class TestScopes:
    def test_each_role_sees_its_centres(self, world, centres):
        ain, rhone, paris = centres

        def seen(key):
            return set(selectors.centres_visible_for(world.users[key]))

        assert seen("admin_national") == {ain, rhone, paris}
        assert seen("agent_dreets") == {ain, rhone}
        assert seen("agent_dreets_autre") == {paris}
        assert seen("agent_ud") == {ain}
        assert seen("gestionnaire_centre") == {ain}
        assert seen("gestionnaire_autre_centre") == set()
        assert seen("membre_jury") == set()

    def test_agrements_follow_centres(self, world, centres):
        ain, _, paris = centres
        mine = AgrementFactory(centre=ain)
        AgrementFactory(centre=paris)
        assert list(selectors.agrements_visible_for(world.users["agent_dreets"])) == [mine]

    def test_status_filter_matches_the_rule(self, world, centres):
        ain = centres[0]
        rows = [
            AgrementFactory(centre=ain),
            AgrementFactory(centre=ain, valide=True),
            AgrementFactory(centre=ain, expire=True),
            AgrementFactory(centre=ain, a_venir=True),
            AgrementFactory(centre=ain, refuse=True),
            AgrementFactory(centre=ain, retire=True),
            AgrementFactory(centre=ain, classe=True),
        ]
        qs = selectors.agrements_visible_for(world.users["admin_national"])
        for statut in StatutAgrement:
            expected = {a for a in rows if a.status_on(TODAY) == statut}
            assert set(selectors.filter_by_status(qs, statut, TODAY)) == expected, statut

    def test_ending_soon_uses_the_parameter(self, world, centres):
        ain = centres[0]
        soon = AgrementFactory(centre=ain, valide=True, end_date=dt.date(2026, 5, 31))
        later = AgrementFactory(centre=ain, valide=True, end_date=dt.date(2026, 8, 31))
        AgrementFactory(centre=ain, expire=True)
        user = world.users["agent_dreets"]
        assert list(selectors.agrements_ending_soon(user, TODAY)) == [soon]
        Parametre.objects.create(code="ALERTE_FIN_AGREMENT_MOIS", label="Alerte", value=6)
        assert list(selectors.agrements_ending_soon(user, TODAY)) == [soon, later]


class TestAgrementForSession:
    def test_finds_the_covering_agrement(self, centres):
        ain = centres[0]
        site = SiteFactory(centre=ain)
        titre = TitreProfessionnelFactory()
        AgrementFactory(site=site, titre=titre, expire=True)
        ok = AgrementFactory(site=site, titre=titre, valide=True)
        found, reasons = selectors.agrement_for_session(
            centre=ain, site=site, titre=titre, days=[dt.date(2027, 3, 12)]
        )
        assert found == ok and reasons == []

    def test_explains_why_not(self, centres):
        ain = centres[0]
        site, other_site = SiteFactory(centre=ain), SiteFactory(centre=ain)
        titre = TitreProfessionnelFactory()
        AgrementFactory(site=site, titre=titre, valide=True)
        found, reasons = selectors.agrement_for_session(
            centre=ain, site=site, titre=titre, days=[dt.date(2031, 3, 12)]
        )
        assert found is None and reasons == ["L'agrément a expiré le 31/12/2030 : il ne couvre pas le 12/03/2031."]
        found, reasons = selectors.agrement_for_session(
            centre=ain, site=other_site, titre=titre, days=[dt.date(2027, 3, 12)]
        )
        assert found is None and reasons == ["Aucun agrément n'existe pour ce titre sur ce site."]

    def test_imported_accepted_agrement_allows_sessions(self, centres):
        """Release note CERES 1.2 bug: an imported "acceptée" agrément must allow session creation."""
        ain = centres[0]
        agrement = AgrementFactory(centre=ain, valide=True, valce_id="V42", valce_raw={"decision": "ACCEPTEE"})
        found, reasons = selectors.agrement_for_session(
            centre=ain, site=agrement.site, titre=agrement.titre, days=[TODAY]
        )
        assert found == agrement and reasons == []


class TestServices:
    def test_centre_create_validates_siret(self, world):
        with pytest.raises(ValidationError) as exc:
            services.centre_create(
                by=world.users["admin_national"],
                name="Faux",
                siret="12345678901234",
                type="cfa",
                departement=world.departement,
            )
        assert "clé de contrôle" in str(exc.value)
        assert not Centre.objects.exists()

    def test_decision_is_journaled_with_author_and_reason(self, world, centres):
        agrement = AgrementFactory(centre=centres[0])
        agent = world.users["agent_dreets"]
        services.agrement_decide(agrement=agrement, decision=DecisionAgrement.REFUSEE, reason="Incomplet", by=agent)
        agrement.refresh_from_db()
        assert agrement.status == StatutAgrement.REFUSEE and agrement.decision_date == TODAY
        entry = journal_for(agrement).get()
        assert entry.actor == agent and entry.reason == "Incomplet"
        assert entry.changes["decision"] == {"avant": "en_instruction", "après": "refusee"}

    def test_accepting_beyond_title_end_of_life_is_refused(self, world, centres):
        # The title's end of life was published after the request was made.
        titre = TitreProfessionnelFactory(end_date=dt.date(2028, 1, 1))
        agrement = AgrementFactory(
            centre=centres[0], titre=titre, start_date=dt.date(2026, 1, 1), end_date=dt.date(2029, 12, 31)
        )
        with pytest.raises(ValidationError) as exc:
            services.agrement_decide(
                agrement=agrement, decision=DecisionAgrement.ACCEPTEE, by=world.users["agent_dreets"]
            )
        assert "fin de vie" in " ".join(exc.value.messages)
        services.agrement_decide(
            agrement=agrement,
            decision=DecisionAgrement.ACCEPTEE,
            end_date=dt.date(2028, 1, 1),
            by=world.users["agent_dreets"],
        )
        agrement.refresh_from_db()
        assert agrement.end_date == dt.date(2028, 1, 1)

    def test_acceptance_may_shorten_the_requested_period_never_extend_it(self, world, centres):
        agrement = AgrementFactory(centre=centres[0], start_date=dt.date(2026, 4, 1), end_date=dt.date(2028, 3, 31))
        agent = world.users["agent_dreets"]
        with pytest.raises(ValidationError) as exc:
            services.agrement_decide(
                agrement=agrement,
                decision=DecisionAgrement.ACCEPTEE,
                start_date=dt.date(2026, 3, 1),
                end_date=dt.date(2029, 3, 31),
                by=agent,
            )
        assert exc.value.messages == [
            "Le début accordé (01/03/2026) précède le début demandé (01/04/2026) : "
            "l'acceptation peut seulement réduire la période demandée.",
            "La fin accordée (31/03/2029) dépasse la fin demandée (31/03/2028) : "
            "l'acceptation peut seulement réduire la période demandée.",
        ]
        services.agrement_decide(
            agrement=agrement, decision=DecisionAgrement.ACCEPTEE, end_date=dt.date(2027, 3, 31), by=agent
        )
        agrement.refresh_from_db()
        assert (agrement.start_date, agrement.end_date) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))

    def test_ccs_needs_parent_agrement(self, world, centres):
        titre = TitreProfessionnelFactory()
        ccs = CcsFactory(titre=titre)
        site = SiteFactory(centre=centres[0])
        demande = AgrementFactory(site=site, titre=titre, ccs=ccs)
        agent = world.users["agent_dreets"]
        with pytest.raises(ValidationError) as exc:
            services.agrement_decide(agrement=demande, decision=DecisionAgrement.ACCEPTEE, by=agent)
        assert "exige un agrément valide du titre" in exc.value.messages[0]
        AgrementFactory(site=site, titre=titre, valide=True)
        services.agrement_decide(agrement=demande, decision=DecisionAgrement.ACCEPTEE, by=agent)

    def test_a_second_identical_request_is_refused_until_the_first_is_decided(self, world, centres):
        site = SiteFactory(centre=centres[0])
        titre = TitreProfessionnelFactory(end_date=None)
        request = dict(
            centre=centres[0], site=site, titre=titre, start_date=dt.date(2026, 9, 1), end_date=dt.date(2029, 8, 31)
        )
        first = services.agrement_request_create(**request, by=world.users["gestionnaire_centre"])
        with pytest.raises(ValidationError) as exc:
            services.agrement_request_create(**request, by=world.users["gestionnaire_centre"])
        assert "déjà en cours d'instruction" in exc.value.messages[0]
        services.agrement_decide(
            agrement=first,
            decision=DecisionAgrement.CLASSEE_SANS_SUITE,
            reason="Doublon",
            by=world.users["agent_dreets"],
        )
        services.agrement_request_create(**request, by=world.users["gestionnaire_centre"])
        assert centres[0].agrements.count() == 2

    def test_future_decision_date_is_refused_and_nothing_changes(self, world, centres):
        agrement = AgrementFactory(centre=centres[0])
        with pytest.raises(ValidationError) as exc:
            services.agrement_decide(
                agrement=agrement,
                decision=DecisionAgrement.ACCEPTEE,
                decision_date=dt.date(2026, 3, 2),
                by=world.users["agent_dreets"],
            )
        assert "est dans le futur" in exc.value.messages[0]
        agrement.refresh_from_db()
        assert agrement.status == StatutAgrement.EN_COURS_INSTRUCTION
        assert not journal_for(agrement).exists()

    def test_withdraw_requires_reason_and_accepted(self, world, centres):
        agent = world.users["agent_dreets"]
        demande = AgrementFactory(centre=centres[0])
        with pytest.raises(ValidationError):
            services.agrement_withdraw(agrement=demande, reason="x", by=agent)
        valide = AgrementFactory(centre=centres[0], valide=True)
        with pytest.raises(ValidationError):
            services.agrement_withdraw(agrement=valide, reason="", by=agent)
        services.agrement_withdraw(agrement=valide, reason="Contrôle négatif", by=agent)
        valide.refresh_from_db()
        assert valide.status == StatutAgrement.RETIREE
