from django import forms
from django.views.generic import TemplateView

from ceres.core.forms import DsfrForm
from ceres.core.views import PageMixin, public
from ceres.referentiels import communes
from ceres.referentiels.models import COG_START

PAGE_LIMIT = communes.MAX_LIMIT


class CommuneSearchForm(DsfrForm):
    q = forms.CharField(
        label="Nom ou code INSEE de la commune",
        help_text=(
            "Début du nom ou d'un de ses mots, par exemple « st etienne », « clemenciat » ou « 01018 »."
            " Communes disparues incluses."
        ),
        max_length=100,
        required=False,
    )
    date = forms.DateField(
        label="À la date du",
        help_text="Pour ne garder que les noms en vigueur ce jour-là (une date de naissance par exemple).",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, au format JJ/MM/AAAA."},
    )


@public
class CommuneSearchView(PageMixin, TemplateView):
    """Commune search (public): live proposals from /api/v1/communes/, full results on submit (works without JS)."""

    template_name = "referentiels/commune_search.html"
    page_title = "Rechercher une commune"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CommuneSearchForm(self.request.GET or None)
        results, note = None, ""
        if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
            on_date = form.cleaned_data["date"]
            results = communes.search_communes(form.cleaned_data["q"], on_date=on_date, limit=PAGE_LIMIT)
            if on_date and on_date < COG_START:
                note = (
                    f"Le Code officiel géographique commence le {COG_START:%d/%m/%Y} : les noms affichés sont ceux"
                    f" en vigueur à cette date, les plus proches connus du {on_date:%d/%m/%Y}."
                )
        context.update({"form": form, "results": results, "note": note, "limit": PAGE_LIMIT})
        return context
