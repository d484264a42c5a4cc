import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="doublonpotentiel",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identifiant public"),
        ),
    ]
