from django.views.generic import TemplateView

from ceres.core.views import PageMixin, public


@public
class AccueilView(PageMixin, TemplateView):
    template_name = "www/accueil.html"
    page_title = "Accueil"


@public
class MentionsLegalesView(PageMixin, TemplateView):
    template_name = "www/mentions_legales.html"
    page_title = "Mentions légales"


class TableauDeBordView(PageMixin, TemplateView):
    template_name = "www/tableau_de_bord.html"
    page_title = "Tableau de bord"
