from django.views.generic import TemplateView

from ceres.core.views import PageMixin, public


@public
class CommuneSearchView(PageMixin, TemplateView):
    template_name = "referentiels/commune_search.html"
    page_title = "Rechercher une commune"
