from django.db import migrations


def canonical_emails(apps, schema_editor):
    # Existing accounts get the canonical spelling (NFKC + casefold) that User.save() now enforces. Two accounts
    # whose addresses become equal stop the migration with their addresses: someone must choose which one stays.
    from ceres.comptes.rules import canonical_email

    User = apps.get_model("comptes", "User")
    seen = {}
    changes = []
    for pk, email in User.objects.values_list("pk", "email"):
        canonical = canonical_email(email)
        if canonical in seen:
            raise RuntimeError(
                f"Deux comptes ont la même adresse canonique {canonical!r} (identifiants {seen[canonical]} et {pk}) : "
                "désactivez ou renommez l'un d'eux avant de migrer."
            )
        seen[canonical] = pk
        if canonical != email:
            changes.append((pk, canonical))
    for pk, canonical in changes:
        User.objects.filter(pk=pk).update(email=canonical)


class Migration(migrations.Migration):
    dependencies = [("comptes", "0002_email_insensible_casse")]

    operations = [migrations.RunPython(canonical_emails, migrations.RunPython.noop)]
