"""Notify people: a row listed in CERES for each, and an e-mail sent by the task queue when they want one."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from ceres.notifications.enums import MANDATORY, Canal, EtatEnvoi, Sorte
from ceres.notifications.models import Notification, Preference
from ceres.notifications.tasks import send_notification_email


def channel_for(user, kind: str) -> str:
    if kind in MANDATORY:
        return Canal.EMAIL
    preference = Preference.objects.filter(user=user, kind=kind).first()
    return preference.channel if preference else Canal.EMAIL


def notify(users: Iterable, *, kind: Sorte, key: str, title: str, body: str, link: str = "") -> list[Notification]:
    """One notification per active person and event `key` (a second call for the same event creates nothing)."""
    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        wants_email = channel_for(user, kind) == Canal.EMAIL and bool(user.email)
        notification, is_new = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "kind": kind,
                "title": title[:200],
                "body": body,
                "link": link,
                "email_status": EtatEnvoi.A_ENVOYER if wants_email else EtatEnvoi.SANS_EMAIL,
            },
        )
        if is_new:
            created.append(notification)
            if wants_email:
                # After commit: a rolled-back decision sends nothing; the worker reads a row that exists.
                transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return created


def mark_read(*, user, public_ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all of them, or those listed); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if public_ids is not None:
        unread = unread.filter(pk__in=list(public_ids))
    return unread.update(read_at=timezone.now())


def preferences_save(*, user, channels: dict[str, str]) -> None:
    for kind, channel in channels.items():
        if kind in MANDATORY or kind not in Sorte.values or channel not in Canal.values:
            continue
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
