"""manage.py import_reprise_jurys FILE [--wet-run] [--rapport REJETS.csv]: reprise of jurors and habilitations."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from ceres.core.command import BaseCommand
from ceres.core.fichiers import FileRefused
from ceres.jurys.reprise import import_reprise


class Command(BaseCommand):
    help = "Reprend les membres de jury et leurs habilitations depuis l'export CSV de l'ancien système."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "file", help="Fichier CSV (UTF-8 ou Windows-1252, séparateur ; ou ,) — voir docs/imports/reprise_jurys.md"
        )
        parser.add_argument("--rapport", help="Écrit le rapport de rapprochement (habilitations non reprises) en CSV.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        data = path.read_bytes()
        try:
            with transaction.atomic():
                report = import_reprise(data)
                transaction.set_rollback(not options["wet_run"])
        except FileRefused as exc:
            raise CommandError(f"Fichier refusé : {exc}") from exc
        for r in report.rejets:
            self.stdout.write(
                f"Ligne {r.line} (juré {r.id_jure or '?'}, habilitation {r.id_habilitation or '?'}) rejetée : "
                f"{r.reason} — {r.message}"
            )
        for line in report.summary():
            self.stdout.write(line)
        if options.get("rapport"):
            Path(options["rapport"]).write_text(report.rejets_csv(), encoding="utf-8")
            self.stdout.write(f"Rapport écrit dans {options['rapport']}.")
        if not options["wet_run"]:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
