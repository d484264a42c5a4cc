"""Pages of the titles référentiel: public list and detail (open data), data-quality report (national admin)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from ceres.core.views import PageMixin, htmx_template, public
from ceres.referentiels import selectors
from ceres.referentiels.models import TitreProfessionnel
from ceres.referentiels.rules import NIVEAU_MAX, NIVEAU_MIN, Statut

PAGE_SIZE = 25


class TitreFilterForm(forms.Form):
    q = forms.CharField(label="Intitulé, sigle ou n° RNCP", required=False, max_length=100)
    niveau = forms.TypedChoiceField(
        label="Niveau",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tous")] + [(n, f"Niveau {n}") for n in range(NIVEAU_MIN, NIVEAU_MAX + 1)],
    )
    nsf = forms.CharField(label="Code NSF", required=False, max_length=6)
    statut = forms.ChoiceField(
        label="Cycle de vie",
        required=False,
        choices=[("", "Tous")] + Statut.FILTERS + [(Statut.INCONNU, "Dates inconnues")],
    )


@public
class TitreListView(PageMixin, TemplateView):
    template_name = "referentiels/titre_list.html"
    page_title = "Titres professionnels"

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "referentiels/_titre_table.html")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TitreFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        titres = selectors.titres_search(
            self.request.user,
            q=filters.get("q") or "",
            niveau=filters.get("niveau"),
            nsf=filters.get("nsf") or "",
            statut=filters.get("statut") or "",
        )
        page_obj = Paginator(titres, PAGE_SIZE).get_page(self.request.GET.get("page"))
        months = selectors.prolongation_months()
        for titre in page_obj:
            titre.cycle = selectors.cycle_de_vie(titre, months=months)
        context.update(
            form=form,
            page_obj=page_obj,
            nsf_groupes=selectors.nsf_groupes(),
            statut_filters=TitreFilterForm.base_fields["statut"].choices,
            niveaux=range(NIVEAU_MIN, NIVEAU_MAX + 1),
        )
        return context


@public
class TitreDetailView(PageMixin, TemplateView):
    template_name = "referentiels/titre_detail.html"

    def get_breadcrumb(self):
        return [("Titres professionnels", reverse("referentiels:titre_list"))]

    def get_page_title(self):
        return str(self.titre.intitule or "Titre sans intitulé")

    def get(self, request, *args, **kwargs):
        try:
            self.titre = selectors.titre_detail(request.user, kwargs["public_id"])
        except TitreProfessionnel.DoesNotExist as exc:
            raise Http404("Ce titre n'existe pas.") from exc
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        titre = self.titre
        context.update(
            titre=titre,
            cycle=selectors.cycle_de_vie(titre),
            problems=selectors.printable_problems(titre),
            successors=sorted(titre.successors.all(), key=lambda t: (t.start_date is None, t.start_date)),
            rncp_url=(
                f"https://www.francecompetences.fr/recherche/rncp/{titre.code_rncp[4:]}/"
                if titre.code_rncp and titre.code_rncp.startswith("RNCP")
                else ""
            ),
        )
        return context


class QualiteView(PageMixin, TemplateView):
    """Titles that cannot be printed on a parchemin: for the national administrator who maintains the référentiel."""

    template_name = "referentiels/qualite.html"
    page_title = "Qualité des titres"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_admin_national:
            raise PermissionDenied("Le rapport de qualité des titres est réservé à l'administration nationale.")
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "referentiels/_qualite_table.html")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rapport = selectors.rapport_qualite()
        context.update(rapport=rapport, page_obj=Paginator(rapport.lignes, 50).get_page(self.request.GET.get("page")))
        return context
