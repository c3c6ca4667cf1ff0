"""The two ledgers: euros in cents, and hours (time credits) in minutes."""

from django.db import migrations


def create(apps, schema_editor):
    Ledger = apps.get_model("ledger", "Ledger")
    Ledger.objects.get_or_create(code="EUR", defaults={"name": "Euro", "unit": "cent"})
    Ledger.objects.get_or_create(code="HOURS", defaults={"name": "Heures (crédits temps)", "unit": "minute"})


def drop(apps, schema_editor):
    apps.get_model("ledger", "Ledger").objects.filter(code__in=["EUR", "HOURS"], last_sequence=0).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [migrations.RunPython(create, drop)]
