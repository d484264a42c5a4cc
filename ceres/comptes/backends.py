"""Authentication backend refusing locked-out accounts and addresses (ceres.comptes.lockout)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from ceres.comptes import lockout
from ceres.core.ratelimit import client_ip


class LoginAttemptsBackend(ModelBackend):
    """E-mail + password login, counted per account and per address.

    Placed first: a locked account or address raises PermissionDenied, which stops authenticate() before any other
    backend. authenticate() calls without a request (management commands, the test client's login()) have no client
    address and are not counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and lockout.is_locked(email=username or "", ip=client_ip(request)):
            request.ceres_login_locked = True
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "ceres_login_locked", False):
        lockout.record_failure(email=credentials.get("username", ""), ip=client_ip(request))


@receiver(user_logged_in)
def _reset_on_success(sender, request, user, **kwargs):
    lockout.unlock_account(user.email)
