"""Writes on centres, sites, members and agréments: atomic, full_clean, journaled."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.centres import rules
from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement, Centre, MembreCentre, Site
from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry


@transaction.atomic
def centre_create(*, by, **fields) -> Centre:
    centre = Centre(**fields)
    centre.full_clean()
    centre.save()
    journal_record(action=JournalEntry.Action.CREATE, obj=centre, by=by, changes=snapshot(centre))
    return centre


@transaction.atomic
def site_create(*, centre: Centre, name: str, address: str, postal_code: str, commune, by) -> Site:
    site = Site(centre=centre, name=name, address=address, postal_code=postal_code, commune=commune)
    site.full_clean()
    site.save()
    journal_record(action=JournalEntry.Action.CREATE, obj=site, by=by, changes=snapshot(site))
    return site


@transaction.atomic
def membre_centre_add(*, centre: Centre, user, is_admin: bool = False, by) -> MembreCentre:
    membre, created = MembreCentre.objects.get_or_create(user=user, centre=centre, defaults={"is_admin": is_admin})
    if created:
        journal_record(action=JournalEntry.Action.CREATE, obj=membre, by=by, changes=snapshot(membre))
    return membre


def _ccs_parent_errors(*, centre, site, titre, ccs, today) -> list[str]:
    if ccs is None:
        return []
    parents = Agrement.objects.filter(centre=centre, site=site, titre=titre, ccs__isnull=True)
    return rules.ccs_errors(is_ccs=True, parent_statuses=[a.status_on(today) for a in parents])


@transaction.atomic
def agrement_request_create(
    *,
    centre: Centre,
    site: Site,
    titre,
    start_date: datetime.date,
    end_date: datetime.date,
    ccs=None,
    by,
) -> Agrement:
    """A request for agrément, en instruction until the DREETS decides."""
    agrement = Agrement(
        centre=centre,
        site=site,
        titre=titre,
        ccs=ccs,
        start_date=start_date,
        end_date=end_date,
        decision=DecisionAgrement.EN_INSTRUCTION,
    )
    agrement.full_clean()
    agrement.save()
    journal_record(
        action=JournalEntry.Action.CREATE, obj=agrement, by=by, changes=snapshot(agrement), operation="demande"
    )
    return agrement


@transaction.atomic
def agrement_decide(
    *,
    agrement: Agrement,
    decision: str,
    reason: str = "",
    decision_date: datetime.date | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    by,
) -> Agrement:
    """Record the préfet de région's decision (instructed by the DREETS), with date, author and reason."""
    agrement = Agrement.objects.select_for_update().get(pk=agrement.pk)
    before = snapshot(agrement)
    today = timezone.localdate()
    errors = rules.decision_errors(agrement.decision, decision, reason=reason)
    if decision == DecisionAgrement.ACCEPTEE:
        # The DREETS may narrow the period when accepting.
        agrement.start_date = start_date or agrement.start_date
        agrement.end_date = end_date or agrement.end_date
        errors += _ccs_parent_errors(
            centre=agrement.centre, site=agrement.site, titre=agrement.titre, ccs=agrement.ccs, today=today
        )
    if errors:
        raise ValidationError(errors)
    agrement.decision = decision
    agrement.decision_date = decision_date or today
    agrement.decision_by = by
    agrement.decision_reason = (reason or "").strip()
    agrement.full_clean()
    agrement.save()
    journal_record(
        action=JournalEntry.Action.UPDATE,
        obj=agrement,
        by=by,
        changes=diff(before, snapshot(agrement)),
        operation=f"decision_{decision}",
        reason=agrement.decision_reason,
    )
    return agrement


def agrement_withdraw(*, agrement: Agrement, reason: str, by, decision_date: datetime.date | None = None):
    """Withdrawal by the préfet (breach of the centre's commitments); the reason is mandatory."""
    return agrement_decide(
        agrement=agrement, decision=DecisionAgrement.RETIREE, reason=reason, decision_date=decision_date, by=by
    )
