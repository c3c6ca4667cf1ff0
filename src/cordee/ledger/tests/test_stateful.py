"""Random sequences of postings, checked step by step against a reference model written here.

The model keeps its own balances and applies the rules as the issue states them, one transfer after
the other (a failed chain puts back a copy of the books), with no locks and no database: after
every step each account's four balances and every result code must agree with it, and `verify()`
must find the ledger sound.

Each example opens fresh accounts inside a savepoint that its teardown rolls back: the ledger is
append-only, so an example cannot delete what the one before it wrote, but it can unwrite it.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
import uuid
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from cordee.ledger.codes import Result
from cordee.ledger.models import Account
from cordee.ledger.posting import TransferSpec, pending_expire, transfers_create
from cordee.ledger.services import account_open
from cordee.ledger.verify import verify

START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
NO_OVERDRAFT = "debits_must_not_exceed_credits"
NO_OVERPAY = "credits_must_not_exceed_debits"
LIMITS = [None, None, NO_OVERDRAFT, NO_OVERDRAFT, NO_OVERPAY]
_examples = itertools.count(1)


# --- The reference model ----------------------------------------------------------------------


@dataclasses.dataclass
class Written:
    spec: TransferSpec  # as it was sent
    kind: str  # "posted", "pending", "post", "void"
    debit: int
    credit: int
    amount: int
    alone: bool  # not a member of a linked chain


@dataclasses.dataclass
class Reservation:
    debit: int
    credit: int
    amount: int
    expires_at: dt.datetime | None
    state: str = "open"  # "open", "posted", "voided", "expired"


@dataclasses.dataclass
class Books:
    balances: dict[int, list[int]]  # account -> [debits pending, debits posted, credits pending, credits posted]
    written: dict[uuid.UUID, Written] = dataclasses.field(default_factory=dict)
    reservations: dict[uuid.UUID, Reservation] = dataclasses.field(default_factory=dict)


class Reference:
    """The rules of the issue, applied one transfer after the other."""

    def __init__(self, limits: dict[int, str | None]) -> None:
        self.limits = limits
        self.books = Books(balances={pk: [0, 0, 0, 0] for pk in limits})

    def batch(self, specs: list[TransferSpec], now: dt.datetime) -> list[Result]:
        groups: list[list[TransferSpec]] = [[]]
        for spec in specs:
            groups[-1].append(spec)
            if not spec.linked:
                groups.append([])
        *closed, still_open = groups
        results: list[Result] = []
        for group in closed:
            saved = copy.deepcopy(self.books)
            outcome: list[Result] = []
            for spec in group:
                outcome.append(self.one(spec, now, alone=len(group) == 1))
                if outcome[-1] not in (Result.OK, Result.EXISTS):
                    break
            if len(outcome) < len(group) or outcome[-1] not in (Result.OK, Result.EXISTS):
                self.books = saved
                failed = len(outcome) - 1
                outcome = [outcome[failed] if i == failed else Result.LINKED_EVENT_FAILED for i in range(len(group))]
            results += outcome
        return results + [Result.LINKED_EVENT_CHAIN_OPEN] * len(still_open)

    def one(self, spec: TransferSpec, now: dt.datetime, *, alone: bool) -> Result:
        books = self.books
        if spec.id in books.written:
            assert books.written[spec.id].spec == spec, "the machine resends only identical transfers here"
            return Result.EXISTS
        if spec.timeout and not spec.pending:
            return Result.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER
        if spec.post_pending or spec.void_pending:
            return self.settle(spec, now, alone=alone)
        assert spec.debit_account_id is not None and spec.credit_account_id is not None
        debit, credit, amount = spec.debit_account_id, spec.credit_account_id, spec.amount
        if amount == 0:
            return Result.AMOUNT_MUST_NOT_BE_ZERO
        if debit == credit:
            return Result.ACCOUNTS_MUST_BE_DIFFERENT
        d, c = books.balances[debit], books.balances[credit]
        if self.limits[debit] == NO_OVERDRAFT and d[0] + d[1] + amount > d[3]:
            return Result.EXCEEDS_CREDITS
        if self.limits[credit] == NO_OVERPAY and c[2] + c[3] + amount > c[1]:
            return Result.EXCEEDS_DEBITS
        if spec.pending:
            d[0] += amount
            c[2] += amount
            expires_at = now + dt.timedelta(seconds=spec.timeout) if spec.timeout else None
            books.reservations[spec.id] = Reservation(debit, credit, amount, expires_at)
        else:
            d[1] += amount
            c[3] += amount
        kind = "pending" if spec.pending else "posted"
        books.written[spec.id] = Written(spec, kind, debit, credit, amount, alone)
        return Result.OK

    def settle(self, spec: TransferSpec, now: dt.datetime, *, alone: bool) -> Result:
        books = self.books
        assert spec.pending_id is not None
        target = books.written.get(spec.pending_id)
        if target is None:
            return Result.PENDING_TRANSFER_NOT_FOUND
        if target.kind != "pending":
            return Result.PENDING_TRANSFER_NOT_PENDING
        reservation = books.reservations[spec.pending_id]
        if reservation.state == "posted":
            return Result.PENDING_TRANSFER_ALREADY_POSTED
        if reservation.state == "voided":
            return Result.PENDING_TRANSFER_ALREADY_VOIDED
        if reservation.state == "expired" or (reservation.expires_at is not None and reservation.expires_at <= now):
            return Result.PENDING_TRANSFER_EXPIRED
        amount = spec.amount or reservation.amount
        if spec.post_pending and amount > reservation.amount:
            return Result.EXCEEDS_PENDING_TRANSFER_AMOUNT
        if spec.void_pending and amount != reservation.amount:
            return Result.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT
        self.release(reservation)
        if spec.post_pending:
            books.balances[reservation.debit][1] += amount
            books.balances[reservation.credit][3] += amount
        reservation.state = "posted" if spec.post_pending else "voided"
        kind = "post" if spec.post_pending else "void"
        books.written[spec.id] = Written(spec, kind, reservation.debit, reservation.credit, amount, alone)
        return Result.OK

    def release(self, reservation: Reservation) -> None:
        self.books.balances[reservation.debit][0] -= reservation.amount
        self.books.balances[reservation.credit][2] -= reservation.amount

    def expire(self, now: dt.datetime) -> int:
        due = [
            r
            for r in self.books.reservations.values()
            if r.state == "open" and r.expires_at is not None and r.expires_at <= now
        ]
        for reservation in due:
            self.release(reservation)
            reservation.state = "expired"
        return len(due)


# --- A retry that differs in one field, and the code that names it ----------------------------

CHANGES = ["flags", "pending_id", "timeout", "debit", "credit", "amount", "ledger", "code", "label"]
CHANGES += ["reference", "journal", "piece", "value_date"]


def changed(written: Written, change: str, other_account: int) -> tuple[TransferSpec, Result]:
    spec = written.spec
    if change == "flags":
        flipped = {
            "posted": {"pending": True},
            "pending": {"pending": False, "timeout": 0},
            "post": {"post_pending": False, "void_pending": True},
            "void": {"post_pending": True, "void_pending": False},
        }[written.kind]
        return dataclasses.replace(spec, **flipped), Result.EXISTS_WITH_DIFFERENT_FLAGS
    if change == "pending_id":
        return dataclasses.replace(spec, pending_id=uuid.uuid4()), Result.EXISTS_WITH_DIFFERENT_PENDING_ID
    if change == "timeout":
        return dataclasses.replace(spec, timeout=spec.timeout + 60), Result.EXISTS_WITH_DIFFERENT_TIMEOUT
    if change == "debit":
        return dataclasses.replace(spec, debit_account_id=other_account), Result.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT
    if change == "credit":
        return dataclasses.replace(spec, credit_account_id=other_account), Result.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT
    if change == "amount":
        return dataclasses.replace(spec, amount=written.amount + 1), Result.EXISTS_WITH_DIFFERENT_AMOUNT
    if change == "ledger":
        return dataclasses.replace(spec, ledger="HOURS"), Result.EXISTS_WITH_DIFFERENT_LEDGER
    if change == "value_date":
        return dataclasses.replace(spec, value_date=dt.date(1999, 12, 31)), Result.EXISTS_WITH_DIFFERENT_VALUE_DATE
    return dataclasses.replace(spec, **{change: getattr(spec, change) + "*"}), Result(f"exists_with_different_{change}")


# --- The machine ------------------------------------------------------------------------------

texts = st.sampled_from(["", "Avance", "Cotisation", "Remboursement"])
rarely = st.sampled_from([False] * 14 + [True])  # shrinks towards False, the ordinary case


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        example = next(_examples)
        self.accounts: list[Account] = [
            account_open(
                ledger="EUR",
                number=f"S{example}-{index}",
                label=f"Compte {index}",
                **({limit: True} if limit else {}),
            )
            for index, limit in enumerate(LIMITS)
        ]
        self.model = Reference({a.pk: limit for a, limit in zip(self.accounts, LIMITS, strict=True)})
        self.now = START
        self.refused: list[TransferSpec] = []
        self.chains: list[list[TransferSpec]] = []

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # What is sent, and what must come back.

    def submit(self, specs: list[TransferSpec]) -> list[Result]:
        expected = self.model.batch(specs, self.now)
        assert transfers_create(specs, now=self.now) == expected
        self.refused += [s for s, r in zip(specs, expected, strict=True) if not r.succeeded and not s.linked]
        return expected

    def pendings(self) -> list[uuid.UUID]:
        return [pk for pk, w in self.model.books.written.items() if w.kind == "pending"]

    def alone(self) -> list[Written]:
        return [w for w in self.model.books.written.values() if w.alone]

    def draw_amount(self, data: Any, debit: Account, credit: Account) -> int:
        """Any amount, or one exactly at (or one cent past) the limit of a limited account."""
        balances, limits = self.model.books.balances, self.model.limits
        room = []
        if limits[debit.pk] == NO_OVERDRAFT:
            dp, dpo, _, cpo = balances[debit.pk]
            room.append(cpo - dp - dpo)
        if limits[credit.pk] == NO_OVERPAY:
            _, dpo, cp, cpo = balances[credit.pk]
            room.append(dpo - cp - cpo)
        choice = data.draw(st.sampled_from(["any"] * 9 + ["at_limit", "at_limit", "past_limit", "zero"]))
        if choice == "zero":
            return 0
        if choice == "at_limit" and room and min(room) > 0:
            return min(room)
        if choice == "past_limit" and room and min(room) >= 0:
            return min(room) + 1
        return data.draw(st.integers(1, 2500))

    def draw_new(self, data: Any, *, linked: bool = False) -> TransferSpec:
        """Mostly a transfer that may pass (the limits decide), now and then a malformed one."""
        debit = data.draw(st.sampled_from(self.accounts))
        others = [a for a in self.accounts if a != debit]
        credit = debit if data.draw(rarely) else data.draw(st.sampled_from(others))
        pending = data.draw(st.booleans())
        return TransferSpec(
            id=uuid.uuid4(),
            ledger="EUR",
            amount=self.draw_amount(data, debit, credit),
            debit_account_id=debit.pk,
            credit_account_id=credit.pk,
            pending=pending,
            timeout=data.draw(st.sampled_from([0, 60, 3600])) if pending or data.draw(rarely) else 0,
            linked=linked,
            code=data.draw(st.sampled_from(["", "advance", "fee"])),
            label=data.draw(texts),
            reference=data.draw(st.sampled_from(["", "invoice:1"])),
            journal=data.draw(st.sampled_from(["", "BQ"])),
            piece=data.draw(st.sampled_from(["", "7"])),
        )

    def draw_settlement(self, data: Any, targets: list[uuid.UUID], *, linked: bool = False) -> TransferSpec:
        target = data.draw(st.sampled_from(targets))
        written = self.model.books.written.get(target)
        reserved = written.amount if written else 100
        action = data.draw(st.sampled_from(["post_whole", "post_part", "void"] * 3 + ["post_too_much", "void_wrong"]))
        amount = {
            "post_whole": 0,
            "post_part": data.draw(st.integers(1, reserved)),
            "post_too_much": reserved + 1,
            "void": data.draw(st.sampled_from([0, reserved])),
            "void_wrong": reserved - 1 or reserved + 1,
        }[action]
        return TransferSpec(
            id=uuid.uuid4(),
            ledger="EUR",
            amount=amount,
            post_pending=action.startswith("post"),
            void_pending=action.startswith("void"),
            pending_id=target,
            linked=linked,
            label=data.draw(texts),
        )

    def targets(self, sent: list[TransferSpec]) -> list[uuid.UUID]:
        """Open pendings first, resolved ones, pendings sent earlier in this batch, and now and then
        a posted transfer or a refused pending (not pending, not found)."""
        reservations = self.model.books.reservations
        pendings = self.pendings()
        still_open = [pk for pk in pendings if reservations[pk].state == "open"]
        posted = [pk for pk, w in self.model.books.written.items() if w.kind == "posted"][-1:]
        never = [s.id for s in self.refused if s.pending][-1:]
        return still_open * 4 + pendings + [s.id for s in sent if s.pending] * 4 + posted + never

    def draw_chain(self, data: Any, sent: list[TransferSpec], *, last: bool = True) -> list[TransferSpec]:
        """Two to four linked transfers, a member failing now and then; rarely left open at the end
        of the batch (a chain left open earlier would run on into the next transfers)."""
        length, left_open = data.draw(st.integers(2, 4)), last and data.draw(rarely)
        chain: list[TransferSpec] = []
        for index in range(length):
            linked = left_open or index < length - 1
            targets = self.targets(sent + chain)
            kind = data.draw(st.sampled_from(["new", "settle"] * 5 + ["fail"] if targets else ["new"] * 5 + ["fail"]))
            if kind == "settle":
                chain.append(self.draw_settlement(data, targets, linked=linked))
            elif kind == "fail":
                account = data.draw(st.sampled_from(self.accounts)).pk
                spec = self.draw_new(data, linked=linked)
                chain.append(dataclasses.replace(spec, debit_account_id=account, credit_account_id=account))
            else:
                chain.append(self.draw_new(data, linked=linked))
        return chain

    def submit_groups(self, groups: list[list[TransferSpec]]) -> None:
        results = iter(self.submit([spec for group in groups for spec in group]))
        for group in groups:
            outcome = [next(results) for _ in group]
            if len(group) > 1 and all(r == Result.OK for r in outcome):
                self.chains.append(group)

    # Rules.

    @rule(data=st.data())
    def post_one(self, data: Any) -> None:
        self.submit([self.draw_new(data)])

    @precondition(lambda self: self.pendings())
    @rule(data=st.data())
    def settle_one(self, data: Any) -> None:
        self.submit([self.draw_settlement(data, self.targets([]))])

    @rule(seconds=st.sampled_from([1, 59, 60, 61, 600, 3599, 3600, 3601, 7200]), run_expiry=st.sampled_from([0, 0, 1]))
    def time_passes(self, seconds: int, run_expiry: int) -> None:
        self.now += dt.timedelta(seconds=seconds)
        if run_expiry:
            assert pending_expire(now=self.now) == self.model.expire(self.now)
            assert pending_expire(now=self.now) == 0

    @rule(data=st.data())
    def linked_chain(self, data: Any) -> None:
        self.submit_groups([self.draw_chain(data, [])])

    @rule(data=st.data(), kinds=st.lists(st.sampled_from(["new", "settle", "chain"]), min_size=2, max_size=4))
    def several_in_one_batch(self, data: Any, kinds: list[str]) -> None:
        groups: list[list[TransferSpec]] = []
        for index, kind in enumerate(kinds):
            sent = [spec for group in groups for spec in group]
            targets = self.targets(sent)
            if kind == "settle" and targets:
                groups.append([self.draw_settlement(data, targets)])
            elif kind == "chain":
                groups.append(self.draw_chain(data, sent, last=index == len(kinds) - 1))
            else:
                groups.append([self.draw_new(data)])
        self.submit_groups(groups)

    @precondition(lambda self: self.alone())
    @rule(data=st.data())
    def retry_the_same(self, data: Any) -> None:
        written = data.draw(st.sampled_from(self.alone()))
        assert self.submit([written.spec]) == [Result.EXISTS]

    @precondition(lambda self: self.alone())
    @rule(data=st.data(), change=st.sampled_from(CHANGES))
    def retry_with_one_field_changed(self, data: Any, change: str) -> None:
        written = data.draw(st.sampled_from(self.alone()))
        side = written.debit if change == "debit" else written.credit
        other = data.draw(st.sampled_from([a.pk for a in self.accounts if a.pk != side]))
        spec, expected = changed(written, change, other)
        assert transfers_create([spec], now=self.now) == [expected]

    @precondition(lambda self: self.chains)
    @rule(data=st.data())
    def retry_a_chain(self, data: Any) -> None:
        chain = data.draw(st.sampled_from(self.chains))
        assert self.submit(chain) == [Result.EXISTS] * len(chain)

    @precondition(lambda self: self.refused)
    @rule(data=st.data())
    def resend_a_refused_transfer(self, data: Any) -> None:
        self.submit([data.draw(st.sampled_from(self.refused))])

    # After every step.

    @invariant()
    def balances_agree_with_the_model(self) -> None:
        stored = {
            pk: [dp, dpo, cp, cpo]
            for pk, dp, dpo, cp, cpo in Account.objects.filter(pk__in=self.model.books.balances).values_list(
                "pk", "debits_pending", "debits_posted", "credits_pending", "credits_posted"
            )
        }
        assert stored == self.model.books.balances

    @invariant()
    def the_ledger_verifies(self) -> None:
        report = verify()
        assert report.ok, report.violations


def test_random_postings_agree_with_the_reference_model(db: Any) -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
