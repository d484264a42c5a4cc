import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from ceres.comptes import forms, lockout
from ceres.comptes.middleware import CurrentOrganisationMiddleware
from ceres.comptes.perms import can_switch_centre, require, scope_label
from ceres.comptes.selectors import centre_memberships_for
from ceres.core import ratelimit
from ceres.core.views import PageMixin, public

PROCONNECT_REFUSED = (
    "Connexion ProConnect refusée : aucun compte CERES actif d'agent de l'État (DGEFP, DREETS, DDETS) ne correspond "
    "à cette adresse e-mail. Demandez à votre administrateur de créer votre compte avec cette adresse."
)


@public
class LoginView(PageMixin, auth_views.LoginView):
    template_name = "comptes/login.html"
    form_class = forms.LoginForm
    page_title = "Se connecter"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from ceres.comptes import proconnect

        context = super().get_context_data(**kwargs)
        context["proconnect"] = proconnect.enabled()
        if self.request.GET.get("proconnect") == "echec":
            context["proconnect_refused"] = PROCONNECT_REFUSED
        return context

    def form_invalid(self, form):
        if getattr(self.request, "ceres_login_locked", False):
            return render(
                self.request,
                "comptes/verrouille.html",
                {
                    "failure_limit": settings.CERES_LOGIN_FAILURE_LIMIT,
                    "minutes": settings.CERES_LOGIN_LOCKOUT_MINUTES,
                },
                status=429,
            )
        return super().form_invalid(form)


@public
class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405)."""


class ProfilView(PageMixin, TemplateView):
    template_name = "comptes/profil.html"
    page_title = "Mon compte"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_label"] = user.get_role_display() or "Aucun rôle"
        context["scope"] = scope_label(user)
        context["memberships"] = centre_memberships_for(user)
        return context


@method_decorator(require_POST, name="dispatch")
class CentreCourantView(View):
    """Current-centre switch of centre users: stores the chosen centre (one of their memberships) in the session."""

    def post(self, request):
        require(can_switch_centre(request.user), "Seuls les gestionnaires de centre choisissent un centre courant.")
        try:
            centre_public_id = uuid.UUID(request.POST.get("centre", ""))
        except ValueError:
            centre_public_id = None
        membership = centre_memberships_for(request.user).filter(centre__public_id=centre_public_id).first()
        if centre_public_id is None or membership is None:
            # A centre outside the user's memberships is answered like any object outside their scope.
            raise Http404("Ce centre ne fait pas partie de vos centres.")
        request.session[CurrentOrganisationMiddleware.SESSION_KEY] = membership.centre_id
        messages.success(request, f"Centre courant : {membership.centre.name}.")
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("www:tableau_de_bord")
        return HttpResponseRedirect(next_url)


class PasswordChangeView(PageMixin, auth_views.PasswordChangeView):
    template_name = "comptes/mot_de_passe_form.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("comptes:password_change_done")
    page_title = "Changer de mot de passe"


class PasswordChangeDoneView(PageMixin, auth_views.PasswordChangeDoneView):
    template_name = "comptes/mot_de_passe_message.html"
    page_title = "Mot de passe changé"
    extra_context = {"message": "Votre mot de passe a été changé."}


@public
class PasswordResetView(PageMixin, auth_views.PasswordResetView):
    template_name = "comptes/mot_de_passe_form.html"
    form_class = forms.PasswordResetForm
    email_template_name = "comptes/email/reinitialisation.txt"
    subject_template_name = "comptes/email/reinitialisation_sujet.txt"
    success_url = reverse_lazy("comptes:password_reset_done")
    page_title = "Mot de passe oublié"
    extra_context = {
        "intro": (
            "Saisissez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."
        )
    }

    def form_valid(self, form):
        limits = settings.CERES_PASSWORD_RESET_LIMITS
        window = limits["window"]
        if not ratelimit.allow(
            f"reset-address:{ratelimit.client_ip(self.request)}", limit=limits["address"], window=window
        ):
            return render(
                self.request,
                "comptes/mot_de_passe_message.html",
                {
                    "title": "Trop de demandes",
                    "level": "error",
                    "message": "Trop de demandes de réinitialisation depuis votre poste : réessayez dans une heure.",
                },
                status=429,
            )
        email = form.cleaned_data["email"]
        if not ratelimit.allow(f"reset-account:{email}", limit=limits["account"], window=window):
            # Same answer as a sent e-mail (nothing tells whether the account exists); no further e-mail this hour.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@public
class PasswordResetDoneView(PageMixin, auth_views.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe_message.html"
    page_title = "Lien envoyé"
    extra_context = {
        "message": (
            "Si un compte correspond à cette adresse, un e-mail contenant un lien de réinitialisation vient d'être "
            "envoyé. Le lien est valable 3 jours et ne sert qu'une fois."
        )
    }


@public
class PasswordResetConfirmView(PageMixin, auth_views.PasswordResetConfirmView):
    template_name = "comptes/mot_de_passe_form.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("comptes:password_reset_complete")
    page_title = "Choisir un nouveau mot de passe"

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page offers the reset as a way out: proving the mailbox lifts the account's lockout at once.
        lockout.unlock_account(form.user.email)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            context["invalid"] = (
                "Ce lien de réinitialisation n'est plus valable : il a déjà servi ou il a expiré. "
                "Demandez un nouveau lien."
            )
        return context


@public
class PasswordResetCompleteView(PageMixin, auth_views.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe_message.html"
    page_title = "Mot de passe réinitialisé"
    extra_context = {"message": "Votre mot de passe a été réinitialisé. Vous pouvez vous connecter.", "login": True}


PROCONNECT_DISABLED = "La connexion ProConnect n'est pas activée sur ce serveur."


def _proconnect_view(view_class):
    @login_not_required
    def view(request, *args, **kwargs):
        from ceres.comptes import proconnect

        if not proconnect.enabled():
            raise Http404(PROCONNECT_DISABLED)
        return view_class.as_view()(request, *args, **kwargs)

    return view


def proconnect_views():
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

    return _proconnect_view(OIDCAuthenticationRequestView), _proconnect_view(OIDCAuthenticationCallbackView)
