"""SEPA files the treasurer hands to the pool's bank: credit transfers (pain.001.001.03) to pay
advances and withdrawals, direct debits (pain.008.001.02, CORE scheme) to collect instalments.

The XML is written by sepaxml, which checks each file against the ISO 20022 schema it ships before
handing it over: a file that leaves here is well-formed and valid. What the schema does not check
is checked first, with messages that name the field: IBANs and BICs (schwifty), the creditor
identifier (ISO 7064 key, `stdnum.eu.at_02`), and the identifiers the EPC rulebooks restrict to
the Latin character set (end-to-end ids and mandate references, EPC SEPA Core Direct Debit
Rulebook and the EPC's "Guidance on the use of character sets").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty import exceptions as iban_errors
from sepaxml import SepaDD, SepaTransfer
from sepaxml.validation import ValidationError as SchemaError
from stdnum import exceptions as stdnum_errors
from stdnum.eu import at_02

from cordee.core.errors import DomainError
from cordee.treasury.models import TreasurySettings

TRANSFER_SCHEMA = "pain.001.001.03"
DEBIT_SCHEMA = "pain.008.001.02"
FIRST, RECURRENT = "FRST", "RCUR"
MAX_ID = 35
# The identifiers' character set (EPC): letters, digits and / - ? : ( ) . , ' + and the space,
# neither starting nor ending with a slash nor holding two in a row.
_SEPA_ID = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]+")


@dataclass(frozen=True, slots=True)
class Payment:
    """A credit transfer from the pool to `name`'s account."""

    name: str
    iban: str
    bic: str  # "" when unknown: SEPA transfers are routed by the IBAN alone
    amount_cents: int
    end_to_end_id: str
    description: str
    execution_date: dt.date


@dataclass(frozen=True, slots=True)
class DirectDebit:
    """One instalment collected from a member's account under its mandate."""

    name: str
    iban: str
    bic: str
    amount_cents: int
    mandate_reference: str
    mandate_signed_on: dt.date
    sequence_type: str  # FIRST for a mandate never collected, else RECURRENT
    end_to_end_id: str
    description: str


# --- Checks ---------------------------------------------------------------------------------------


def check_iban(value: str, *, field: str = "iban", label: str = "IBAN") -> str:
    """The IBAN without spaces, in capitals; DomainError saying what is wrong otherwise."""
    if not value or not value.strip():
        raise DomainError(_("%(label)s: it is missing.") % {"label": label}, field=field, code="iban_missing")
    try:
        iban = IBAN(value, validate_bban=True)
    except iban_errors.InvalidChecksumDigits:
        problem = _("the check digits are wrong (a typing error?).")
    except iban_errors.InvalidCountryCode:
        problem = _("the country code is unknown.")
    except iban_errors.InvalidLength:
        problem = _("the length is wrong for its country.")
    except iban_errors.InvalidBBANChecksum:
        problem = _("the account's own key (the RIB key in France) is wrong.")
    except iban_errors.SchwiftyException:
        problem = _("it does not have the form of an account number of its country.")
    else:
        if not iban.in_sepa_zone:
            problem = _("the account is outside the SEPA area.")
        else:
            return str(iban.compact)
    raise DomainError(
        _("%(label)s: %(problem)s") % {"label": label, "problem": problem}, field=field, code="iban_invalid"
    )


def check_bic(value: str, *, field: str = "bic", label: str = "BIC", required: bool = False) -> str:
    """The BIC in capitals ("" if none was given and none is required)."""
    if not value or not value.strip():
        if required:
            raise DomainError(_("%(label)s: it is missing.") % {"label": label}, field=field, code="bic_missing")
        return ""
    try:
        bic = BIC(value)
    except iban_errors.InvalidLength:
        problem = _("a BIC has 8 or 11 characters.")
    except iban_errors.InvalidCountryCode:
        problem = _("the country code is unknown.")
    except iban_errors.SchwiftyException:
        problem = _("it does not have the form of a BIC (4 letters for the bank, 2 for the country, then 2 or 5).")
    else:
        return str(bic.compact)
    raise DomainError(
        _("%(label)s: %(problem)s") % {"label": label, "problem": problem}, field=field, code="bic_invalid"
    )


def check_creditor_identifier(value: str, *, field: str = "creditor_identifier") -> str:
    label = _("SEPA creditor identifier (ICS)")
    if not value or not value.strip():
        raise DomainError(
            _("%(label)s: it is missing; the pool's bank gives it.") % {"label": label},
            field=field,
            code="creditor_id_missing",
        )
    try:
        return str(at_02.validate(value))
    except stdnum_errors.ValidationError:
        raise DomainError(
            _("%(label)s: it is not valid (check its key, e.g. FR72ZZZ123456).") % {"label": label},
            field=field,
            code="creditor_id_invalid",
        ) from None


