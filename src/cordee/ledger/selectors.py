"""Reads on the ledger: accounts, statements, the journal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from cordee.core import permissions
from cordee.ledger.models import Account, Entry, Transfer

STATEMENT_PAGE = 50


@dataclass(frozen=True)
class StatementPage:
    account: Account
    entries: list[Entry]
    before: int | None  # pass as `before` to get the older page; None when this is the oldest


def statement(account: Account, *, before: int | None = None, size: int = STATEMENT_PAGE) -> StatementPage:
    """The account's entries, newest first, with the balance after each.

    Keyset pagination on (account, sequence), the entry table's unique index: the page costs the
    same on the millionth entry as on the first, unlike OFFSET.
    """
    queryset = Entry.objects.filter(account=account)
    if before is not None:
        queryset = queryset.filter(sequence__lt=before)
    rows = list(
        queryset.select_related("transfer", "transfer__debit_account", "transfer__credit_account").order_by(
            "-sequence"
        )[: size + 1]
    )
    older = rows[size].sequence + 1 if len(rows) > size else None
    return StatementPage(account=account, entries=rows[:size], before=older)


def journal(*, ledger: str = "EUR", before: int | None = None, size: int = STATEMENT_PAGE) -> list[Transfer]:
    """The ledger's transfers, newest first (keyset pagination on the sequence)."""
    queryset = Transfer.objects.filter(ledger__code=ledger)
    if before is not None:
        queryset = queryset.filter(sequence__lt=before)
    return list(queryset.select_related("debit_account", "credit_account", "pending").order_by("-sequence")[:size])


def accounts(*, ledger: str | None = None, owner_ids: set[int] | None = None) -> QuerySet[Account]:
    queryset = Account.objects.select_related("ledger", "owner")
    if ledger:
        queryset = queryset.filter(ledger__code=ledger)
    if owner_ids is not None:
        queryset = queryset.filter(owner_id__in=owner_ids)
    return queryset.order_by("ledger__code", "number")


def balance_on(accounts: QuerySet[Account], on: dt.date) -> int:
    """Posted debits minus posted credits of the accounts at the end of `on`, by value date.

    Their balances now, less the entries whose value date is after `on` (none, or few, for a day
    near today): it costs the same whatever the size of the books, where summing every entry up to
    `on` reads them all."""
    now = accounts.aggregate(debits=Sum("debits_posted"), credits=Sum("credits_posted"))
    # From the transfers dated after `on` (by their index) to their entries: the other way round,
    # a database reads every entry of the accounts to find the few it needs.
    after = Transfer.objects.filter(value_date__gt=on).values("pk")
    later = Entry.objects.filter(transfer__in=after, account__in=accounts).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (now["debits"] or 0) - (now["credits"] or 0) - (later["debit"] or 0) + (later["credit"] or 0)


def get_account_for_user(user: Any, pk: int) -> Account:
    """The account if this user may see it; 404 otherwise (its existence is not revealed)."""
    account = Account.objects.select_related("ledger", "owner").filter(pk=pk).first()
    if account is None or not permissions.can_view_account(user, account.owner_id):
        raise Http404
    return account
