from django.views.generic import TemplateView

from ceres.core.views import PageMixin, public


@public
class TitreListView(PageMixin, TemplateView):
    template_name = "referentiels/titre_list.html"
    page_title = "Titres professionnels"
