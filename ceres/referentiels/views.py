"""Pages of the titles référentiel: public list and detail (open data), data-quality report (national admin)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from ceres.core.forms import DsfrForm
from ceres.core.views import PageMixin, htmx_template, public
from ceres.referentiels import parametres, selectors, services
from ceres.referentiels.models import Parametre, TitreProfessionnel
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
        filters = {}
        if form.is_bound:
            form.is_valid()  # a bad value (hand-edited URL) drops that filter only: cleaned_data keeps the others
            filters = form.cleaned_data
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
        titre = self.titre
        return titre.display_name

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


class AdminNationalMixin:
    """Pages of the national administrator who maintains the référentiels; others get a 403 saying why."""

    refusal = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_admin_national:
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)


class QualiteView(AdminNationalMixin, PageMixin, TemplateView):
    """Titles that cannot be printed on a parchemin: for the national administrator who maintains the référentiel."""

    template_name = "referentiels/qualite.html"
    page_title = "Qualité des titres"
    refusal = "Le rapport de qualité des titres est réservé à l'administration nationale."

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "referentiels/_qualite_table.html")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rapport = selectors.rapport_qualite()
        context.update(rapport=rapport, page_obj=Paginator(rapport.lignes, 50).get_page(self.request.GET.get("page")))
        return context


class ParametreListView(AdminNationalMixin, PageMixin, TemplateView):
    """National parameters (deadlines in months) with their regulatory defaults."""

    template_name = "referentiels/parametre_list.html"
    page_title = "Paramètres nationaux"
    refusal = "Les paramètres nationaux sont réservés à l'administration nationale."
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(lignes=parametres.lignes(), **kwargs)


class ParametreForm(DsfrForm, forms.Form):
    value = forms.IntegerField(label="Valeur")  # bounds: rules.parametre_problems, through the service
    reason = forms.CharField(
        label="Motif",
        help_text="Texte ou décision qui justifie la nouvelle valeur (arrêté, note de version…). Il est gardé dans "
        "l'historique.",
        required=False,
        max_length=255,
    )

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        # DsfrBaseForm has already built the bound fields: set the label on both.
        self.fields["value"].label = self["value"].label = f"Valeur (en {unit})"


class ParametreUpdateView(AdminNationalMixin, PageMixin, FormView):
    template_name = "referentiels/parametre_form.html"
    form_class = ParametreForm
    refusal = ParametreListView.refusal

    @cached_property
    def ligne(self):
        # Read after the role check of dispatch: a non-admin gets 403 whatever the code.
        for ligne in parametres.lignes():
            if ligne.code == self.kwargs["code"]:
                return ligne
        raise Http404("Ce paramètre n'existe pas.")

    def get_page_title(self):
        return f"Modifier : {self.ligne.label}"

    def get_breadcrumb(self):
        return [("Paramètres nationaux", reverse("referentiels:parametre_list"))]

    def get_initial(self):
        return {"value": self.ligne.value}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.ligne.unit}

    def get_context_data(self, **kwargs):
        parametre = Parametre.objects.filter(code=self.ligne.code).first()  # None until first edited
        return super().get_context_data(ligne=self.ligne, parametre=parametre, **kwargs)

    def form_valid(self, form):
        try:
            row = services.parametre_update(
                code=self.ligne.code,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("value", message)
            return self.form_invalid(form)
        messages.success(self.request, f"{row.label} : {row.value} {row.unit}.")
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("referentiels:parametre_list")
