"""manage.py import_reprise_jurys FILE [--wet-run] [--rapport REJETS.csv]: reprise of jurors and habilitations."""

from pathlib import Path

from django.core.management.base import CommandError

from ceres.core.command import BaseCommand
from ceres.jurys.reprise import import_reprise


class Command(BaseCommand):
    help = "Reprend les membres de jury et leurs habilitations depuis l'export CSV de l'ancien système."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="Fichier CSV (UTF-8, séparateur ;) — voir docs/imports/reprise_jurys.md")
        parser.add_argument("--rapport", help="Écrit le rapport de rapprochement (habilitations non reprises) en CSV.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        text = path.read_text(encoding="utf-8-sig")
        try:
            report = self.run_atomic(lambda: import_reprise(text), wet_run=options["wet_run"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.summary():
            self.stdout.write(line)
        if report.rejets:
            self.stdout.write("Habilitations non reprises :")
            for r in report.rejets:
                self.stdout.write(
                    f"  ligne {r.line} (juré {r.id_jure}, habilitation {r.id_habilitation or '—'}) : "
                    f"{r.reason} — {r.message}"
                )
        if options.get("rapport"):
            Path(options["rapport"]).write_text(report.rejets_csv(), encoding="utf-8")
            self.stdout.write(f"Rapport écrit dans {options['rapport']}.")
