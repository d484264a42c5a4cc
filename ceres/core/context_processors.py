import importlib

from django.conf import settings

_MENU_MODULES = None


def _menu_modules():
    """Each app may provide <app>/menu.py with items(user) -> list of {"label", "url"}."""
    global _MENU_MODULES
    if _MENU_MODULES is None:
        modules = []
        for app in settings.LOCAL_APPS:
            try:
                modules.append(importlib.import_module(f"{app}.menu"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.menu":
                    raise
        _MENU_MODULES = modules
    return _MENU_MODULES


SITE_DEFAULTS = {
    "site_title": "CERES",
    "site_tagline": "Certification des titres professionnels du ministère chargé de l'emploi",
    "header_brand_html": "Ministère<br>du Travail",
    "footer_brand_html": "Ministère<br>du Travail",
}


def site_config(request):
    """django-dsfr's site_config, with CERES defaults when no DsfrConfig row exists (e.g. a flushed database)."""
    from django.utils.translation import get_language
    from dsfr.models import DsfrConfig

    config = DsfrConfig.objects.filter(language=get_language()).first() or DsfrConfig.objects.first()
    return {"SITE_CONFIG": config or DsfrConfig(**SITE_DEFAULTS)}


def ceres(request):
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        for module in _menu_modules():
            menu.extend(module.items(user))
    return {"current_organisation": getattr(request, "current_organisation", None), "main_menu": menu}
