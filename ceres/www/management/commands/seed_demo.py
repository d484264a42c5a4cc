import importlib

from django.conf import settings
from django.core.management.base import CommandError

from ceres.core.command import BaseCommand


class Command(BaseCommand):
    help = "Crée les comptes et données de démonstration (idempotent). Refuse de tourner hors DEBUG."
    writes_data = True

    def handle(self, *args, wet_run=False, **options):
        if not settings.DEBUG and not getattr(settings, "CERES_ALLOW_DEMO", False):
            raise CommandError("Les données de démonstration ne se créent qu'en développement (DEBUG).")

        def run():
            # Each app may provide <app>/demo.py with seed() -> dict of counters, called in dependency order.
            for app in settings.LOCAL_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                counters = module.seed()
                self.stdout.write(f"{app} : " + ", ".join(f"{v} {k}" for k, v in counters.items()))

        self.run_atomic(run, wet_run=wet_run)
