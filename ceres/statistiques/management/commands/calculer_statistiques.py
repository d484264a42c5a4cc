import time

from django.utils import timezone

from ceres.core.command import BaseCommand
from ceres.statistiques import figures, selectors
from ceres.statistiques.forms import FiltresForm
from ceres.statistiques.models import CalculStatistiques
from ceres.statistiques.services import statistiques_compute, summary_tables_vacuum


class Command(BaseCommand):
    writes_data = True
    help = (
        "Recalcule les tables de synthèse des pages de statistiques (chaque nuit en entier ; toutes les quelques "
        "minutes avec --depuis-dernier-calcul). Sans --wet-run, rien n'est écrit."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--depuis-dernier-calcul",
            action="store_true",
            help="ne recalcule que les mois touchés depuis le dernier calcul",
        )

    def handle(self, *args, wet_run=False, depuis_dernier_calcul=False, **options):
        last = CalculStatistiques.objects.first()
        since = last.finished_at if (depuis_dernier_calcul and last) else None
        run = self.run_atomic(lambda: statistiques_compute(since=since), wet_run=wet_run)
        kind = "complet" if run.full else "incrémental"
        self.stdout.write(
            f"Statistiques recalculées ({kind}) : {run.months} mois, {run.rows} lignes, {run.duration_ms} ms."
        )
        if wet_run and run.full:
            started = time.monotonic()
            if summary_tables_vacuum():
                self.stdout.write(
                    f"Tables de synthèse nettoyées (VACUUM ANALYZE) en {time.monotonic() - started:.1f} s."
                )
        if wet_run:
            # The default page of every scope, ready in the shared cache before the agents open it.
            started = time.monotonic()
            today = timezone.localdate()
            users = selectors.one_user_per_scope()
            for user in users:
                selectors.of_the_day(user, run, today)
                figures.page_tables(user, FiltresForm(titres=None).filtres(today), today, run)
            self.stdout.write(
                f"Pages préparées : {len(users)} périmètres en {1000 * (time.monotonic() - started):.0f} ms."
            )
