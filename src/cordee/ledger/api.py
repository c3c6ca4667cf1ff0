"""The ledger's API: post transfers (one or a batch), read accounts and statements."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.ledger import posting, selectors
from cordee.ledger.codes import Result
from cordee.ledger.models import Account

# Session authentication: ninja then enforces the CSRF token on writes, as the pages do.
router = Router(tags=["ledger"], auth=django_auth)


class TransferIn(Schema):
    id: uuid.UUID = Field(description="Chosen by the caller: a retry with the same id is recognised")
    ledger: str = Field("EUR", max_length=10, description="EUR (cents) or HOURS (minutes)")
    amount: int = Field(description="In cents or minutes; 0 on a post or void means the whole pending amount")
    debit_account_id: int | None = None
    credit_account_id: int | None = None
    pending: bool = False
    post_pending: bool = False
    void_pending: bool = False
    linked: bool = Field(False, description="The next transfer of the batch belongs to the same chain")
    pending_id: uuid.UUID | None = None
    timeout: int = Field(0, ge=0, le=2**31 - 1, description="Seconds a pending transfer stays open (0: no limit)")
    code: str = Field("", max_length=40)
    label: str = Field("", max_length=200)
    reference: str = Field("", max_length=100)
    journal: str = Field("", max_length=10)
    piece: str = Field("", max_length=40)
    value_date: dt.date | None = None


class TransferResult(Schema):
    index: int
    id: uuid.UUID
    result: Result


class AccountOut(Schema):
    id: int
    ledger: str
    unit: str
    number: str
    label: str
    owner_id: int | None
    debits_must_not_exceed_credits: bool
    credits_must_not_exceed_debits: bool
    debits_pending: int
    debits_posted: int
    credits_pending: int
    credits_posted: int
    balance: int = Field(description="Posted debits minus posted credits")


class EntryOut(Schema):
    sequence: int
    transfer_id: uuid.UUID
    value_date: dt.date
    label: str
    reference: str
    debit: int
    credit: int
    balance_after: int


class StatementOut(Schema):
    account: AccountOut
    entries: list[EntryOut]
    before: int | None = Field(description="Pass as `before` to get the older page; null on the oldest")


class StatementQuery(Schema):
    before: int | None = Field(None, ge=1, description="Only entries older than this sequence number")
    size: int = Field(selectors.STATEMENT_PAGE, ge=1, le=500)


def _account(account: Account) -> AccountOut:
    return AccountOut(
        id=account.pk,
        ledger=account.ledger.code,
        unit=account.ledger.unit,
        number=account.number,
        label=account.label,
        owner_id=account.owner_id,
        debits_must_not_exceed_credits=account.debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=account.credits_must_not_exceed_debits,
        debits_pending=account.debits_pending,
        debits_posted=account.debits_posted,
        credits_pending=account.credits_pending,
        credits_posted=account.credits_posted,
        balance=account.balance,
    )


@router.post(
    "/ledger/transfers",
    response=list[TransferResult],
    summary="Post one transfer or a batch (at most 10,000), one result per transfer",
)
def post_transfers(request: HttpRequest, transfers: list[TransferIn]) -> list[TransferResult]:
    if not permissions.can_post_transfers(request.user):
        raise HttpError(403, "Only the treasurer may post transfers.")
    if not transfers:
        raise HttpError(422, "The batch is empty.")
    specs = [posting.TransferSpec(**item.dict()) for item in transfers]
    results = posting.transfers_create(specs)
    return [
        TransferResult(index=index, id=spec.id, result=result)
        for index, (spec, result) in enumerate(zip(specs, results, strict=True))
    ]


@router.get("/ledger/accounts", response=list[AccountOut], summary="Accounts with their balances")
def list_accounts(request: HttpRequest) -> list[AccountOut]:
    scope = permissions.account_owner_scope(request.user)
    if scope is not None and not scope:
        raise HttpError(403, "Your account gives access to no ledger account.")
    return [_account(account) for account in selectors.accounts(owner_ids=scope)]


@router.get("/ledger/accounts/{account_id}", response=AccountOut, summary="One account with its balances")
def get_account(request: HttpRequest, account_id: int) -> AccountOut:
    return _account(selectors.get_account_for_user(request.user, account_id))


@router.get(
    "/ledger/accounts/{account_id}/statement",
    response=StatementOut,
    summary="An account's entries, newest first, with the balance after each",
)
def get_statement(request: HttpRequest, account_id: int, query: Query[StatementQuery]) -> StatementOut:
    account = selectors.get_account_for_user(request.user, account_id)
    page = selectors.statement(account, before=query.before, size=query.size)
    return StatementOut(
        account=_account(account),
        entries=[
            EntryOut(
                sequence=entry.sequence,
                transfer_id=entry.transfer_id,
                value_date=entry.transfer.value_date,
                label=entry.transfer.label,
                reference=entry.transfer.reference,
                debit=entry.debit,
                credit=entry.credit,
                balance_after=entry.balance_after,
            )
            for entry in page.entries
        ],
        before=page.before,
    )
