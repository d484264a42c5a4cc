"""Statistics pages of the UD (département), the DREETS (region) and the DGEFP (nation): summary tables only."""

import csv

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View

from ceres.core.perms import require
from ceres.core.views import PageMixin
from ceres.statistiques import figures, selectors
from ceres.statistiques.forms import FiltresForm

NOT_ALLOWED = "Les statistiques sont réservées aux agents des UD, des DREETS et de l'administration centrale."


class _StatistiquesMixin:
    def dispatch(self, request, *args, **kwargs):
        require(selectors.scope_q(request.user) is not None, NOT_ALLOWED)
        self.today = timezone.localdate()
        self.run = selectors.last_run()
        titres = selectors.titres_in_scope(request.user, self.run, self.today)
        self.form = FiltresForm(request.GET or None, titres=titres)
        self.filtres = self.form.filtres(self.today)
        return super().dispatch(request, *args, **kwargs)


class StatistiquesView(_StatistiquesMixin, PageMixin, TemplateView):
    template_name = "statistiques/statistiques.html"
    page_title = "Statistiques"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            filtres=self.filtres,
            scope=selectors.scope_label(self.request.user),
            last_run=self.run,
            tableaux=figures.page_tables(self.request.user, self.filtres, self.today, self.run),
            query=self.request.GET.urlencode(),
        )
        return context


class CsvView(_StatistiquesMixin, View):
    """The rows of one table, as shown beside its chart (same filters), for a spreadsheet."""

    def get(self, request, key):
        if key not in figures.BUILDERS:
            raise Http404
        tableau = next(
            t for t in figures.page_tables(request.user, self.filtres, self.today, self.run) if t.key == key
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ceres-{key}-{self.filtres.start:%Y-%m}.csv"'
        response.write("\ufeff")  # spreadsheets read UTF-8 accents with the BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow(tableau.headers)
        for row in tableau.rows:
            writer.writerow(
                ["" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v for v in row]
            )
        return response
