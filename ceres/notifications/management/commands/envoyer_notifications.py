from ceres.core.command import BaseCommand
from ceres.notifications.tasks import requeue_pending


class Command(BaseCommand):
    help = "Remet dans la file les e-mails de notification pas encore envoyés (tâche perdue, échec temporaire)."
    writes_data = True

    def handle(self, *args, wet_run=False, **options):
        def run():
            self.stdout.write(f"{requeue_pending()} e-mail(s) remis dans la file.")

        self.run_atomic(run, wet_run=wet_run)
