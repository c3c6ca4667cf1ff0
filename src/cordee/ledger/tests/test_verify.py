"""`cordee verify_ledger`: silent and 0 on a sound ledger; 1 and each violation named once someone
has gone behind the application's back. The tampering happens inside the test's transaction, so
the triggers it lifts come back when the test ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Entry, Ledger, Transfer
from cordee.ledger.posting import TransferSpec, transfer_hash, transfers_create
from cordee.ledger.services import account_open

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclasses.dataclass
class Story:
    a: Account
    b: Account
    c: Account
    limited: Account  # debits must not exceed credits
    first: uuid.UUID  # a → b 1000, sequence 1
    second: uuid.UUID  # b → c 300, sequence 2
    pending: uuid.UUID  # a → c 500 pending, sequence 3, posted 200 at sequence 4
    chain: tuple[uuid.UUID, uuid.UUID]  # a → b 10 and b → a 5, sequences 5 and 6
    funding: uuid.UUID  # c → limited 100, sequence 7; then one HOURS transfer


def spec(debit: Account | None, credit: Account | None, amount: int, **fields: Any) -> TransferSpec:
    return TransferSpec(
        id=fields.pop("id", uuid.uuid4()),
        ledger=fields.pop("ledger", "EUR"),
        amount=amount,
        debit_account_id=debit.pk if debit else None,
        credit_account_id=credit.pk if credit else None,
        **fields,
    )


@pytest.fixture
def story(db: Any) -> Story:
    a = account_open(ledger="EUR", number="512000", label="Banque")
    b = account_open(ledger="EUR", number="411000", label="Membres")
    c = account_open(ledger="EUR", number="706000", label="Prestations")
    limited = account_open(ledger="EUR", number="455100", label="Apports", debits_must_not_exceed_credits=True)
    hours = account_open(ledger="HOURS", number="H1", label="Heures A")
    hours_b = account_open(ledger="HOURS", number="H2", label="Heures B")
    first, second, pending = spec(a, b, 1000), spec(b, c, 300), spec(a, c, 500, pending=True)
    chain = (spec(a, b, 10, linked=True), spec(b, a, 5))
    funding = spec(c, limited, 100)
    batch = [
        first,
        second,
        pending,
        spec(None, None, 200, post_pending=True, pending_id=pending.id),
        *chain,
        funding,
        spec(hours, hours_b, 60, ledger="HOURS"),
    ]
    assert transfers_create(batch, now=NOW) == [Result.OK] * len(batch)
    return Story(a, b, c, limited, first.id, second.id, pending.id, (chain[0].id, chain[1].id), funding.id)


def verify_ledger() -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `cordee verify_ledger`."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def violations(err: str) -> list[str]:
    return [line.removeprefix("VIOLATION: ") for line in err.splitlines() if line.startswith("VIOLATION: ")]


def lift_append_only(table: str) -> None:
    """Behind the application's back: what someone with the database's password could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred check: run the foreign-key checks of the story first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        else:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")


def raw(sql: str, *params: Any) -> None:
    """Raw SQL; UUIDs are stored as 32 hex digits on SQLite, natively on PostgreSQL."""
    native = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(sql, [p.hex if isinstance(p, uuid.UUID) and not native else p for p in params])


def remove(transfer_id: uuid.UUID) -> None:
    lift_append_only("ledger_entry")
    lift_append_only("ledger_transfer")
    raw("DELETE FROM ledger_entry WHERE transfer_id = %s", transfer_id)
    raw("DELETE FROM ledger_transfer WHERE id = %s", transfer_id)


def forge(ledger_code: str = "EUR", **fields: Any) -> Transfer:
    """Append a transfer the way posting writes one, with its hash chained, but none of its rules.
    Nothing stops an INSERT: the triggers refuse changes, the hash chain and verify find forgeries."""
    debit = Account.objects.get(pk=fields.pop("debit_account").pk)
    credit = Account.objects.get(pk=fields.pop("credit_account").pk)
    transfer = Transfer(
        id=uuid.uuid4(),
        ledger=Ledger.objects.get(code=ledger_code),
        sequence=(Transfer.objects.aggregate(last=Max("sequence"))["last"] or 0) + 1,
        debit_account=debit,
        credit_account=credit,
        debit_prev_hash=debit.last_hash,
        credit_prev_hash=credit.last_hash,
        value_date=NOW.date(),
        created_at=fields.pop("created_at", NOW),
        **fields,
    )
    transfer.hash = transfer_hash(transfer)
    transfer.save(force_insert=True)
    Account.objects.filter(pk__in=[debit.pk, credit.pk]).update(last_hash=transfer.hash)  # no trigger on accounts
    return transfer


