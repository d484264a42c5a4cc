"""Writes on centres, sites, members and agréments: atomic, full_clean, journaled."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.centres import notifications, perms, rules
from ceres.centres.enums import DecisionAgrement, StatutInvitation
from ceres.centres.models import Agrement, Centre, InvitationCentre, MembreCentre, Site
from ceres.comptes.enums import Role
from ceres.comptes.rules import canonical_email
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
    """Idempotent low-level add (demo data, imports): no refusal when already a member."""
    membre, created = MembreCentre.objects.get_or_create(user=user, centre=centre, defaults={"is_admin": is_admin})
    if created:
        journal_record(action=JournalEntry.Action.CREATE, obj=membre, by=by, changes=snapshot(membre))
        _journal_members(centre, by, "membre_ajoute", user, is_admin)
    return membre


def _journal_members(centre: Centre, by, operation: str, user, is_admin: bool):
    # On the centre itself, so the change shows in the centre's history.
    journal_record(
        action=JournalEntry.Action.UPDATE,
        obj=centre,
        by=by,
        operation=operation,
        changes={"membre": user.email, "administrateur": is_admin},
    )


INVITATION_SUBJECT = "CERES : invitation à rejoindre le centre {centre}"
INVITATION_BODY = """Bonjour,

{inviter} vous invite à rejoindre le centre « {centre} » dans CERES{role}.

Pour accepter ou refuser, connectez-vous à CERES puis ouvrez « Mes invitations » : {url}

Si vous ne connaissez pas ce centre, refusez l'invitation : vous n'en deviendrez pas membre.
"""


@transaction.atomic
def membre_centre_invite(*, centre: Centre, email: str, is_admin: bool = False, by) -> InvitationCentre:
    """Invites an address to the centre (members management page): the person becomes a member once she accepts.

    The same answer whatever the address: an e-mail goes only to an active centre-manager account having it.
    """
    from django.contrib.auth import get_user_model

    email = canonical_email(email)
    Centre.objects.select_for_update().get(pk=centre.pk)  # two admins inviting the same address at once
    errors = rules.member_invite_errors(
        email=email,
        already_member=MembreCentre.objects.filter(centre=centre, user__email=email).exists(),
        pending=centre.invitations.filter(email=email, status=StatutInvitation.EN_ATTENTE).exists(),
    )
    if errors:
        raise ValidationError(errors)
    invitation = InvitationCentre(centre=centre, email=email, is_admin=is_admin, invited_by=by)
    invitation.full_clean()
    invitation.save()
    journal_record(
        action=JournalEntry.Action.UPDATE,
        obj=centre,
        by=by,
        operation="membre_invite",
        changes={"invitation": email, "administrateur": is_admin},
    )
    user = get_user_model().objects.filter(email=email, is_active=True, role=Role.GESTIONNAIRE_CENTRE).first()
    if user is not None:
        transaction.on_commit(lambda: _send_invitation(invitation, by))
    return invitation


def _send_invitation(invitation: InvitationCentre, by) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    inviter = (by.get_full_name() or by.email) if by is not None else "Un administrateur"
    send_mail(
        INVITATION_SUBJECT.format(centre=invitation.centre.name),
        INVITATION_BODY.format(
            inviter=inviter,
            centre=invitation.centre.name,
            role=" comme administrateur" if invitation.is_admin else "",
            url=settings.CERES_PUBLIC_BASE_URL.rstrip("/") + reverse("centres:mes_invitations"),
        ),
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


@transaction.atomic
def invitation_answer(*, invitation: InvitationCentre, user, accept: bool) -> MembreCentre | None:
    """The invited person accepts (becomes a member, journaled) or refuses. Callers find the invitation through
    selectors.invitations_for(user), so nobody answers for someone else."""
    invitation = InvitationCentre.objects.select_for_update().select_related("centre").get(pk=invitation.pk)
    errors = rules.invitation_answer_errors(
        pending=invitation.status == StatutInvitation.EN_ATTENTE,
        is_gestionnaire=user.is_gestionnaire_centre,
        is_active=user.is_active,
    )
    if errors:
        raise ValidationError(errors)
    invitation.status = StatutInvitation.ACCEPTEE if accept else StatutInvitation.REFUSEE
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    journal_record(
        action=JournalEntry.Action.UPDATE,
        obj=invitation.centre,
        by=user,
        operation="invitation_acceptee" if accept else "invitation_refusee",
        changes={"invitation": invitation.email},
    )
    if not accept:
        return None
    return membre_centre_add(centre=invitation.centre, user=user, is_admin=invitation.is_admin, by=user)


@transaction.atomic
def membre_centre_remove(*, membre: MembreCentre, by) -> None:
    centre = Centre.objects.select_for_update().get(pk=membre.centre_id)
    membre = MembreCentre.objects.select_related("user").get(pk=membre.pk)
    errors = rules.member_remove_errors(
        is_admin=membre.is_admin,
        admins_count=centre.memberships.filter(is_admin=True).count(),
        by_dreets=by is not None and perms.is_dreets_of(by, centre),
    )
    if errors:
        raise ValidationError(errors)
    user, is_admin = membre.user, membre.is_admin
    journal_record(action=JournalEntry.Action.DELETE, obj=membre, by=by, changes=snapshot(membre))
    membre.delete()
    _journal_members(centre, by, "membre_retire", user, is_admin)


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
    """A request for agrément, en instruction until the DREETS decides. A CCS request needs the title's."""
    # Serialises double submissions of the same request (two clicks, two members of the centre).
    Centre.objects.select_for_update().get(pk=centre.pk)
    errors = []
    if ccs is not None:
        parents = Agrement.objects.filter(centre=centre, site=site, titre=titre, ccs__isnull=True)
        today = timezone.localdate()
        errors += rules.ccs_request_errors(is_ccs=True, parent_statuses=[a.status_on(today) for a in parents])
    same_scope = Agrement.objects.filter(centre=centre, site=site, titre=titre, ccs=ccs)
    errors += rules.request_overlap_errors(
        start_date=start_date,
        end_date=end_date,
        existing=same_scope.values_list("decision", "start_date", "end_date"),
    )
    if errors:
        raise ValidationError(errors)
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
    errors = rules.decision_errors(
        agrement.decision,
        decision,
        reason=reason,
        decision_date=decision_date,
        today=today,
        previous_decision_date=agrement.decision_date,
    )
    if decision == DecisionAgrement.ACCEPTEE:
        # The DREETS may narrow the period when accepting.
        errors += rules.narrowing_errors(
            requested_start=agrement.start_date,
            requested_end=agrement.end_date,
            start_date=start_date,
            end_date=end_date,
        )
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
    notifications.agrement_decided(agrement)
    return agrement


def agrement_withdraw(*, agrement: Agrement, reason: str, by, decision_date: datetime.date | None = None):
    """Withdrawal by the préfet (breach of the centre's commitments); the reason is mandatory."""
    return agrement_decide(
        agrement=agrement, decision=DecisionAgrement.RETIREE, reason=reason, decision_date=decision_date, by=by
    )
