"""API test helpers: keys for a centre administrator or a State agent, and a client sending them."""

from django.test import Client

from ceres.api import services
from ceres.api.enums import PorteeCle
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory


def centre_admin(centre=None, **kwargs):
    centre = centre or CentreFactory(**kwargs)
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre, is_admin=True)
    return user, centre


def centre_key(centre=None, *, scope=PorteeCle.ECRITURE, user=None, **kwargs):
    if user is None:
        user, centre = centre_admin(centre, **kwargs)
    cle, token = services.cle_create(name="Logiciel de gestion", scope=scope, centre=centre, by=user)
    return cle, token


def agent_key(user):
    return services.cle_create(name="Tableau de bord", scope=PorteeCle.LECTURE, by=user)


class ApiClient(Client):
    """A test client sending `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, token=None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._headers(headers), **extra)

    def post(self, path, data=None, headers=None, **extra):
        return super().post(path, data or {}, content_type="application/json", headers=self._headers(headers), **extra)

    def patch(self, path, data=None, headers=None, **extra):
        return super().patch(
            path, data or {}, content_type="application/json", headers=self._headers(headers), **extra
        )

    def put(self, path, data=None, headers=None, **extra):
        return super().put(path, data or {}, content_type="application/json", headers=self._headers(headers), **extra)

    def delete(self, path, data=None, headers=None, **extra):
        return super().delete(path, headers=self._headers(headers), **extra)
