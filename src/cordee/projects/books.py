"""How the fund for territorial actions reaches the ledger.

The hub funds the actions chosen on its calls for projects from a fund of its own, kept apart from
the solidarity treasury's pool: the grants the State and the Region give the hub for it come in,
the tranches paid to the members go out. Accounts (EUR ledger, numbers after the French chart of
accounts for associations, ANC 2018-06), opened on first use; <id> is the organisation's id on six
digits:

| account | what it holds | limit |
|---|---|---|
| 512FTA | the fund's bank account | cannot go below zero (credits ≤ debits) |
| 74FTA | the grants received for the fund (operating grants, State, Region) | |
| 657FTA | the aid granted to members' actions (subsidies paid, account 657) | |
| 4674<id> | the aid granted to a member and not paid yet (other debtors and creditors) | |

- A grant received: 512FTA debit, 74FTA credit.
- An agreement signed commits the amount granted: 657FTA debit, 4674<id> credit.
- A tranche paid: 4674<id> debit, 512FTA credit; a tranche corrected is the same move reversed.
- An action closed with part of its grant unpaid releases that part: 4674<id> debit, 657FTA credit.

Because 512FTA cannot go negative, the ledger itself refuses a tranche the fund could not pay.
Each transfer's id is derived from what caused it (uuid5 of "<kind>:<pk>:<event>"), so a retried
service finds its transfer already posted instead of posting twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.ledger.codes import Result
from cordee.ledger.models import Account
from cordee.ledger.posting import TransferSpec, transfers_create_nested
from cordee.ledger.services import account_open
from cordee.network.models import Organisation

LEDGER = "EUR"
NAMESPACE = uuid.UUID("5d0f7c2a-1b8e-4f6a-9c3d-7e2a4b6c8d10")
JOURNAL = "FTA"  # fonds territorial d'actions

BANK = "512FTA"
GRANTS = "74FTA"
AID = "657FTA"
MEMBER_PREFIX = "4674"

LABELS = {
    BANK: "Banque — fonds territorial d'actions",
    GRANTS: "Subventions reçues pour le fonds territorial d'actions",
    AID: "Aides versées aux actions territoriales",
}


def transfer_id(kind: str, pk: int | str, event: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{pk}:{event}")


def bank() -> Account:
    return account_open(ledger=LEDGER, number=BANK, label=LABELS[BANK], credits_must_not_exceed_debits=True)


def hub_account(number: str) -> Account:
    return account_open(ledger=LEDGER, number=number, label=LABELS[number])


def member_account(organisation: Organisation) -> Account:
    return account_open(
        ledger=LEDGER,
        number=f"{MEMBER_PREFIX}{organisation.pk:06d}",
        label=f"Aide à verser — {organisation.name}"[:120],
        owner=organisation,
    )


def post(
    *,
    id: uuid.UUID,
    debit: Account,
    credit: Account,
    amount: int,
    code: str,
    label: str,
    reference: str,
    piece: str,
    value_date: dt.date,
) -> None:
    """Post one transfer. A refusal raises a DomainError that says what the ledger refused (and the
    transaction around rolls everything back)."""
    spec = TransferSpec(
        id=id,
        ledger=LEDGER,
        amount=amount,
        debit_account_id=debit.pk,
        credit_account_id=credit.pk,
        code=code,
        label=label[:200],
        reference=reference,
        journal=JOURNAL,
        piece=piece[:40],
        value_date=value_date,
    )
    _check(transfers_create_nested([spec]), what=piece)


def _check(results: list[Result], *, what: str) -> None:
    failed = [result for result in results if not result.succeeded]
    if not failed:
        return
    if Result.EXCEEDS_CREDITS in failed or Result.EXCEEDS_DEBITS in failed:
        raise DomainError(
            _("The fund for territorial actions does not hold enough cash for %(what)s; nothing has been recorded.")
            % {"what": what},
            field="amount_cents",
            code="insufficient_funds",
        )
    raise DomainError(
        _("The ledger refused the posting of %(what)s (%(result)s); nothing has been recorded.")
        % {"what": what, "result": failed[0].value}
    )


def debit_balance(account: Account) -> int:
    """Posted debits minus posted credits (an asset or a charge account: positive)."""
    account.refresh_from_db(fields=["debits_posted", "credits_posted", "debits_pending", "credits_pending"])
    return account.debits_posted - account.credits_posted


def fund_cash_cents() -> int:
    """What the fund's bank account holds (0 before its first grant)."""
    account = Account.objects.filter(ledger__code=LEDGER, number=BANK).first()
    return 0 if account is None else account.debits_posted - account.credits_posted


def fund_received_cents() -> int:
    account = Account.objects.filter(ledger__code=LEDGER, number=GRANTS).first()
    return 0 if account is None else account.credits_posted - account.debits_posted
