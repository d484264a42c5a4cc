"""Indexes of the national candidate search and list (issue #14): the merge column carried by the (name, id) indexes
(index-only check of "not absorbed"), and the national list in its order. Durations at 2 M: docs/benchmarks.md."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('candidats', '0009_import_candidats'),
        ('centres', '0004_depot_valce'),
        ('referentiels', '0003_signataire'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='candidat',
            name='candidat_name_id_idx',
        ),
        migrations.RemoveIndex(
            model_name='candidat',
            name='candidat_usage_id_idx',
        ),
        migrations.AddIndex(
            model_name='candidat',
            index=models.Index(fields=['name_key', 'id'], include=('merged_into',), name='candidat_name_id_idx'),
        ),
        migrations.AddIndex(
            model_name='candidat',
            index=models.Index(fields=['usage_name_key', 'id'], include=('merged_into',), name='candidat_usage_id_idx'),
        ),
        migrations.AddIndex(
            model_name='candidat',
            index=models.Index(fields=['name_key', 'first_names', 'birth_date'], name='candidat_list_idx'),
        ),
    ]
