"""Project-wide consistency checks (STYLE.md §4.11)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin

ROOT = Path(__file__).resolve().parent.parent
UNSCOPED = re.compile(r"\b[A-Z]\w*\.objects\.all\(\)")


def local_app_configs():
    return [apps.get_app_config(name.rsplit(".", 1)[-1]) for name in settings.LOCAL_APPS]


def test_views_never_read_a_whole_table():
    """Views read through <objects>_visible_for(user) selectors, never Model.objects.all()."""
    offenders = []
    for path in sorted((ROOT / "ceres").glob("*/views*.py")) + sorted((ROOT / "ceres").glob("*/views/*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UNSCOPED.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "Lecture non filtrée par utilisateur dans une vue :\n" + "\n".join(offenders)


def test_every_model_has_an_admin():
    """Registered with a ModelAdmin, or shown as an inline of one (e.g. the CCP of a titre)."""
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    missing = [
        model._meta.label
        for config in local_app_configs()
        for model in config.get_models()
        if not admin.site.is_registered(model) and model not in inlined
    ]
    assert not missing, "Modèles sans ModelAdmin : " + ", ".join(missing)
