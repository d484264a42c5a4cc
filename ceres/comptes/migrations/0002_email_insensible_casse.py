import django.db.models.functions.text
from django.db import migrations, models


def lowercase_emails(apps, schema_editor):
    # Existing accounts get the spelling User.save() now enforces; a case-only clash makes the constraint fail
    # loudly, which is wanted (someone must choose which account stays).
    User = apps.get_model("comptes", "User")
    for user in User.objects.exclude(email=django.db.models.functions.text.Lower("email")).only("pk", "email"):
        User.objects.filter(pk=user.pk).update(email=user.email.strip().lower())


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comptes", "0001_initial"),
        ("referentiels", "0002_commune_evenement_mots"),
    ]

    operations = [
        migrations.RunPython(lowercase_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
        ),
    ]
