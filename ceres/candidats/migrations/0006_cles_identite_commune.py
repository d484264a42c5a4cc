"""Recompute the derived identity keys and the blocking keys of every file (ceres.personnes.identite): "St" is now
spelled out in names, compound names key each of their parts, and new keys find a name and first name swapped (X)
and birth dates one day apart (J0/J1). Rows are updated in batches; none is added or removed."""

from django.db import migrations, transaction


def refresh(apps, schema_editor):
    # Live functions on purpose: stored keys must be exactly what lookups compute today.
    from ceres.personnes.identite import IdentityFacts, blocking_keys, normalize_first_names, normalize_name

    Candidat = apps.get_model("candidats", "Candidat")
    CandidatCle = apps.get_model("candidats", "CandidatCle")
    fields = ("pk", "birth_name", "usage_name", "first_names", "birth_date", "birth_place_code")
    chunk = []

    def flush():
        files, keys = [], []
        for pk, birth_name, usage_name, first_names, birth_date, place in chunk:
            files.append(
                Candidat(
                    pk=pk,
                    name_key=normalize_name(birth_name)[:150],
                    usage_name_key=normalize_name(usage_name)[:150],
                    first_names_key="".join(normalize_first_names(first_names))[:255],
                )
            )
            facts = IdentityFacts(
                birth_name=birth_name or "",
                first_names=first_names or "",
                birth_date=birth_date,
                usage_name=usage_name or "",
                birth_place_code=place or "",
            )
            keys += [CandidatCle(candidat_id=pk, key=key) for key in sorted(blocking_keys(facts))]
        Candidat.objects.bulk_update(files, ["name_key", "usage_name_key", "first_names_key"], batch_size=2000)
        CandidatCle.objects.filter(candidat_id__in=[row[0] for row in chunk]).delete()
        CandidatCle.objects.bulk_create(keys, batch_size=5000)
        chunk.clear()

    # Keyset pages of 2,000 files, each committed on its own (the migration is not atomic): on the national base
    # (2 M files, measured > 6 min) no transaction holds every row locked, and an interrupted run simply resumes
    # (recomputing a key is idempotent).
    last = 0
    while True:
        chunk.extend(Candidat.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:2000])
        if not chunk:
            break
        last = chunk[-1][0]
        with transaction.atomic():
            flush()


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("candidats", "0005_identite_commune"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
