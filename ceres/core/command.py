"""Base for management commands: counters, French report, dry-run by default for commands that write."""

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.db import transaction


class DryRunRollback(Exception):
    pass


class BaseCommand(DjangoBaseCommand):
    writes_data = False

    def add_arguments(self, parser):
        if self.writes_data:
            parser.add_argument(
                "--wet-run", action="store_true", help="Écrit réellement en base (sinon : essai à blanc)."
            )

    def run_atomic(self, func, *, wet_run: bool):
        """Run func inside a transaction; roll it back unless --wet-run, and return its result."""
        result = None
        try:
            with transaction.atomic():
                result = func()
                if not wet_run:
                    raise DryRunRollback
        except DryRunRollback:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été écrit (ajoutez --wet-run)."))
        return result
