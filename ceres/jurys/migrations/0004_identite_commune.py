"""One identity for a person (ceres.personnes): the juror file inherits the shared identity and address models.
Every row is kept; the derived keys (names, first names, birth place code) are recomputed from the identity."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_keys(apps, schema_editor):
    # Live normalisation on purpose: stored keys must be exactly what lookups compute today.
    from ceres.personnes.identite import normalize_first_names, normalize_name

    MembreJury = apps.get_model("jurys", "MembreJury")
    rows = MembreJury.objects.select_related("birth_commune", "birth_country").order_by("pk")
    batch = []
    for membre in rows.iterator(chunk_size=1000):
        membre.name_key = normalize_name(membre.birth_name)[:150]
        membre.usage_name_key = normalize_name(membre.usage_name)[:150]
        membre.first_names_key = "".join(normalize_first_names(membre.first_names))[:255]
        if membre.birth_commune_id:
            membre.birth_place_code = membre.birth_commune.code_insee
        elif membre.birth_country_id:
            membre.birth_place_code = membre.birth_country.code
        batch.append(membre)
        if len(batch) >= 1000:
            MembreJury.objects.bulk_update(batch, ["name_key", "usage_name_key", "first_names_key", "birth_place_code"])
            batch.clear()
    if batch:
        MembreJury.objects.bulk_update(batch, ["name_key", "usage_name_key", "first_names_key", "birth_place_code"])


class Migration(migrations.Migration):

    dependencies = [
        ('jurys', '0003_messages_contraintes'),
        ('referentiels', '0002_commune_evenement_mots'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='membrejury',
            options={'ordering': ['name_key', 'first_names_key', 'birth_date'], 'verbose_name': 'membre de jury', 'verbose_name_plural': 'membres de jury'},
        ),
        migrations.RemoveConstraint(
            model_name='membrejury',
            name='membrejury_birth_place_one_of',
        ),
        migrations.RenameField(
            model_name='membrejury',
            old_name='residence_commune',
            new_name='commune',
        ),
        migrations.RemoveField(
            model_name='membrejury',
            name='birth_name_key',
        ),
        migrations.RemoveField(
            model_name='membrejury',
            name='first_name_key',
        ),
        migrations.AddField(
            model_name='membrejury',
            name='birth_place_code',
            field=models.CharField(blank=True, editable=False, max_length=5, verbose_name='code du lieu de naissance'),
        ),
        migrations.AddField(
            model_name='membrejury',
            name='birth_town_abroad',
            field=models.CharField(blank=True, max_length=100, verbose_name="ville de naissance à l'étranger"),
        ),
        migrations.AddField(
            model_name='membrejury',
            name='first_names_key',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=255, verbose_name='clé des prénoms'),
        ),
        migrations.AddField(
            model_name='membrejury',
            name='name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=150, verbose_name='clé du nom'),
        ),
        migrations.AlterField(
            model_name='membrejury',
            name='birth_commune',
            field=models.ForeignKey(blank=True, help_text='Le nom de la commune en vigueur à la date de naissance.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='referentiels.commune', verbose_name='commune de naissance'),
        ),
        migrations.AlterField(
            model_name='membrejury',
            name='birth_date',
            field=models.DateField(verbose_name='date de naissance'),
        ),
        migrations.AlterField(
            model_name='membrejury',
            name='first_names',
            field=models.CharField(help_text="Tous les prénoms, dans l'ordre de l'état civil, séparés par une virgule (un prénom composé garde son trait d'union : « Jean-Pierre, Louis »).", max_length=255, verbose_name='prénoms'),
        ),
        migrations.AlterField(
            model_name='membrejury',
            name='usage_name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=150, verbose_name="clé du nom d'usage"),
        ),
        migrations.AddIndex(
            model_name='membrejury',
            index=models.Index(fields=['birth_date'], name='membrejury_birth_date_idx'),
        ),
        migrations.AddConstraint(
            model_name='membrejury',
            constraint=models.CheckConstraint(condition=models.Q(('birth_commune__isnull', True), ('birth_country__isnull', True), _connector='OR'), name='membrejury_one_birth_place', violation_error_message='Indiquez soit une commune de naissance en France, soit un pays de naissance, pas les deux.'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
