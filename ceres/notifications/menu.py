from django.urls import reverse

from ceres.notifications.models import Notification


def items(user):
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    label = f"Notifications ({unread} non lue{'s' if unread > 1 else ''})" if unread else "Notifications"
    return [{"label": label, "url": reverse("notifications:notification_list")}]
