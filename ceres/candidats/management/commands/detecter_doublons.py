"""Batch detection of probable duplicate candidate files (imported data clean-up), from the blocking keys."""

from collections import Counter

from django.db import transaction

from ceres.candidats import selectors, services
from ceres.core.command import BaseCommand

PAIRS_PER_TRANSACTION = 500


class Command(BaseCommand):
    help = "Détecte les dossiers candidats en double (clés de rapprochement) et les enregistre pour la page Doublons."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--exemples", type=int, default=10, help="Nombre de paires affichées.")

    def handle(self, *args, **options):
        """Pairs are stored as they are found, PAIRS_PER_TRANSACTION per transaction: a run killed midway keeps what
        it stored, and running it again stores the rest (a pair already stored is never stored twice, whatever its
        status) — the scheduled job needs no other resumption (issue #15). Memory stays bounded on 2 M files."""
        wet_run = options["wet_run"]
        levels, examples, created, batch = Counter(), [], 0, []

        def store():
            nonlocal created
            if wet_run and batch:
                with transaction.atomic():
                    created += services.doublons_store(batch)
            batch.clear()

        for a, b, match in selectors.doublons_detect():
            levels[match.level] += 1
            if len(examples) < options["exemples"]:
                examples.append(f"  {a.numero} / {b.numero} ({match.level}) : {', '.join(match.reasons)}")
            batch.append((a, b, match))
            if len(batch) >= PAIRS_PER_TRANSACTION:
                store()
        store()
        total = sum(levels.values())
        self.stdout.write(
            f"{total} paire(s) détectée(s) : {levels.get('certain', 0)} certaine(s), "
            f"{levels.get('probable', 0)} probable(s)."
        )
        if examples:
            self.stdout.write("\n".join(examples))
        if wet_run:
            self.stdout.write(self.style.SUCCESS(f"{created} nouvelle(s) paire(s) enregistrée(s) à traiter."))
        else:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
