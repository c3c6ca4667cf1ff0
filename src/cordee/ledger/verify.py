"""`cordee verify_ledger`: every invariant of the ledger, recomputed from the transfers.

It trusts nothing that is stored as a summary: balances are summed again from the transfers, each
account's hash chain is recomputed link by link, every entry is checked against its transfer and its
account's running balance. It reads in chunks, so it works on millions of transfers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cordee.ledger.models import GENESIS, Account, Entry, Ledger, Transfer
from cordee.ledger.posting import transfer_hash

CHUNK = 5000


@dataclass
class Report:
    transfers: int = 0
    entries: int = 0
    accounts: int = 0
    ledgers: int = 0
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def add(self, message: str) -> None:
        self.violations.append(message)


@dataclass
class _Sums:
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0


def verify(progress: Callable[[Iterable[Transfer], int], Iterable[Transfer]] | None = None) -> Report:
    report = Report()
    sums: dict[int, _Sums] = defaultdict(_Sums)
    pendings: dict[object, tuple[int, int, int]] = {}  # id -> (amount, debit, credit)
    resolutions: dict[object, list[tuple[str, int]]] = defaultdict(list)
    chains: dict[object, list[tuple[object, int]]] = defaultdict(list)  # chain -> [(written at, length)]
    heads: dict[int, str] = defaultdict(lambda: GENESIS)  # account -> hash of its last transfer
    posted_amounts: dict[object, int] = {}
    ledgers = {ledger.pk: ledger for ledger in Ledger.objects.all()}
    report.ledgers = len(ledgers)
    accounts = {account.pk: account for account in Account.objects.select_related("ledger")}
    report.accounts = len(accounts)

    for ledger in ledgers.values():
        queryset = Transfer.objects.filter(ledger=ledger).order_by("sequence")
        total = queryset.count()
        rows: Iterable[Transfer] = queryset.iterator(chunk_size=CHUNK)
        if progress:
            rows = progress(rows, total)
        for transfer in rows:
            report.transfers += 1
            where = f"ledger {ledger.code}, transfer #{transfer.sequence} ({transfer.id})"
            for side, account_id, prev_hash in (
                ("debit", transfer.debit_account_id, transfer.debit_prev_hash),
                ("credit", transfer.credit_account_id, transfer.credit_prev_hash),
            ):
                if prev_hash != heads[account_id]:
                    report.add(
                        f"{where}: its previous hash on its {side} account does not match that account's "
                        "transfer before it (a transfer was removed, added or altered)"
                    )
            if transfer_hash(transfer) != transfer.hash:
                report.add(f"{where}: its hash does not match its content (the row was altered)")
            heads[transfer.debit_account_id] = heads[transfer.credit_account_id] = transfer.hash
            if transfer.amount <= 0:
                report.add(f"{where}: amount {transfer.amount} is not positive")
            if transfer.debit_account_id == transfer.credit_account_id:
                report.add(f"{where}: debit and credit accounts are the same")
            for account_id in (transfer.debit_account_id, transfer.credit_account_id):
                account = accounts.get(account_id)
                if account is None or account.ledger_id != ledger.pk:
                    report.add(f"{where}: account {account_id} is not an account of ledger {ledger.code}")
            if transfer.chain:
                chains[transfer.chain].append((transfer.created_at, transfer.chain_length))
            debit, credit = sums[transfer.debit_account_id], sums[transfer.credit_account_id]
            if transfer.kind == Transfer.Kind.POSTED:
                debit.debits_posted += transfer.amount
                credit.credits_posted += transfer.amount
                posted_amounts[transfer.id] = transfer.amount
            elif transfer.kind == Transfer.Kind.PENDING:
                debit.debits_pending += transfer.amount
                credit.credits_pending += transfer.amount
                pendings[transfer.id] = (transfer.amount, transfer.debit_account_id, transfer.credit_account_id)
            else:
                resolutions[transfer.pending_id].append((transfer.kind, transfer.amount))
                pending = pendings.get(transfer.pending_id)
                if pending is None:
                    report.add(f"{where}: resolves {transfer.pending_id}, which is not an earlier pending transfer")
                    continue
                amount, debit_id, credit_id = pending
                if (debit_id, credit_id) != (transfer.debit_account_id, transfer.credit_account_id):
                    report.add(f"{where}: its accounts differ from those of its pending transfer")
                sums[debit_id].debits_pending -= amount
                sums[credit_id].credits_pending -= amount
                if transfer.kind == Transfer.Kind.POST_PENDING:
                    if transfer.amount > amount:
                        report.add(f"{where}: posts {transfer.amount}, more than the {amount} pending")
                    debit.debits_posted += transfer.amount
                    credit.credits_posted += transfer.amount
                    posted_amounts[transfer.id] = transfer.amount
                elif transfer.amount != amount:
                    report.add(f"{where}: releases {transfer.amount} of a pending transfer of {amount}")

    for pending_id, resolved in resolutions.items():
        if len(resolved) > 1:
            report.add(f"pending transfer {pending_id} is resolved {len(resolved)} times")
    for chain, members in chains.items():
        length = members[0][1]
        if len(members) != length or any(m[1] != length for m in members):
            report.add(f"linked chain {chain}: {len(members)} transfers of the {length} it was written with")
        elif len({written for written, _ in members}) > 1:
            report.add(f"linked chain {chain}: its transfers were not written by one batch")

    for account in accounts.values():
        expected = sums.get(account.pk, _Sums())
        stored = (account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted)
        computed = (expected.debits_pending, expected.debits_posted, expected.credits_pending, expected.credits_posted)
        if stored != computed:
            report.add(
                f"account {account.number} ({account.ledger.code}): stored balances {stored} "
                f"but the transfers give {computed} (debits pending, debits posted, credits pending, credits posted)"
            )
        if account.last_hash != heads[account.pk]:
            report.add(
                f"account {account.number} ({account.ledger.code}): its recorded chain head does not match "
                "the hash of its last transfer"
            )
        if account.debits_must_not_exceed_credits and computed[0] + computed[1] > computed[3]:
            report.add(f"account {account.number}: its debits exceed its credits, against its limit")
        if account.credits_must_not_exceed_debits and computed[2] + computed[3] > computed[1]:
            report.add(f"account {account.number}: its credits exceed its debits, against its limit")

    for ledger in ledgers.values():
        debits = sum(sums[a].debits_posted for a in accounts if accounts[a].ledger_id == ledger.pk)
        credits = sum(sums[a].credits_posted for a in accounts if accounts[a].ledger_id == ledger.pk)
        if debits != credits:
            report.add(f"ledger {ledger.code}: posted debits {debits} differ from posted credits {credits}")

    _verify_entries(report, accounts, posted_amounts)
    return report


def _verify_entries(report: Report, accounts: dict[int, Account], posted_amounts: dict[object, int]) -> None:
    running: dict[int, int] = defaultdict(int)
    seen: dict[object, int] = defaultdict(int)
    rows = Entry.objects.order_by("account_id", "sequence").values_list(
        "account_id", "transfer_id", "sequence", "debit", "credit", "balance_after"
    )
    for account_id, transfer_id, sequence, debit, credit, balance_after in rows.iterator(chunk_size=CHUNK):
        report.entries += 1
        running[account_id] += debit - credit
        seen[transfer_id] += 1
        if running[account_id] != balance_after:
            number = accounts[account_id].number if account_id in accounts else account_id
            report.add(
                f"account {number}, entry #{sequence}: balance after is {balance_after}, "
                f"the entries before it give {running[account_id]}"
            )
        if transfer_id not in posted_amounts or posted_amounts[transfer_id] != debit + credit:
            report.add(f"entry of account {account_id} #{sequence} does not match a posted transfer's amount")
    for posted_id in posted_amounts:
        if seen.get(posted_id, 0) != 2:
            report.add(f"posted transfer {posted_id} has {seen.get(posted_id, 0)} entries instead of 2")
    for account_id, account in accounts.items():
        if running.get(account_id, 0) != account.debits_posted - account.credits_posted:
            report.add(f"account {account.number}: its entries do not add up to its posted balance")
