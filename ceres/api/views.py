"""Pages of the API: its documentation (Swagger UI served from local static files) and the key management page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from ceres.api import selectors, services
from ceres.api.forms import CleForm, RevokeForm
from ceres.core.forms import add_form_errors
from ceres.core.perms import require
from ceres.core.views import PageMixin, public

NOT_ALLOWED = (
    "Les clés d'API sont gérées par les administrateurs de centre (clés de leur centre) "
    "et par les agents des UD et des DREETS (clés en lecture de leur périmètre)."
)


@public
class DocsView(TemplateView):
    template_name = "api/docs.html"


class CleListView(PageMixin, FormView):
    """List, create and revoke keys. A new key's secret is shown once, in the answer to the creation."""

    template_name = "api/cles.html"
    form_class = CleForm
    page_title = "Clés d'API"

    def dispatch(self, request, *args, **kwargs):
        require(selectors.can_manage_keys(request.user), NOT_ALLOWED)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cles"] = selectors.cles_visible_for(self.request.user)
        return context

    def form_valid(self, form):
        try:
            cle, token = services.cle_create(
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                centre=form.cleaned_data.get("centre"),
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        # Shown in this answer only: never stored, never put in a redirect or a session.
        response = self.render_to_response(
            self.get_context_data(form=self.get_form_class()(user=self.request.user), created=cle, token=token)
        )
        response["Cache-Control"] = "no-store"
        return response


class CleRevokeView(View):
    http_method_names = ["post"]

    def post(self, request, public_id):
        cle = get_object_or_404(selectors.cles_visible_for(request.user), public_id=public_id)
        form = RevokeForm(request.POST)
        try:
            services.cle_revoke(cle=cle, by=request.user, reason=form.data.get("reason", "")[:500])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"La clé « {cle.name} » est révoquée : elle ne permet plus aucun appel.")
        return HttpResponseRedirect(reverse("cles_api:list"))
