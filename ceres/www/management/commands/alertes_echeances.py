from django.utils import timezone

from ceres.centres import notifications as centres_notifications
from ceres.core.command import BaseCommand
from ceres.jurys import notifications as jurys_notifications


class Command(BaseCommand):
    help = (
        "Prévient les personnes concernées des agréments, habilitations (fin effective, règle des 24 mois) et titres "
        "qui se terminent dans les 3 mois (paramètre national). À lancer chaque jour ; une alerte n'est envoyée "
        "qu'une fois par échéance."
    )
    writes_data = True

    def handle(self, *args, wet_run=False, **options):
        today = timezone.localdate()

        def run():
            agrements_titres = centres_notifications.end_alerts(today)
            habilitations = jurys_notifications.end_alerts(today)
            self.stdout.write(
                f"{agrements_titres} alerte(s) d'agrément ou de titre, {habilitations} alerte(s) d'habilitation."
            )

        self.run_atomic(run, wet_run=wet_run)
