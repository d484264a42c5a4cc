# The numbering counter now belongs to the editique app (ceres.editique.models.Compteur), which keeps the table
# documents_compteur: state only, nothing is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_impressionlot_annulation_parchemin"),
        ("editique", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Compteur")],
            database_operations=[],
        ),
    ]