def where(transfer_id: uuid.UUID) -> str:
    """How verify names a transfer: its sequence depends on the database (PostgreSQL's sequence is
    not rolled back with each test's transaction)."""
    transfer = Transfer.objects.select_related("ledger").get(id=transfer_id)
    return f"ledger {transfer.ledger.code}, transfer #{transfer.sequence} ({transfer.id})"


# --- A sound ledger ---------------------------------------------------------------------------


def test_a_sound_ledger_exits_0_with_a_summary(story: Story) -> None:
    code, out, err = verify_ledger()

    assert code == 0
    assert "Ledger OK: 2 ledgers, 6 accounts, 8 transfers, 14 entries checked." in out
    assert not violations(err)


def test_an_empty_ledger_is_sound(db: Any) -> None:
    code, out, _ = verify_ledger()

    assert code == 0
    assert "0 transfers, 0 entries checked" in out


# --- Transfers changed or removed -------------------------------------------------------------


def test_an_altered_amount_is_named(story: Story) -> None:
    lift_append_only("ledger_transfer")
    raw("UPDATE ledger_transfer SET amount = amount + 100 WHERE id = %s", story.first)

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    assert f"{where(story.first)}: its hash does not match its content (the row was altered)" in found
    assert (
        "account 512000 (EUR): stored balances (0, 1210, 0, 5) but the transfers give (0, 1310, 0, 5) "
        "(debits pending, debits posted, credits pending, credits posted)"
    ) in found
    assert any(v.startswith("entry of account") and "does not match a posted transfer's amount" in v for v in found)
    assert f"Ledger NOT OK: {len(found)} violations" in err


def test_an_altered_label_is_found_by_the_hash_alone(story: Story) -> None:
    lift_append_only("ledger_transfer")
    raw("UPDATE ledger_transfer SET label = 'Don' WHERE id = %s", story.second)

    code, _, err = verify_ledger()

    assert code == 1
    assert violations(err) == [f"{where(story.second)}: its hash does not match its content (the row was altered)"]


def test_a_rewritten_hash_chain_is_named(story: Story) -> None:
    lift_append_only("ledger_transfer")
    raw("UPDATE ledger_transfer SET credit_prev_hash = %s WHERE id = %s", "f" * 64, story.second)

    code, _, err = verify_ledger()

    assert code == 1
    assert violations(err) == [
        f"{where(story.second)}: its previous hash on its credit account does not match that account's transfer "
        "before it (a transfer was removed, added or altered)",
        f"{where(story.second)}: its hash does not match its content (the row was altered)",
    ]


def test_a_deleted_transfer_is_named(story: Story) -> None:
    remove(story.second)  # b → c: the next transfer of b (the chain's a → b) and of c (the pending) lose a link

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    broken = "does not match that account's transfer before it (a transfer was removed, added or altered)"
    assert f"{where(story.chain[0])}: its previous hash on its credit account {broken}" in found
    assert f"{where(story.pending)}: its previous hash on its credit account {broken}" in found
    assert any(v.startswith("account 706000 (EUR): stored balances") for v in found)


def test_a_deleted_last_transfer_is_found_by_the_accounts_chain_heads(story: Story) -> None:
    hours = Transfer.objects.get(ledger__code="HOURS")
    remove(hours.id)

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    for number in ("H1", "H2"):
        assert (
            f"account {number} (HOURS): its recorded chain head does not match the hash of its last transfer" in found
        )


def test_a_transfer_moved_to_the_other_ledger_breaks_debits_equal_credits(story: Story) -> None:
    hours_account = Account.objects.get(number="H1")
    lift_append_only("ledger_transfer")
    raw("UPDATE ledger_transfer SET credit_account_id = %s WHERE id = %s", hours_account.pk, story.first)

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    assert f"{where(story.first)}: account {hours_account.pk} is not an account of ledger EUR" in found
    assert "ledger EUR: posted debits 1615 differ from posted credits 615" in found
    assert "ledger HOURS: posted debits 60 differ from posted credits 1060" in found


# --- Balances and entries ---------------------------------------------------------------------


def test_a_stored_balance_that_disagrees_with_the_transfers_is_named(story: Story) -> None:
    Account.objects.filter(pk=story.b.pk).update(credits_posted=999)  # no trigger on accounts

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    assert (
        "account 411000 (EUR): stored balances (0, 305, 0, 999) but the transfers give (0, 305, 0, 1010) "
        "(debits pending, debits posted, credits pending, credits posted)"
    ) in found
    assert "account 411000: its entries do not add up to its posted balance" in found


