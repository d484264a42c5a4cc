from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ceres.notifications"
    verbose_name = "Notifications"
