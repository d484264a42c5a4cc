"""One identity for a person (ceres.personnes): shared field lengths, declarations stored on duplicate pairs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('candidats', '0004_cles_prenoms_et_dates_inversees'),
        ('centres', '0002_importvalce'),
        ('referentiels', '0002_commune_evenement_mots'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='doublonpotentiel',
            name='declared_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='déclaré le'),
        ),
        migrations.AddField(
            model_name='doublonpotentiel',
            name='declared_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déclaré par'),
        ),
        migrations.AddField(
            model_name='doublonpotentiel',
            name='declared_reason',
            field=models.TextField(blank=True, help_text="Motif de la déclaration d'homonymie, le cas échéant.", verbose_name='motif déclaré à la saisie'),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='birth_name',
            field=models.CharField(max_length=150, verbose_name='nom de naissance'),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='first_names',
            field=models.CharField(help_text="Tous les prénoms, dans l'ordre de l'état civil, séparés par une virgule (un prénom composé garde son trait d'union : « Jean-Pierre, Louis »).", max_length=255, verbose_name='prénoms'),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='first_names_key',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=255, verbose_name='clé des prénoms'),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=150, verbose_name='clé du nom'),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='usage_name',
            field=models.CharField(blank=True, max_length=150, verbose_name="nom d'usage"),
        ),
        migrations.AlterField(
            model_name='candidat',
            name='usage_name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=150, verbose_name="clé du nom d'usage"),
        ),
        migrations.AlterField(
            model_name='doublonpotentiel',
            name='status',
            field=models.CharField(choices=[('a_traiter', 'À traiter'), ('autre_personne', 'Autre personne selon la saisie (à vérifier)'), ('homonymie', 'Homonymie déclarée (à vérifier)'), ('ecarte', 'Écarté (personnes différentes)'), ('fusionne', 'Fusionné')], default='a_traiter', max_length=20, verbose_name='statut'),
        ),
        migrations.AlterConstraint(
            model_name='candidat',
            name='candidat_one_birth_place',
            constraint=models.CheckConstraint(condition=models.Q(('birth_commune__isnull', True), ('birth_country__isnull', True), _connector='OR'), name='candidat_one_birth_place', violation_error_message='Indiquez soit une commune de naissance en France, soit un pays de naissance, pas les deux.'),
        ),
    ]
