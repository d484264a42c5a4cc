"""Editions of a parchemin (issue 13): the original is edition 0, duplicatas are numbered 1, 2… in print order.

Printed copies already stored get their edition from their order of print (the reprints of a session validated
before numbering, printed without an original, start at duplicata n° 1). Their QR code keeps verifying: its
signature did not cover an edition (message version 1).
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def number_editions(apps, schema_editor):
    Parchemin = apps.get_model("documents", "Parchemin")
    rows = Parchemin.objects.filter(nature="duplicata").order_by("certification_id", "created_at", "id")
    last, edition = None, 0
    for row in rows.only("pk", "certification_id").iterator():
        edition = edition + 1 if row.certification_id == last else 1
        last = row.certification_id
        Parchemin.objects.filter(pk=row.pk).update(edition=edition)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_immutabilite_postgresql'),
        ('examens', '0004_convocation_explicite_formateur'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeclarationOriginal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='créé le')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='identifiant public')),
                ('paper_original', models.BooleanField(verbose_name='original papier déjà délivré')),
            ],
            options={
                'verbose_name': "déclaration d'original papier",
                'verbose_name_plural': "déclarations d'original papier",
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='impressionlot',
            name='paper_original',
            field=models.BooleanField(blank=True, null=True, verbose_name='originaux papier déjà délivrés'),
        ),
        migrations.AddField(
            model_name='impressionlot',
            name='skipped',
            field=models.JSONField(blank=True, default=list, verbose_name='documents sautés'),
        ),
        migrations.AddField(
            model_name='parchemin',
            name='edition',
            field=models.PositiveSmallIntegerField(default=0, help_text="0 : l'original ; k : duplicata n° k.", verbose_name='édition'),
        ),
        migrations.AddField(
            model_name='parchemin',
            name='reason',
            field=models.CharField(blank=True, choices=[('perte', 'Perte'), ('vol', 'Vol'), ('deterioration', 'Détérioration'), ('erreur_identite', "Erreur d'identité corrigée par l'unité départementale"), ('defaut_impression', "Défaut d'impression"), ('original_papier', 'Original papier délivré avant la numérotation'), ('autre', 'Autre motif (à préciser)')], max_length=20, verbose_name='motif du duplicata'),
        ),
        migrations.AddField(
            model_name='parchemin',
            name='reason_detail',
            field=models.TextField(blank=True, verbose_name='précision sur le motif'),
        ),
        migrations.RunPython(number_editions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='parchemin',
            constraint=models.UniqueConstraint(fields=('certification', 'edition'), name='documents_parchemin_one_edition'),
        ),
        migrations.AddConstraint(
            model_name='parchemin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('edition', 0), ('nature', 'original')), models.Q(('edition__gt', 0), ('nature', 'duplicata')), _connector='OR'), name='documents_parchemin_edition_nature'),
        ),
        migrations.AddField(
            model_name='declarationoriginal',
            name='certification',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='declaration_original', to='examens.certification', verbose_name='certification'),
        ),
        migrations.AddField(
            model_name='declarationoriginal',
            name='declared_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déclaré par'),
        ),
    ]
