from django.db import migrations


def create_site_config(apps, schema_editor):
    # The DSFR header/footer read DsfrConfig (editable in the admin); values frozen here on purpose.
    DsfrConfig = apps.get_model("dsfr", "DsfrConfig")
    DsfrConfig.objects.get_or_create(
        language="fr",
        defaults={
            "site_title": "CERES",
            "site_tagline": "Certification des titres professionnels du ministère chargé de l'emploi",
            "header_brand_html": "Ministère<br>du Travail",
            "footer_brand_html": "Ministère<br>du Travail",
            "accessibility_status": "NOT",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("dsfr", "0012_dsfrconfig_notice_description_and_more")]

    operations = [migrations.RunPython(create_site_config, migrations.RunPython.noop)]
