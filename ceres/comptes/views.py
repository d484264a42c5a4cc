from django.contrib.auth import views as auth_views

from ceres.comptes.forms import LoginForm
from ceres.core.views import PageMixin, public


@public
class LoginView(PageMixin, auth_views.LoginView):
    template_name = "comptes/login.html"
    form_class = LoginForm
    page_title = "Se connecter"
    redirect_authenticated_user = True


@public
class LogoutView(auth_views.LogoutView):
    pass
