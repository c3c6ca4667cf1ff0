"""How the treasury reaches the ledger.

Accounts (EUR ledger, numbers after the French chart of accounts for associations, ANC 2018-06),
opened on first use with `account_open`; <id> is the organisation's id on six digits:

| account | what it holds | limit |
|---|---|---|
| 512POOL | the pool's bank account | cannot go below zero (credits ≤ debits, pendings included) |
| 102POOL | the hub's own funds put in the pool (hub fund, grants, donations) | |
| 168<id> | what the pool owes a member for its cash deposits | |
| 1034<id> | a member's contributions with a right of return (separate register) | |
| 274<id> | what a member owes the pool for its advances | |
| 2974<id> | the provision for the risk on a member's advances | |
| 7624POOL | interest earned on advances | |
| 758POOL | fees and penalties | |
| 6866POOL / 7866POOL | provisions charged / released | |
| 654POOL | advances written off | |
| 7714POOL | recoveries on advances written off | |

Because 512POOL cannot go negative counting pending transfers, an approval (a pending transfer
512POOL → 274<id>) reserves the cash: the ledger itself refuses an approval or a withdrawal that
the pool could not pay.

Each transfer's id is derived from what caused it (uuid5 of "<kind>:<pk>:<event>"), so a retried
service finds its transfer already posted instead of posting twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.ledger.codes import Result
from cordee.ledger.models import Account
from cordee.ledger.posting import TransferSpec, transfers_create_nested
from cordee.ledger.services import account_open
from cordee.network.models import Organisation

LEDGER = "EUR"
NAMESPACE = uuid.UUID("0b6c2f4e-8d0a-4a5e-b7a1-93c5d2e7f410")
JOURNAL = "TS"  # trésorerie solidaire


def transfer_id(kind: str, pk: int | str, event: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{pk}:{event}")


def pool() -> Account:
    return account_open(
        ledger=LEDGER, number="512POOL", label="Banque — trésorerie solidaire", credits_must_not_exceed_debits=True
    )


def hub_account(number: str) -> Account:
    labels = {
        "102POOL": "Fonds propres affectés à la trésorerie solidaire",
        "7624POOL": "Revenus des avances",
        "758POOL": "Frais et pénalités sur avances",
        "6866POOL": "Dotations aux provisions sur avances",
        "7866POOL": "Reprises de provisions sur avances",
        "654POOL": "Pertes sur avances irrécouvrables",
        "7714POOL": "Rentrées sur avances passées en perte",
    }
    return account_open(ledger=LEDGER, number=number, label=labels[number])


def member_account(prefix: str, organisation: Organisation) -> Account:
    labels = {
        "168": "Apports en trésorerie",
        "1034": "Apports avec droit de reprise",
        "274": "Avances remboursables",
        "2974": "Provisions sur avances",
    }
    return account_open(
        ledger=LEDGER,
        number=f"{prefix}{organisation.pk:06d}",
        label=f"{labels[prefix]} — {organisation.name}"[:120],
        owner=organisation,
    )


@dataclass(frozen=True)
class Move:
    id: uuid.UUID
    debit: Account
    credit: Account
    amount: int
    code: str
    label: str
    reference: str
    piece: str
    value_date: dt.date


def post(moves: Sequence[Move], *, what: str) -> None:
    """Post the moves as one linked chain: all or nothing. A refusal raises a DomainError that
    says what the ledger refused (and the transaction around rolls everything back)."""
    moves = [move for move in moves if move.amount]
    specs = [
        TransferSpec(
            id=move.id,
            ledger=LEDGER,
            amount=move.amount,
            debit_account_id=move.debit.pk,
            credit_account_id=move.credit.pk,
            linked=index < len(moves) - 1,
            code=move.code,
            label=move.label[:200],
            reference=move.reference,
            journal=JOURNAL,
            piece=move.piece,
            value_date=move.value_date,
        )
        for index, move in enumerate(moves)
    ]
    _check(transfers_create_nested(specs), what=what)


def reserve(
    *,
    id: uuid.UUID,
    debit: Account,
    amount: int,
    timeout_seconds: int,
    reference: str,
    piece: str,
    label: str,
    value_date: dt.date,
) -> None:
    """A pending transfer from the pool: the cash is held until posted or voided."""
    spec = TransferSpec(
        id=id,
        ledger=LEDGER,
        amount=amount,
        debit_account_id=debit.pk,
        credit_account_id=pool().pk,
        pending=True,
        timeout=timeout_seconds,
        code="advance.approve",
        label=label[:200],
        reference=reference,
        journal=JOURNAL,
        piece=piece,
        value_date=value_date,
    )
    _check(transfers_create_nested([spec]), what=piece)


def resolve(
    *,
    id: uuid.UUID,
    pending_id: uuid.UUID,
    post: bool,
    code: str,
    reference: str,
    piece: str,
    label: str,
    value_date: dt.date,
) -> None:
    spec = TransferSpec(
        id=id,
        ledger=LEDGER,
        amount=0,
        pending_id=pending_id,
        post_pending=post,
        void_pending=not post,
        code=code,
        label=label[:200],
        reference=reference,
        journal=JOURNAL,
        piece=piece,
        value_date=value_date,
    )
    _check(transfers_create_nested([spec]), what=piece)


def _check(results: list[Result], *, what: str) -> None:
    failed = [result for result in results if not result.succeeded and result != Result.LINKED_EVENT_FAILED]
    if not failed:
        return
    if Result.EXCEEDS_CREDITS in failed or Result.EXCEEDS_DEBITS in failed:
        raise DomainError(
            _("The pool does not hold enough cash for %(what)s; nothing has been recorded.") % {"what": what},
            field="amount",
            code="insufficient_liquidity",
        )
    if Result.PENDING_TRANSFER_EXPIRED in failed:
        raise DomainError(
            _("The approval of %(what)s has lapsed; the committee must decide again.") % {"what": what},
            code="approval_lapsed",
        )
    raise DomainError(
        _("The ledger refused the posting of %(what)s (%(result)s); nothing has been recorded.")
        % {"what": what, "result": failed[0].value}
    )


def balance(account: Account) -> int:
    """Debit balance of an asset account (posted only)."""
    account.refresh_from_db(fields=["debits_posted", "credits_posted", "debits_pending", "credits_pending"])
    return account.debits_posted - account.credits_posted
