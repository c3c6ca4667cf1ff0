"""Helpers of the clearing tests: issued invoices between parties in one call, consents, and the
ledger balances a clearing moves."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from cordee.clearing.models import AGREEMENT_VERSION, Consent
from cordee.core.models import User
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Exemption, Invoice
from cordee.invoicing.totals import LineData
from cordee.network.models import Organisation

_sources = itertools.count(1)


def owe(
    debtor: Organisation | None,
    creditor: Organisation | None,
    cents: int,
    *,
    days_ago: int = 30,
    due_in: int = 30,
) -> Invoice:
    """An issued invoice of `cents` (0 % VAT, cost-sharing exemption) from creditor to debtor (None:
    the hub), issued `days_ago` days ago and due `due_in` days after."""
    issued = timezone.localdate() - dt.timedelta(days=days_ago)
    return invoicing.invoice_create_issued(
        issuer=creditor,
        recipient=debtor,
        lines=[
            LineData(
                label="Mise à disposition",
                quantity=Decimal("1"),
                unit_price_cents=cents,
                vat_rate=0,
                vat_exemption=Exemption.COST_SHARING,
            )
        ],
        issue_date=issued,
        due_date=issued + dt.timedelta(days=due_in),
        source=f"test-clearing:{next(_sources)}",
        notify=False,
    )


def consent(organisation: Organisation, by: User, *, days_ago: int = 60) -> Consent:
    """A consent in force, signed `days_ago` days ago (written directly: the service signs today)."""
    return Consent.objects.create(
        organisation=organisation,
        agreement_version=AGREEMENT_VERSION,
        signed_on=timezone.localdate() - dt.timedelta(days=days_ago),
        signed_by=by,
        signatory="Présidente",
    )
