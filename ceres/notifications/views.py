from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ceres.core.views import PageMixin
from ceres.notifications import services
from ceres.notifications.enums import MANDATORY, Canal, Sorte
from ceres.notifications.models import Notification, Preference


class NotificationListView(PageMixin, TemplateView):
    """The person's notifications (newest first) and how they want to receive each kind."""

    template_name = "notifications/notification_list.html"
    page_title = "Mes notifications"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        notifications = Notification.objects.filter(user=user)
        context["page_obj"] = Paginator(notifications, 25).get_page(self.request.GET.get("page"))
        context["unread"] = notifications.filter(read_at__isnull=True).count()
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
        context["preferences"] = [
            {
                "kind": kind,
                "label": label,
                "mandatory": kind in MANDATORY,
                "channel": Canal.EMAIL if kind in MANDATORY else chosen.get(kind, Canal.EMAIL),
            }
            for kind, label in Sorte.choices
        ]
        context["channels"] = Canal.choices
        return context

    def post(self, request, *args, **kwargs):
        if "preferences" in request.POST:
            services.preferences_save(
                user=request.user, channels={kind: request.POST.get(f"canal_{kind}", "") for kind in Sorte.values}
            )
            messages.success(request, "Vos préférences de notification sont enregistrées.")
        else:
            count = services.mark_read(user=request.user)
            plural = "s" if count > 1 else ""
            messages.success(request, f"{count} notification{plural} marquée{plural} comme lue{plural}.")
        return redirect("notifications:notification_list")
