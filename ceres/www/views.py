from django.utils import timezone
from django.views.generic import TemplateView

from ceres.core.views import PageMixin, public
from ceres.www import dashboard


@public
class AccueilView(PageMixin, TemplateView):
    template_name = "www/accueil.html"
    page_title = "Accueil"


@public
class MentionsLegalesView(PageMixin, TemplateView):
    template_name = "www/mentions_legales.html"
    page_title = "Mentions légales"


@public
class AccessibiliteView(PageMixin, TemplateView):
    template_name = "www/accessibilite.html"
    page_title = "Déclaration d'accessibilité"


@public
class DonneesPersonnellesView(PageMixin, TemplateView):
    template_name = "www/donnees_personnelles.html"
    page_title = "Données personnelles"


class TableauDeBordView(PageMixin, TemplateView):
    template_name = "www/tableau_de_bord.html"
    page_title = "Tableau de bord"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context["cards"] = dashboard.cards_for(user, today)
        if user.is_membre_jury:
            context["convocations"] = list(dashboard.upcoming_convocations(user, today)[:5])
        return context
