import importlib

from django.conf import settings

_MENU_MODULES = None


def _menu_modules():
    """Each app may provide <app>/menu.py with items(user) -> list of {"label", "url"}: (app, module) pairs."""
    global _MENU_MODULES
    if _MENU_MODULES is None:
        modules = []
        for app in settings.LOCAL_APPS:
            try:
                modules.append((app, importlib.import_module(f"{app}.menu")))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.menu":
                    raise
        _MENU_MODULES = modules
    return _MENU_MODULES


# Title of the sub-menu gathering an app's entries in the main menu (DSFR fr-nav__btn + fr-menu).
MENU_GROUPS = {
    "ceres.referentiels": "Référentiels",
    "ceres.centres": "Centres et agréments",
    "ceres.jurys": "Jurys",
    "ceres.candidats": "Candidats",
    "ceres.examens": "Sessions",
    "ceres.documents": "Parchemins",
}
# Reached from the header tools (the user's name): not repeated in the main menu.
NOT_IN_NAV = {"ceres.comptes"}


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def nav_entries(items_by_app: list[tuple[str, list[dict]]], current_path: str) -> list[dict]:
    """Main-menu entries: one link for an app with one item, a sub-menu for an app with several.

    An entry is {"label", "url", "current"} or {"label", "id", "children", "current"}; "current" marks the page shown.
    """
    entries = []
    for app, items in items_by_app:
        if app in NOT_IN_NAV or not items:
            continue
        links = [{**item, "current": _path(item["url"]) == current_path} for item in items]
        if len(links) == 1:
            entries.append(links[0])
        else:
            entries.append(
                {
                    "label": MENU_GROUPS.get(app, links[0]["label"]),
                    "id": "menu-" + app.rsplit(".", 1)[-1],
                    "children": links,
                    "current": any(link["current"] for link in links),
                }
            )
    return entries


SITE_DEFAULTS = {
    "site_title": "CERES",
    "site_tagline": "Certification des titres professionnels du ministère chargé de l'emploi",
    "header_brand_html": "Ministère<br>du Travail",
    "footer_brand_html": "Ministère<br>du Travail",
}


def site_config(request):
    """django-dsfr's site_config, with CERES defaults when no DsfrConfig row exists (e.g. a flushed database)."""
    from django.db.models import Case, Value, When
    from django.utils.translation import get_language
    from dsfr.models import DsfrConfig

    # One query (every page): the row of the current language first, else the first row.
    config = DsfrConfig.objects.order_by(
        Case(When(language=get_language(), then=Value(0)), default=Value(1)), "pk"
    ).first()
    return {"SITE_CONFIG": config or DsfrConfig(**SITE_DEFAULTS)}


def ceres(request):
    from django.urls import reverse

    user = getattr(request, "user", None)
    by_app = []
    if user is not None and user.is_authenticated:
        by_app = [(app, module.items(user)) for app, module in _menu_modules()]
    # Public référentiel pages, for everyone (anonymous included), first in their group.
    public = [
        {"label": "Titres professionnels", "url": reverse("referentiels:titre_list")},
        {"label": "Communes", "url": reverse("referentiels:commune_search")},
    ]
    nav_apps = dict(by_app)
    nav_apps["ceres.referentiels"] = public + nav_apps.get("ceres.referentiels", [])
    ordered = [(app, nav_apps[app]) for app in settings.LOCAL_APPS if app in nav_apps]
    return {
        "current_organisation": getattr(request, "current_organisation", None),
        "main_menu": [item for _, items in by_app for item in items],
        "main_nav": nav_entries(ordered, request.path),
    }
