"""Two bookings of one resource that hold it (requested or confirmed) never overlap, in the
database itself.

PostgreSQL: an exclusion constraint over (resource, [starts_at, ends_at)) — btree_gist lets the
resource id take part in the GiST index. SQLite: triggers that look for an overlapping holding
booking before a row is inserted or changed, inside the writer's transaction (SQLite has one
writer at a time, so the check and the write cannot be separated by another booking). Ranges are
half-open: a booking may start at the minute the previous one ends.
"""

from django.db import migrations

CONSTRAINT = "premises_booking_no_overlap"
HOLDING = "('requested', 'confirmed')"

SQLITE_CHECK = """
SELECT RAISE(ABORT, '{name}: the resource is already booked at that time')
WHERE NEW.state IN {holding} AND EXISTS (
    SELECT 1 FROM premises_booking AS other
    WHERE other.resource_id = NEW.resource_id
      AND other.id IS NOT NEW.id
      AND other.state IN {holding}
      AND other.starts_at < NEW.ends_at
      AND NEW.starts_at < other.ends_at
);
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(
            f"ALTER TABLE premises_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            f"WHERE (state IN {HOLDING})"
        )
    elif vendor == "sqlite":
        check = SQLITE_CHECK.format(name=CONSTRAINT, holding=HOLDING)
        schema_editor.execute(
            f"CREATE TRIGGER {CONSTRAINT}_insert BEFORE INSERT ON premises_booking BEGIN {check} END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {CONSTRAINT}_update BEFORE UPDATE OF state, starts_at, ends_at, resource_id "
            f"ON premises_booking BEGIN {check} END"
        )
    else:  # pragma: no cover - Cordée supports these two databases only
        raise RuntimeError(f"no overlap guard for {vendor}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE premises_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {CONSTRAINT}_insert")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {CONSTRAINT}_update")


class Migration(migrations.Migration):
    dependencies = [("premises", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