def check_sepa_id(value: str, *, field: str, label: str) -> str:
    value = value.strip()
    if (
        not value
        or len(value) > MAX_ID
        or not _SEPA_ID.fullmatch(value)
        or value.startswith("/")
        or value.endswith("/")
        or "//" in value
    ):
        raise DomainError(
            _(
                "%(label)s: up to 35 characters among letters without accents, digits, spaces and "
                "/ - ? : ( ) . , ' +, neither starting nor ending with a slash."
            )
            % {"label": label},
            field=field,
            code="sepa_id",
        )
    return value


def _check_amount(cents: int, who: str) -> None:
    if not isinstance(cents, int) or isinstance(cents, bool) or cents <= 0:
        raise DomainError(_("%(who)s: the amount must be more than zero.") % {"who": who}, field="amount_cents")


# --- The pool's side ------------------------------------------------------------------------------


def _pool_config(*, creditor: bool) -> dict[str, object]:
    settings_row = TreasurySettings.current()
    if not settings_row.account_holder.strip():
        raise DomainError(
            _("The treasury settings do not name the holder of the pool's bank account."), field="account_holder"
        )
    config: dict[str, object] = {
        "name": settings_row.account_holder.strip(),
        "IBAN": check_iban(settings_row.iban, label=_("IBAN of the pool")),
        "BIC": check_bic(settings_row.bic, label=_("BIC of the pool"), required=True),
        "batch": True,
        "currency": "EUR",
    }
    if creditor:
        config["creditor_id"] = check_creditor_identifier(settings_row.creditor_identifier)
        config["instrument"] = "CORE"
    return config


def _export(document: SepaTransfer | SepaDD) -> bytes:
    try:
        return bytes(document.export(validate=True))
    except SchemaError as exc:
        cause = exc.__cause__
        reason = getattr(cause, "reason", None) or str(cause or exc)
        raise DomainError(_("The SEPA file failed the schema's check: %(reason)s") % {"reason": reason}) from exc


# --- Files ----------------------------------------------------------------------------------------


def credit_transfer_file(*, payments: Sequence[Payment]) -> bytes:
    """One pain.001.001.03 file paying every payment from the pool's account."""
    if not payments:
        raise DomainError(_("There is no transfer to put in the file."), code="empty")
    document = SepaTransfer(_pool_config(creditor=False), schema=TRANSFER_SCHEMA, clean=True)
    for payment in payments:
        who = payment.name
        entry: dict[str, object] = {
            "name": payment.name,
            "IBAN": check_iban(payment.iban, label=_("IBAN of %(name)s") % {"name": who}),
            "amount": payment.amount_cents,
            "execution_date": payment.execution_date,
            "description": payment.description,
            "endtoend_id": check_sepa_id(payment.end_to_end_id, field="reference", label=_("Reference")),
        }
        bic = check_bic(payment.bic, label=_("BIC of %(name)s") % {"name": who})
        if bic:
            entry["BIC"] = bic
        _check_amount(payment.amount_cents, who)
        document.add_payment(entry)
    return _export(document)


def direct_debit_file(*, collection_date: dt.date, items: Sequence[DirectDebit]) -> bytes:
    """One pain.008.001.02 file (CORE) collecting every item on `collection_date`."""
    if not items:
        raise DomainError(_("There is no instalment to collect in the file."), code="empty")
    document = SepaDD(_pool_config(creditor=True), schema=DEBIT_SCHEMA, clean=True)
    for item in items:
        who = item.name
        if item.sequence_type not in (FIRST, RECURRENT):
            raise DomainError(f"sequence type {item.sequence_type!r}", field="sequence_type")
        entry: dict[str, object] = {
            "name": item.name,
            "IBAN": check_iban(item.iban, label=_("IBAN of %(name)s") % {"name": who}),
            "amount": item.amount_cents,
            "type": item.sequence_type,
            "collection_date": collection_date,
            "mandate_id": check_sepa_id(item.mandate_reference, field="reference", label=_("Mandate reference (RUM)")),
            "mandate_date": item.mandate_signed_on,
            "description": item.description,
            "endtoend_id": check_sepa_id(item.end_to_end_id, field="reference", label=_("Reference")),
        }
        bic = check_bic(item.bic, label=_("BIC of %(name)s") % {"name": who})
        if bic:
            entry["BIC"] = bic
        _check_amount(item.amount_cents, who)
        document.add_payment(entry)
    return _export(document)
