from pathlib import Path

from django.core.management.base import CommandError

from ceres.candidats.importers import import_candidats
from ceres.centres.models import Centre
from ceres.core.command import BaseCommand


class Command(BaseCommand):
    help = (
        "Importe des dossiers candidats (CSV, voir docs/imports/candidats.md) avec le contrôle des doublons. "
        "Essai à blanc par défaut."
    )
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="Fichier CSV des candidats")
        parser.add_argument("--centre", help="SIRET du centre qui suit ces candidats (il verra leurs dossiers).")

    def handle(self, *args, file, wet_run=False, centre=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        centre_obj = None
        if centre:
            centre_obj = Centre.objects.filter(siret=centre.replace(" ", "")).first()
            if centre_obj is None:
                raise CommandError(f"Aucun centre ne porte le SIRET {centre}.")
        report = import_candidats(path.read_bytes(), centre=centre_obj, wet_run=wet_run)
        for item in report.rejected:
            self.stdout.write(
                f"Ligne {item.line}{f' ({item.reference})' if item.reference else ''} rejetée : {item.reason}"
            )
        for item in report.duplicates:
            self.stdout.write(f"Ligne {item.line}{f' ({item.reference})' if item.reference else ''} : {item.reason}")
        for item in report.probables:
            self.stdout.write(f"Ligne {item.line}{f' ({item.reference})' if item.reference else ''} : {item.reason}")
        self.stdout.write(report.summary())
        if report.file_errors:
            raise CommandError(report.summary())
        if not wet_run:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
