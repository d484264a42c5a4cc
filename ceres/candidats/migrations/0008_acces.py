"""Precomputed access to candidate files (issue #14). Rows are created in one INSERT … SELECT (2 M files: see
docs/benchmarks.md for the time measured), then indexed: building the indexes after the rows is faster."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    table = {name: apps.get_model(*name.split(".", 1))._meta.db_table for name in (
        "candidats.Candidat", "candidats.CandidatAcces", "referentiels.Commune", "referentiels.Departement",
        "referentiels.Region", "centres.Centre", "examens.Inscription", "examens.SessionExamen",
    )}  # fmt: skip
    cand, acces = table["candidats.Candidat"], table["candidats.CandidatAcces"]
    commune, dept, region = table["referentiels.Commune"], table["referentiels.Departement"], table["referentiels.Region"]
    centre, inscription, session = table["centres.Centre"], table["examens.Inscription"], table["examens.SessionExamen"]
    # (candidat, département code, region code, centre id) of every reason to see a file.
    links = f"""
        SELECT c.id AS cid, co.departement_code AS dcode, r.code AS rcode, NULL AS centre_id
        FROM {cand} c JOIN {commune} co ON co.id = c.commune_id
        LEFT JOIN {dept} d ON d.code = co.departement_code LEFT JOIN {region} r ON r.id = d.region_id
        UNION
        SELECT c.id, d.code, r.code, ce.id FROM {cand} c JOIN {centre} ce ON ce.id = c.created_by_centre_id
        JOIN {dept} d ON d.id = ce.departement_id JOIN {region} r ON r.id = d.region_id
        UNION
        SELECT i.candidat_id, d.code, r.code, ce.id FROM {inscription} i JOIN {session} s ON s.id = i.session_id
        JOIN {centre} ce ON ce.id = s.centre_id JOIN {dept} d ON d.id = ce.departement_id
        JOIN {region} r ON r.id = d.region_id
    """
    scopes = f"""
        SELECT cid, 'D:' || dcode AS scope FROM links
        UNION SELECT cid, 'R:' || rcode FROM links WHERE rcode IS NOT NULL
        UNION SELECT cid, 'C:' || centre_id FROM links WHERE centre_id IS NOT NULL
    """
    schema_editor.execute(f"""
        WITH links AS ({links}), scopes AS ({scopes})
        INSERT INTO {acces} (scope, candidat_id, name_key, usage_name_key)
        SELECT s.scope, c.id, c.name_key, c.usage_name_key FROM scopes s JOIN {cand} c ON c.id = s.cid
    """)


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0007_correction_identite"),
        ("centres", "0001_initial"),
        ("examens", "0001_initial"),
        ("referentiels", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CandidatAcces",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=16, verbose_name="périmètre")),
                ("name_key", models.CharField(blank=True, max_length=150, verbose_name="clé du nom")),
                ("usage_name_key", models.CharField(blank=True, max_length=150, verbose_name="clé du nom d'usage")),
                (
                    "candidat",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="acces",
                        to="candidats.candidat",
                        verbose_name="candidat",
                    ),
                ),
            ],
            options={
                "verbose_name": "accès à un dossier candidat",
                "verbose_name_plural": "accès aux dossiers candidats",
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="candidatacces",
            index=models.Index(fields=["scope", "name_key", "candidat"], name="candidatacces_scope_name_idx"),
        ),
        migrations.AddIndex(
            model_name="candidatacces",
            index=models.Index(fields=["scope", "usage_name_key", "candidat"], name="candidatacces_scope_usage_idx"),
        ),
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(fields=["name_key", "id"], name="candidat_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(fields=["usage_name_key", "id"], name="candidat_usage_id_idx"),
        ),
        migrations.AddConstraint(
            model_name="candidatacces",
            constraint=models.UniqueConstraint(fields=("scope", "candidat"), name="candidatacces_unique"),
        ),
    ]
