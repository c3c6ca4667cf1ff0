"""How invoices reach the ledger.

Each party, the hub included, has two internal accounts on the EUR ledger, opened on first use
with `account_open`: 411<id> "Créances internes — <name>" (what others owe it) and 401<id>
"Dettes internes — <name>" (what it owes others), <id> being the organisation's id on six digits,
411HUB and 401HUB for the hub. Each invoice event is one transfer of the total including VAT:

| event | debit | credit | journal | code |
|---|---|---|---|---|
| issue | issuer's 411 | recipient's 401 | VT | invoice.issue |
| payment | recipient's 401 | issuer's 411 | BQ | invoice.payment |
| credit note | recipient's 401 | issuer's 411 | VT | invoice.credit_note |

The piece is the invoice's (or credit note's) number, the reference `invoice:<pk>`, the value date
the issue or payment date. The transfer's id is derived from the invoice and the event, so a
retried posting is recognised by the ledger instead of being posted twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.invoicing.models import Invoice
from cordee.ledger.codes import Result
from cordee.ledger.models import Account
from cordee.ledger.posting import TransferSpec, transfers_create_nested
from cordee.ledger.services import account_open
from cordee.network.models import Organisation

LEDGER = "EUR"
# Ids of the invoices' transfers: uuid5 of "invoice:<pk>:<event>" in this namespace.
TRANSFER_NAMESPACE = uuid.UUID("5b0e9f8e-2a4d-4c59-9a55-1d0c7e3b6f21")


def account_numbers(organisation_id: int | None) -> tuple[str, str]:
    """The numbers of a party's receivable and payable accounts (None: the hub)."""
    suffix = "HUB" if organisation_id is None else f"{organisation_id:06d}"
    return f"411{suffix}", f"401{suffix}"


def party_accounts(organisation: Organisation | None) -> tuple[Account, Account]:
    """The party's internal receivable (411) and payable (401) accounts, opened on first use."""
    name, owner = (settings.HUB_NAME, None) if organisation is None else (organisation.name, organisation)
    receivable_number, payable_number = account_numbers(organisation.pk if organisation else None)
    receivable = account_open(ledger=LEDGER, number=receivable_number, label=f"Créances internes — {name}", owner=owner)
    payable = account_open(ledger=LEDGER, number=payable_number, label=f"Dettes internes — {name}", owner=owner)
    return receivable, payable


def parties_accounts(organisations: dict[int | None, Organisation | None]) -> dict[int | None, tuple[Account, Account]]:
    """`party_accounts` for many parties (organisation id, None for the hub -> organisation), read in
    a few queries rather than two per party; an account missing, or not as `account_open` would
    return it (another owner, a limit), goes through `party_accounts`, which opens it or refuses."""
    wanted = {key: account_numbers(key) for key in organisations}
    numbers = [number for pair in wanted.values() for number in pair]
    found: dict[str, Account] = {}
    for start in range(0, len(numbers), 5_000):  # SQLite allows 32 766 variables in a statement
        chunk = numbers[start : start + 5_000]
        found.update(
            (account.number, account) for account in Account.objects.filter(ledger__code=LEDGER, number__in=chunk)
        )
    accounts: dict[int | None, tuple[Account, Account]] = {}
    for key, (receivable_number, payable_number) in wanted.items():
        pair = (found.get(receivable_number), found.get(payable_number))
        if all(
            account is not None
            and account.owner_id == key
            and not account.debits_must_not_exceed_credits
            and not account.credits_must_not_exceed_debits
            for account in pair
        ):
            accounts[key] = pair  # type: ignore[assignment]
        else:
            accounts[key] = party_accounts(organisations[key])
    return accounts


def transfer_id(invoice: Invoice, event: str) -> uuid.UUID:
    return uuid.uuid5(TRANSFER_NAMESPACE, f"invoice:{invoice.pk}:{event}")


def post(
    *,
    invoice: Invoice,
    event: str,
    debit: Account,
    credit: Account,
    code: str,
    journal: str,
    piece: str,
    label: str,
    value_date: dt.date,
    reference: Invoice | None = None,
    amount: int | None = None,
) -> None:
    """Post one event of the invoice: its total, or `amount` (what is left to pay after a set-off)."""
    spec = TransferSpec(
        id=transfer_id(invoice, event),
        ledger=LEDGER,
        amount=invoice.total_incl_vat_cents if amount is None else amount,
        debit_account_id=debit.pk,
        credit_account_id=credit.pk,
        code=code,
        label=label[:200],
        reference=f"invoice:{(reference or invoice).pk}",
        journal=journal,
        piece=piece,
        value_date=value_date,
    )
    [result] = transfers_create_nested([spec])
    if result != Result.OK:
        raise DomainError(
            _("The ledger refused the posting of %(number)s (%(result)s); nothing has been recorded.")
            % {"number": piece, "result": result.value}
        )
