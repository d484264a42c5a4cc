import time
from pathlib import Path

from django.core.management.base import CommandError

from ceres.centres.importers.valce import import_valce
from ceres.core.command import BaseCommand


class Command(BaseCommand):
    help = "Importe les agréments exportés de VALCE (CSV, voir docs/imports/valce.md). Essai à blanc par défaut."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="Fichier CSV exporté de VALCE")

    def handle(self, *args, file, wet_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        start = time.perf_counter()
        report, record = import_valce(path.read_bytes(), filename=path.name, wet_run=wet_run)
        elapsed = time.perf_counter() - start
        for item in report.rejected:
            self.stdout.write(f"Ligne {item.line} (VALCE {item.valce_id or '?'}) rejetée : {item.reason}")
        for item in report.duplicates:
            self.stdout.write(f"Ligne {item.line} (VALCE {item.valce_id}) : {item.reason}")
        self.stdout.write(report.summary())
        self.stdout.write(f"Durée : {elapsed:.1f} s.")
        if report.file_errors:
            raise CommandError(report.summary())
        if not wet_run:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
