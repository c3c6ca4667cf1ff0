"""The hash chain follows each account instead of each ledger.

A ledger-wide chain needed a ledger-wide lock held until commit, so every posting of a ledger ran
one at a time whatever accounts it touched. Each transfer now chains to the previous transfer of its
debit account and of its credit account, under the account row locks that posting takes anyway;
the sequence comes from a database sequence on PostgreSQL (from the table under SQLite's write lock).

The transfers table must be empty: hashes written by the old scheme cannot be recomputed under the
append-only triggers, and no Cordée release ever wrote ledger data under it. The triggers are taken
down around the schema change (SQLite rebuilds the table, which would drop them) and put back after.
"""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("cordee.ledger.migrations.0002_append_only_triggers")

GENESIS = "0" * 64


def require_empty(apps, schema_editor):
    if apps.get_model("ledger", "Transfer").objects.using(schema_editor.connection.alias).exists():
        raise RuntimeError(
            "ledger 0004 changes how transfers are hashed and needs an empty ledger_transfer table; "
            "this database holds transfers written by a development version: recreate it."
        )


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS ledger_transfer_sequence AS bigint START 1")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS ledger_transfer_sequence")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_ledgers_and_chart")]

    operations = [
        migrations.RunPython(require_empty, migrations.RunPython.noop),
        migrations.RunPython(triggers.drop, triggers.create),
        migrations.RemoveField(model_name="ledger", name="last_sequence"),
        migrations.RemoveField(model_name="ledger", name="last_hash"),
        migrations.AddField(
            model_name="account",
            name="last_hash",
            field=models.CharField(default=GENESIS, editable=False, max_length=64),
        ),
        migrations.RemoveConstraint(model_name="transfer", name="ledger_transfer_sequence_unique"),
        migrations.RemoveField(model_name="transfer", name="prev_hash"),
        migrations.AddField(
            model_name="transfer",
            name="debit_prev_hash",
            field=models.CharField(default=GENESIS, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="transfer",
            name="credit_prev_hash",
            field=models.CharField(default=GENESIS, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="transfer",
            name="sequence",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["ledger", "sequence"], name="ledger_transfer_journal"),
        ),
        migrations.RunPython(create_sequence, drop_sequence),
        migrations.RunPython(triggers.create, triggers.drop),
    ]
