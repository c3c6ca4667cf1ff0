"""Load the reference data: INSEE legal forms, the default sectors, the communes of the Hautes-Alpes."""

from django.db import migrations


def load(apps, schema_editor):
    from cordee.network import reference

    reference.load_legal_forms(apps.get_model("network", "LegalForm"))
    reference.load_sectors(apps.get_model("network", "Sector"))
    reference.load_communes(apps.get_model("network", "Commune"), reference.default_communes())


def unload(apps, schema_editor):
    from cordee.network import reference

    Commune = apps.get_model("network", "Commune")
    Commune.objects.filter(insee_code__in=[row["insee_code"] for row in reference.default_communes()]).delete()
    apps.get_model("network", "Sector").objects.filter(slug__in=[slug for slug, _ in reference.SECTORS]).delete()
    apps.get_model("network", "LegalForm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
