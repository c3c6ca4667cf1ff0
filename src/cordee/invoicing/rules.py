"""The rules an invoice's content follows, shared by the services and the forms: each broken
rule raises a `DomainError` naming the field (`lines.<index>.<field>` for a line) and the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.invoicing.models import VAT_RATES, Exemption
from cordee.invoicing.totals import LineData
from cordee.network.models import Membership, Organisation

MAX_LINES = 200
MAX_LABEL = 200
MAX_QUANTITY = Decimal("1000000")
MAX_UNIT_PRICE_CENTS = 10**10  # 100 million euros: far beyond any internal invoice, far below overflow
MAX_NOTES = 1000
MAX_REASON = 500
MAX_SOURCE = 120
# Memberships whose organisation can be a party: a departed member may still be invoiced for the
# services it used, a candidate or a rejected applicant never was a member.
PARTY_STATUSES = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED, Membership.Status.LEFT)


def short_date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def check_lines(lines: Sequence[LineData]) -> None:
    """The rules of an invoice's lines; the first broken one raises, naming its line and field
    (`lines.<index>.<field>`, counted from 0; the message counts from 1)."""
    if not lines:
        raise DomainError(_("An invoice needs at least one line."), field="lines")
    if len(lines) > MAX_LINES:
        raise DomainError(_("An invoice has at most %(max)s lines.") % {"max": MAX_LINES}, field="lines")
    for index, line in enumerate(lines):
        _check_line(index, line)


def _check_line(index: int, line: LineData) -> None:
    def refuse(field: str, message: str) -> DomainError:
        return DomainError(
            _("Line %(n)s: %(rule)s") % {"n": index + 1, "rule": message}, field=f"lines.{index}.{field}"
        )

    label = line.label.strip()
    if not label:
        raise refuse("label", _("the label is required."))
    if len(label) > MAX_LABEL:
        raise refuse("label", _("the label has at most %(max)s characters.") % {"max": MAX_LABEL})
    quantity = line.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, Decimal | int):
        raise refuse("quantity", _("the quantity must be a decimal number."))
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity <= 0:
        raise refuse("quantity", _("the quantity must be greater than 0."))
    if quantity != quantity.quantize(Decimal("0.01")):
        raise refuse("quantity", _("the quantity has at most 2 decimal places."))
    if quantity > MAX_QUANTITY:
        raise refuse("quantity", _("the quantity is at most 1,000,000."))
    price = line.unit_price_cents
    if isinstance(price, bool) or not isinstance(price, int):
        raise refuse("unit_price", _("the unit price must be a whole number of cents."))
    if price < 0:
        raise refuse("unit_price", _("the unit price cannot be negative."))
    if price > MAX_UNIT_PRICE_CENTS:
        raise refuse("unit_price", _("the unit price is at most 100,000,000 €."))
    if line.vat_rate not in VAT_RATES:
        raise refuse("vat_rate", _("the VAT rate must be 20 %, 10 %, 5.5 %, 2.1 % or 0 %."))
    if line.vat_rate == 0 and line.vat_exemption not in Exemption.values:
        raise refuse("vat_exemption", _("a line without VAT must say why: choose the exemption mention from the list."))
    if line.vat_rate != 0 and line.vat_exemption:
        raise refuse("vat_exemption", _("an exemption mention applies only to a line at 0 % VAT."))


def _check_party(organisation: Organisation | None, field: str) -> None:
    if organisation is None:
        return
    status = Membership.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    if status not in PARTY_STATUSES:
        raise DomainError(
            _("%(name)s is not a member organisation of the hub: it cannot be a party to an internal invoice.")
            % {"name": organisation.name},
            field=field,
        )


def check_parties(issuer: Organisation | None, recipient: Organisation | None) -> None:
    _check_party(issuer, "issuer")
    _check_party(recipient, "recipient")
    if (issuer.pk if issuer else None) == (recipient.pk if recipient else None):
        raise DomainError(_("The issuer and the recipient must be different."), field="recipient")


def check_text(value: str, *, field: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise DomainError(_("At most %(max)s characters.") % {"max": max_length}, field=field)
    return value
