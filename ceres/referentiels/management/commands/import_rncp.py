from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from ceres.core.command import BaseCommand
from ceres.referentiels.loaders.rncp import FormatError, import_rncp


class Command(BaseCommand):
    help = (
        "Met à jour les titres professionnels depuis un export RNCP « Standard » de France Compétences "
        "(CSV séparé par des points-virgules). Essai à blanc par défaut. Voir docs/imports/rncp.md."
    )
    writes_data = True

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (export_fiches_CSV_Standard_AAAA_MM_JJ.csv)")
        super().add_arguments(parser)

    def handle(self, *args, file, wet_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            with transaction.atomic():
                result = import_rncp(path.read_bytes(), source_name=path.name)
                transaction.set_rollback(not wet_run)
        except FormatError as exc:
            raise CommandError(f"Fichier refusé : {exc}") from exc
        for rejet in result.rejets:
            self.stdout.write(str(rejet))
        self.stdout.write(result.summary())
        if not wet_run:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
