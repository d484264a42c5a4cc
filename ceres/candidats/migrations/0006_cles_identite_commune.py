"""Recompute the derived identity keys and the blocking keys of every file (ceres.personnes.identite): "St" is now
spelled out in names, compound names key each of their parts, and new keys find a name and first name swapped (X)
and birth dates one day apart (J0/J1). Rows are updated in batches; none is added or removed."""

from django.db import migrations


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

    for row in Candidat.objects.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) >= 2000:
            flush()
    if chunk:
        flush()


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0005_identite_commune"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
