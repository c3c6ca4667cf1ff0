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


def party_accounts(organisation: Organisation | None) -> tuple[Account, Account]:
    """The party's internal receivable (411) and payable (401) accounts, opened on first use."""
    if organisation is None:
        suffix, name, owner = "HUB", settings.HUB_NAME, None
    else:
        suffix, name, owner = f"{organisation.pk:06d}", organisation.name, organisation
    receivable = account_open(ledger=LEDGER, number=f"411{suffix}", label=f"Créances internes — {name}", owner=owner)
    payable = account_open(ledger=LEDGER, number=f"401{suffix}", label=f"Dettes internes — {name}", owner=owner)
    return receivable, payable


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
