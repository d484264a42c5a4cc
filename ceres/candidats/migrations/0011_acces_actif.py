"""Access rows say whether their file is still active (not absorbed by a merge), and the (scope, name) indexes
keep the active files only (issue #14): a scoped search reads the index alone. The column is added with its default
(no table rewrite), the few absorbed files are marked, then the indexes are built. Durations: docs/benchmarks.md."""

from django.db import migrations, models


def mark_absorbed(apps, schema_editor):
    Candidat = apps.get_model("candidats", "Candidat")
    CandidatAcces = apps.get_model("candidats", "CandidatAcces")
    absorbed = Candidat.objects.filter(merged_into__isnull=False).values("pk")
    CandidatAcces.objects.filter(candidat__in=absorbed).update(active=False)


class Migration(migrations.Migration):

    dependencies = [
        ('candidats', '0010_index_recherche_nationale'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='candidatacces',
            name='candidatacces_scope_name_idx',
        ),
        migrations.RemoveIndex(
            model_name='candidatacces',
            name='candidatacces_scope_usage_idx',
        ),
        migrations.AddField(
            model_name='candidatacces',
            name='active',
            field=models.BooleanField(db_default=True, default=True, editable=False, verbose_name='dossier actif'),
        ),
        migrations.RunPython(mark_absorbed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='candidatacces',
            index=models.Index(condition=models.Q(('active', True)), fields=['scope', 'name_key', 'candidat'], name='candidatacces_scope_name_idx'),
        ),
        migrations.AddIndex(
            model_name='candidatacces',
            index=models.Index(condition=models.Q(('active', True)), fields=['scope', 'usage_name_key', 'candidat'], name='candidatacces_scope_usage_idx'),
        ),
    ]
