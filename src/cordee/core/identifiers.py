"""French identifiers of organisations. Checksums come from python-stdnum, not from us.

Each validator returns the compact form to store and raises a ValidationError that names the
rule broken, so that a form, the API and the import report all say the same thing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

_RNA = re.compile(r"^W\d{9}$")
_NAF = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
_PHONE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


def _explain(exc: StdnumError, name: str, digits: int) -> str:
    if isinstance(exc, InvalidLength):
        return _("%(name)s must have %(digits)s digits.") % {"name": name, "digits": digits}
    if isinstance(exc, InvalidFormat):
        return _("%(name)s must contain digits only.") % {"name": name}
    if isinstance(exc, InvalidChecksum):
        return _("%(name)s is not valid: its check digit (Luhn key) is wrong.") % {"name": name}
    return _("%(name)s is not valid.") % {"name": name}


def clean_siren(value: str) -> str:
    try:
        return str(stdnum_siren.validate(value))
    except StdnumError as exc:
        raise ValidationError(_explain(exc, "SIREN", 9), code="siren") from exc


def clean_siret(value: str) -> str:
    try:
        return str(stdnum_siret.validate(value))
    except StdnumError as exc:
        raise ValidationError(_explain(exc, "SIRET", 14), code="siret") from exc


def clean_rna(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not _RNA.match(compact):
        raise ValidationError(
            _("The RNA number must be the letter W followed by 9 digits (e.g. W051002345)."), code="rna"
        )
    return compact


def clean_naf(value: str) -> str:
    match = _NAF.match(re.sub(r"\s", "", value).upper())
    if not match:
        raise ValidationError(_("The NAF/APE code must be 4 digits and a letter, such as 94.99Z."), code="naf")
    return f"{match[1]}.{match[2]}{match[3]}"


def clean_phone(value: str) -> str:
    compact = value.strip()
    if not _PHONE.match(compact) or sum(ch.isdigit() for ch in compact) < 6:
        raise ValidationError(
            _("A phone number may contain only digits, spaces and + . - ( ), such as 04 92 00 00 00."),
            code="phone",
        )
    return compact
