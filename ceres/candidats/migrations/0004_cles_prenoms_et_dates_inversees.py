"""Recompute the blocking keys: ceres.personnes.identite now also keys every first name (F) and the first names with
day/month unordered (T), so that a name typo with swapped day/month or reordered first names is found."""

from django.db import migrations


def refresh_keys(apps, schema_editor):
    # Uses the live key function on purpose: stored keys must be exactly what lookups compute today.
    from ceres.personnes.identite import IdentityFacts, blocking_keys

    Candidat = apps.get_model("candidats", "Candidat")
    CandidatCle = apps.get_model("candidats", "CandidatCle")
    fields = ("pk", "birth_name", "usage_name", "first_names", "birth_date", "birth_place_code")
    chunk = []

    def flush():
        ids = [row[0] for row in chunk]
        CandidatCle.objects.filter(candidat_id__in=ids).delete()
        CandidatCle.objects.bulk_create(
            [
                CandidatCle(candidat_id=pk, key=key)
                for pk, birth_name, usage_name, first_names, birth_date, place in chunk
                for key in sorted(
                    blocking_keys(
                        IdentityFacts(
                            birth_name=birth_name or "",
                            first_names=first_names or "",
                            birth_date=birth_date,
                            usage_name=usage_name or "",
                            birth_place_code=place or "",
                        )
                    )
                )
            ],
            batch_size=5000,
        )
        chunk.clear()

    for row in Candidat.objects.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) >= 2000:
            flush()
    if chunk:
        flush()


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0003_cle_prenoms"),
    ]

    operations = [migrations.RunPython(refresh_keys, migrations.RunPython.noop)]
