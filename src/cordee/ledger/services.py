"""Writes on the ledger other than posting: opening accounts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.ledger.models import Account, Ledger
from cordee.network.models import Organisation


def account_open(
    *,
    ledger: str,
    number: str,
    label: str,
    owner: Organisation | None = None,
    debits_must_not_exceed_credits: bool = False,
    credits_must_not_exceed_debits: bool = False,
) -> Account:
    """Open an account, or return the same one if it is already open (so set-up can be re-run)."""
    if debits_must_not_exceed_credits and credits_must_not_exceed_debits:
        raise DomainError(_("An account can have one limit at most."), field="flags")
    if not number.strip():
        raise DomainError(_("The account number is required."), field="number")
    try:
        the_ledger = Ledger.objects.get(code=ledger)
    except Ledger.DoesNotExist:
        raise DomainError(_("Unknown ledger %(code)s.") % {"code": ledger}, field="ledger") from None
    existing = Account.objects.filter(ledger=the_ledger, number=number.strip()).first()
    if existing is not None:
        same = (
            existing.owner_id == (owner.pk if owner else None)
            and existing.debits_must_not_exceed_credits == debits_must_not_exceed_credits
            and existing.credits_must_not_exceed_debits == credits_must_not_exceed_debits
        )
        if not same:
            raise DomainError(
                _("Account %(number)s already exists with another owner or limits.") % {"number": number},
                field="number",
            )
        return existing
    try:
        with transaction.atomic():
            return Account.objects.create(
                ledger=the_ledger,
                number=number.strip(),
                label=label.strip(),
                owner=owner,
                debits_must_not_exceed_credits=debits_must_not_exceed_credits,
                credits_must_not_exceed_debits=credits_must_not_exceed_debits,
            )
    except IntegrityError:  # opened by someone else meanwhile
        return Account.objects.get(ledger=the_ledger, number=number.strip())
