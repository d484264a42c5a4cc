"""Documents in storage against the database: orphans, missing files, altered files (docs/exploitation.md §6)."""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from ceres.core.command import BaseCommand
from ceres.core.storage import sha256_of


def referenced_files() -> dict[str, tuple[str, str]]:
    """{stored name: (model label, recorded sha256 or "")} for every FileField of every model."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        has_sha = any(f.name == "sha256" for f in model._meta.concrete_fields)
        for field in fields:
            values = [field.name, "sha256"] if has_sha else [field.name]
            for row in model._base_manager.exclude(**{field.name: ""}).values_list(*values).iterator():
                found[row[0]] = (model._meta.label, row[1] if has_sha else "")
    return found


def stored_files(storage, path: str = ""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from stored_files(storage, f"{path}/{directory}" if path else directory)


class Command(BaseCommand):
    help = "Compare les documents stockés à la base : orphelins (supprimés avec --wet-run), manquants, altérés."
    writes_data = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Un fichier non référencé plus récent est une écriture en cours, pas un orphelin (60 par défaut).",
        )
        parser.add_argument(
            "--verify-hashes", action="store_true", help="Relit chaque document et vérifie son SHA-256."
        )

    def handle(self, *args, wet_run=False, min_age_minutes=60, verify_hashes=False, **options):
        storage = default_storage
        referenced = referenced_files()
        limit = timezone.now() - timedelta(minutes=min_age_minutes)
        orphans, recent, present = [], 0, set()
        for name in stored_files(storage):
            if name in referenced:
                present.add(name)
            elif storage.get_modified_time(name) < limit:
                orphans.append(name)
            else:
                recent += 1
        missing = sorted(set(referenced) - present)
        altered = []
        if verify_hashes:
            altered = [
                n for n in sorted(present) if referenced[n][1] and sha256_of(n, storage=storage) != referenced[n][1]
            ]
        self.stdout.write(
            f"{len(referenced)} documents référencés, {len(present)} présents, {len(missing)} manquants, "
            f"{len(orphans)} orphelins, {recent} écritures récentes ignorées"
            + (f", {len(altered)} altérés" if verify_hashes else "")
            + "."
        )
        for name in missing:
            self.stdout.write(f"MANQUANT {name} ({referenced[name][0]})")
        for name in altered:
            self.stdout.write(f"ALTÉRÉ {name} ({referenced[name][0]}) : empreinte différente de celle enregistrée")
        for name in orphans:
            self.stdout.write(f"ORPHELIN {name}")
            if wet_run:
                storage.delete(name)
        if orphans and wet_run:
            self.stdout.write(self.style.SUCCESS(f"{len(orphans)} orphelins supprimés."))
        elif orphans:
            self.stdout.write(self.style.WARNING("Essai à blanc : rien n'a été supprimé (ajoutez --wet-run)."))