def test_an_altered_balance_after_is_named(story: Story) -> None:
    lift_append_only("ledger_entry")
    second = Transfer.objects.get(id=story.second).sequence  # c's first entry: credited 300
    raw("UPDATE ledger_entry SET balance_after = 0 WHERE account_id = %s AND sequence = %s", story.c.pk, second)

    code, _, err = verify_ledger()

    assert code == 1
    assert f"account 706000, entry #{second}: balance after is 0, the entries before it give -300" in violations(err)


def test_a_missing_entry_is_named(story: Story) -> None:
    lift_append_only("ledger_entry")
    raw("DELETE FROM ledger_entry WHERE transfer_id = %s AND account_id = %s", story.funding, story.c.pk)

    code, _, err = verify_ledger()

    assert code == 1
    found = violations(err)
    assert f"posted transfer {story.funding} has 1 entries instead of 2" in found
    assert "account 706000: its entries do not add up to its posted balance" in found


# --- Limits, pending transfers, linked chains -------------------------------------------------


def test_a_forged_transfer_that_breaks_a_limit_is_named(story: Story) -> None:
    forge(kind=Transfer.Kind.POSTED, debit_account=story.limited, credit_account=story.a, amount=101)

    code, _, err = verify_ledger()

    assert code == 1
    assert "account 455100: its debits exceed its credits, against its limit" in violations(err)


def test_a_forged_resolution_of_a_posted_transfer_is_named(story: Story) -> None:
    # Resolving a pending twice cannot be forged: the one-to-one `pending` column is unique (see
    # test_posting); what a forger can still insert is a resolution of a transfer that was never pending.
    forged = forge(
        kind=Transfer.Kind.VOID_PENDING,
        debit_account=story.a,
        credit_account=story.b,
        amount=1000,
        pending_id=story.first,
    )

    code, _, err = verify_ledger()

    assert code == 1
    assert violations(err) == [f"{where(forged.id)}: resolves {story.first}, which is not an earlier pending transfer"]


def test_a_second_resolution_of_a_pending_is_named(story: Story) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop a column's unique constraint without rebuilding the table")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'ledger_transfer'::regclass AND contype = 'u' "
            "AND conkey = ARRAY[(SELECT attnum FROM pg_attribute "
            "WHERE attrelid = 'ledger_transfer'::regclass AND attname = 'pending_id')]::smallint[]"
        )
        [(constraint,)] = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE ledger_transfer DROP CONSTRAINT {constraint}")
    forge(
        kind=Transfer.Kind.VOID_PENDING,
        debit_account=story.a,
        credit_account=story.c,
        amount=500,
        pending_id=story.pending,
    )

    code, _, err = verify_ledger()

    assert code == 1
    assert f"pending transfer {story.pending} is resolved 2 times" in violations(err)


def test_a_linked_chain_missing_a_member_is_named(story: Story) -> None:
    head, tail = story.chain
    remove(tail)

    code, _, err = verify_ledger()

    assert code == 1
    assert f"linked chain {head}: 1 transfers of the 2 it was written with" in violations(err)


def test_a_forged_chain_written_in_two_batches_is_named(story: Story) -> None:
    chain, later = uuid.uuid4(), NOW + dt.timedelta(minutes=1)
    forge(kind="posted", debit_account=story.a, credit_account=story.b, amount=1, chain=chain, chain_length=2)
    forge(kind="posted", debit_account=story.a, credit_account=story.b, amount=1, created_at=later)
    forge(
        kind="posted",
        debit_account=story.a,
        credit_account=story.b,
        amount=1,
        chain=chain,
        chain_length=2,
        created_at=later,
    )

    code, _, err = verify_ledger()

    assert code == 1
    assert f"linked chain {chain}: its transfers were not written by one batch" in violations(err)


def test_several_violations_are_all_named(story: Story) -> None:
    lift_append_only("ledger_transfer")
    raw("UPDATE ledger_transfer SET label = 'x' WHERE id = %s", story.first)
    raw("UPDATE ledger_transfer SET label = 'y' WHERE id = %s", story.second)

    code, _, err = verify_ledger()

    assert code == 1
    assert len(violations(err)) == 2
    assert "Ledger NOT OK: 2 violations; 2 ledgers, 6 accounts, 8 transfers, 14 entries checked." in err


def test_the_same_tampering_is_refused_while_the_triggers_stand(story: Story) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        raw("UPDATE ledger_transfer SET label = 'Don' WHERE id = %s", story.second)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(transfer_id=story.second).update(balance_after=0)

    assert verify_ledger()[0] == 0
