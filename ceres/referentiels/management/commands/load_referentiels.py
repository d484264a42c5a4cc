import importlib
import time

from ceres.core.command import BaseCommand

# (label, module, function) — each loader is idempotent: a second run changes nothing.
LOADERS = [
    ("Communes depuis 1943", "ceres.referentiels.loaders.communes", "load_communes"),
    ("Pays et territoires depuis 1943", "ceres.referentiels.loaders.communes", "load_pays"),
    ("Régions, départements, DREETS et UD", "ceres.referentiels.loaders.territoire", "load_territoire"),
    ("Nomenclature NSF", "ceres.referentiels.loaders.titres", "load_nsf"),
    ("Titres professionnels", "ceres.referentiels.loaders.titres", "load_titres"),
    ("Paramètres nationaux", "ceres.referentiels.loaders.territoire", "load_parametres"),
]


class Command(BaseCommand):
    help = "Charge (ou met à jour) les référentiels depuis les fichiers du dépôt. Idempotent."
    writes_data = True

    def handle(self, *args, wet_run=False, **options):
        def run():
            for label, module, func in LOADERS:
                start = time.perf_counter()
                counters = getattr(importlib.import_module(module), func)()
                figures = ", ".join(f"{v} {k}" for k, v in counters.items())
                self.stdout.write(f"{label} : {figures} ({time.perf_counter() - start:.1f} s)")

        self.run_atomic(run, wet_run=wet_run)
