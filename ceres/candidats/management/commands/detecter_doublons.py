"""Batch detection of probable duplicate candidate files (imported data clean-up), from the blocking keys."""

from collections import Counter

from ceres.candidats import selectors, services
from ceres.core.command import BaseCommand


class Command(BaseCommand):
    help = "Détecte les dossiers candidats en double (clés de rapprochement) et les enregistre pour la page Doublons."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--exemples", type=int, default=10, help="Nombre de paires affichées.")

    def handle(self, *args, **options):
        pairs = list(selectors.doublons_detect())
        levels = Counter(match.level for _, _, match in pairs)
        self.stdout.write(
            f"{len(pairs)} paire(s) détectée(s) : {levels.get('certain', 0)} certaine(s), "
            f"{levels.get('probable', 0)} probable(s)."
        )
        for a, b, match in pairs[: options["exemples"]]:
            self.stdout.write(f"  {a.numero} / {b.numero} ({match.level}) : {', '.join(match.reasons)}")
        created = self.run_atomic(lambda: services.doublons_store(pairs), wet_run=options["wet_run"])
        if options["wet_run"]:
            self.stdout.write(self.style.SUCCESS(f"{created} nouvelle(s) paire(s) enregistrée(s) à traiter."))
