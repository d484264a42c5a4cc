"""Index (juror, session) of the jury convocations (issue #14): a juror's sessions read from the index alone."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('examens', '0005_pv_signe'),
        ('jurys', '0006_import_reprise'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='membreconvoque',
            index=models.Index(fields=['membre', 'session'], name='membreconvoque_membre_idx'),
        ),
    ]
