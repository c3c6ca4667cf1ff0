"""Refuse, in the database itself, any change to an issued invoice but its payment or cancellation,
any change to the lines of an invoice that is no longer a draft, and any move of a numbering
counter but one step up.

Python never does these either; the triggers make sure no code path, admin action or SQL console
can. An issued invoice is corrected by a credit note, never edited (French invoicing rules), and a
counter that moved back or jumped would give a number twice or leave a gap. TRUNCATE (PostgreSQL)
is left to the table's owner: it is how a test database is emptied.
"""

from django.db import migrations

# The columns an issued invoice keeps for ever. Status and paid_on move once (issued -> paid or
# cancelled); updated_at and created_by (SET NULL when a person is deleted) may change.
FROZEN = (
    "kind",
    "issuer_id",
    "recipient_id",
    "sequence_number",
    "number",
    "issue_date",
    "due_date",
    "notes",
    "cancels_id",
    "reason",
    "source",
    "issuer_details",
    "recipient_details",
    "total_excl_vat_cents",
    "vat_cents",
    "total_incl_vat_cents",
    "created_at",
)

POSTGRES = [
    f"""
CREATE OR REPLACE FUNCTION invoicing_invoice_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'an issued invoice is never deleted: invoice % refused', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        ({", ".join(f"NEW.{c}" for c in FROZEN)}) IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in FROZEN)})
        OR NEW.status = 'draft'
        OR (OLD.status <> 'issued' AND (NEW.status, NEW.paid_on) IS DISTINCT FROM (OLD.status, OLD.paid_on))
    ) THEN
        RAISE EXCEPTION 'an issued invoice is never changed, only paid or cancelled: invoice % refused', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE OR REPLACE FUNCTION invoicing_line_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF EXISTS (SELECT 1 FROM invoicing_invoice WHERE id = OLD.invoice_id AND status <> 'draft') THEN
            RAISE EXCEPTION 'the lines of an issued invoice are never changed: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF EXISTS (SELECT 1 FROM invoicing_invoice WHERE id = NEW.invoice_id AND status <> 'draft') THEN
            RAISE EXCEPTION 'the lines of an issued invoice are never changed: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE OR REPLACE FUNCTION invoicing_counter_steps() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.last_number <> OLD.last_number + 1
            OR NEW.issuer_id IS DISTINCT FROM OLD.issuer_id THEN
        RAISE EXCEPTION 'an invoice counter only moves one step up: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    "CREATE TRIGGER invoicing_invoice_frozen BEFORE UPDATE OR DELETE ON invoicing_invoice "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_frozen()",
    "CREATE TRIGGER invoicing_line_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoiceline "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_line_frozen()",
    "CREATE TRIGGER invoicing_counter_steps BEFORE UPDATE OR DELETE ON invoicing_invoicecounter "
    "FOR EACH ROW EXECUTE FUNCTION invoicing_counter_steps()",
]

_ISSUED = "(SELECT status FROM invoicing_invoice WHERE id = {row}.invoice_id) <> 'draft'"
SQLITE = [
    "CREATE TRIGGER invoicing_invoice_no_delete BEFORE DELETE ON invoicing_invoice WHEN OLD.status <> 'draft' "
    "BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END",
    "CREATE TRIGGER invoicing_invoice_frozen BEFORE UPDATE ON invoicing_invoice WHEN OLD.status <> 'draft' AND ("
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    + " OR NEW.status = 'draft'"
    + " OR (OLD.status <> 'issued' AND (NEW.status IS NOT OLD.status OR NEW.paid_on IS NOT OLD.paid_on))) "
    "BEGIN SELECT RAISE(ABORT, 'an issued invoice is never changed, only paid or cancelled'); END",
    f"CREATE TRIGGER invoicing_line_no_insert BEFORE INSERT ON invoicing_invoiceline WHEN {_ISSUED.format(row='NEW')} "
    "BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are never changed: INSERT refused'); END",
    "CREATE TRIGGER invoicing_line_no_update BEFORE UPDATE ON invoicing_invoiceline "
    f"WHEN {_ISSUED.format(row='OLD')} OR {_ISSUED.format(row='NEW')} "
    "BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are never changed: UPDATE refused'); END",
    f"CREATE TRIGGER invoicing_line_no_delete BEFORE DELETE ON invoicing_invoiceline WHEN {_ISSUED.format(row='OLD')} "
    "BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are never changed: DELETE refused'); END",
    "CREATE TRIGGER invoicing_counter_steps BEFORE UPDATE ON invoicing_invoicecounter "
    "WHEN NEW.last_number <> OLD.last_number + 1 OR NEW.issuer_id IS NOT OLD.issuer_id "
    "BEGIN SELECT RAISE(ABORT, 'an invoice counter only moves one step up'); END",
    "CREATE TRIGGER invoicing_counter_no_delete BEFORE DELETE ON invoicing_invoicecounter "
    "BEGIN SELECT RAISE(ABORT, 'an invoice counter is never deleted'); END",
]

SQLITE_TRIGGERS = (
    "invoicing_invoice_no_delete",
    "invoicing_invoice_frozen",
    "invoicing_line_no_insert",
    "invoicing_line_no_update",
    "invoicing_line_no_delete",
    "invoicing_counter_steps",
    "invoicing_counter_no_delete",
)
POSTGRES_TRIGGERS = (
    ("invoicing_invoice_frozen", "invoicing_invoice"),
    ("invoicing_line_frozen", "invoicing_invoiceline"),
    ("invoicing_counter_steps", "invoicing_invoicecounter"),
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES:
            # params=None: the bodies' '%' are RAISE placeholders, not psycopg's.
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    else:  # pragma: no cover - Cordée supports these two databases only
        raise RuntimeError(f"no invoicing triggers for {vendor}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for trigger, table in POSTGRES_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
    else:
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
