# The numbering counter moves from documents to editique with its table (documents_compteur): state only, the rows
# (numbers already handed out) stay where they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Compteur",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="créé le")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                        ("departement_code", models.CharField(max_length=3, verbose_name="département")),
                        (
                            "last_value",
                            models.PositiveIntegerField(default=0, verbose_name="dernière valeur attribuée"),
                        ),
                    ],
                    options={
                        "verbose_name": "compteur de numérotation",
                        "verbose_name_plural": "compteurs de numérotation",
                        "db_table": "documents_compteur",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("year", "departement_code"), name="documents_compteur_unique_scope"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
