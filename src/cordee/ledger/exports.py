"""The ledger, exported: the FEC for the accountant and the tax administration (article A47 A-1 of
the Livre des procédures fiscales), and an hledger journal for anyone who wants to recompute the
balances with another program. See docs/ledger-exports.md.

This module only queries; the file formats live in `cordee.lib.fec` and `cordee.lib.hledger`,
which know nothing of Django, so the commands and a web page write the same bytes.

Only posted movements are accounting entries: a posted transfer, or the post of a pending one.
A pending transfer is a reservation, and its void or expiry moves nothing. Both exports read the
transfers in chunks, in sequence order (the order in which the ledger validated them), so a
million transfers stream through in constant memory.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any, NamedTuple, TextIO

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from stdnum.fr import siren as stdnum_siren

from cordee.core.errors import DomainError
from cordee.ledger.models import Account, Ledger, Transfer
from cordee.lib import fec, hledger

Progress = Callable[[Iterable[Any], int], Iterable[Any]]

POSTED_KINDS = (Transfer.Kind.POSTED, Transfer.Kind.POST_PENDING)
CHUNK = 2000

# Cordée's journals. A transfer with no journal goes to OD; a code missing here is its own label.
DEFAULT_JOURNAL = "OD"
JOURNALS = {
    "AC": "Achats",
    "AN": "À-nouveaux",
    "BQ": "Banque",
    "CA": "Caisse",
    "CT": "Crédits temps",
    "FTA": "Fonds territorial d'actions",
    "OD": "Opérations diverses",
    "TS": "Trésorerie solidaire",
    "VT": "Ventes",
}

# The FEC holds money only: the HOURS ledger (time credits) is not part of the accounts.
FEC_LEDGER = "EUR"

HLEDGER_COMMODITIES = {"EUR": hledger.Commodity("EUR", 2), "HOURS": hledger.Commodity("MIN", 0)}


class _Movement(NamedTuple):
    """A posted transfer as both exports read it, with its pending transfer's words for the post
    of a reservation that was given none of its own."""

    ledger_id: int
    id: uuid.UUID
    sequence: int
    kind: str
    value_date: dt.date
    created_at: dt.datetime
    debit_account_id: int
    credit_account_id: int
    amount: int
    code: str
    label: str
    reference: str
    journal: str
    piece: str
    pending_label: str | None
    pending_reference: str | None
    pending_journal: str | None
    pending_piece: str | None

    @property
    def journal_code(self) -> str:
        return self.journal or self.pending_journal or DEFAULT_JOURNAL

    @property
    def description(self) -> str:
        return self.label or self.pending_label or self.code or f"Opération n° {self.sequence}"

    @property
    def piece_ref(self) -> str:
        return (
            self.piece or self.reference or self.pending_piece or self.pending_reference or f"transfer:{self.sequence}"
        )


# The columns of `_Movement`, in its order; the last four come from the pending transfer (a join).
_MOVEMENT_COLUMNS = (
    *_Movement._fields[:-4],
    "pending__label",
    "pending__reference",
    "pending__journal",
    "pending__piece",
)


def _movements(transfers: QuerySet[Transfer]) -> Iterator[_Movement]:
    """The rows, read in chunks (a server-side cursor on PostgreSQL): constant memory."""
    rows = transfers.values_list(*_MOVEMENT_COLUMNS).iterator(chunk_size=CHUNK)
    return (_Movement(*row) for row in rows)


def fiscal_year(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the fiscal year closing in `year` (CORDEE_FISCAL_YEAR_END)."""
    try:
        return fec.fiscal_year(year, settings.FISCAL_YEAR_END)
    except ValueError as exc:
        raise DomainError(f"CORDEE_FISCAL_YEAR_END: {exc}.", field="year") from None


def fec_filename(year: int) -> str:
    """<SIREN>FEC<closing date>.txt, the name the article requires."""
    if not stdnum_siren.is_valid(settings.HUB_SIREN):
        raise DomainError(
            f"CORDEE_HUB_SIREN must be the hub's SIREN (9 digits, right Luhn key), not {settings.HUB_SIREN!r}.",
            field="siren",
        )
    return fec.filename(stdnum_siren.compact(settings.HUB_SIREN), fiscal_year(year)[1])


def _aux(account: Account) -> tuple[str, str]:
    """The auxiliary account of an account that belongs to a member: its SIREN (or id) and name."""
    if account.owner is None:
        return "", ""
    return account.owner.siren or f"ORG{account.owner.pk}", account.owner.name


def _posting(account: Account, *, debit: int = 0, credit: int = 0) -> fec.Posting:
    aux_num, aux_lib = _aux(account)
    return fec.Posting(account.number, account.label, debit=debit, credit=credit, aux_num=aux_num, aux_lib=aux_lib)


def _balances_before(ledger: Ledger, day: dt.date, accounts: dict[int, Account]) -> list[fec.Balance]:
    posted = Transfer.objects.filter(ledger=ledger, kind__in=POSTED_KINDS, value_date__lt=day)
    balances: dict[int, int] = {}
    for side, sign in (("debit_account", 1), ("credit_account", -1)):
        for account_id, total in posted.values_list(side).annotate(total=Sum("amount")).order_by():
            balances[account_id] = balances.get(account_id, 0) + sign * total
    rows = []
    for account_id, balance in balances.items():
        account = accounts[account_id]
        aux_num, aux_lib = _aux(account)
        rows.append(fec.Balance(account.number, account.label, balance, aux_num=aux_num, aux_lib=aux_lib))
    return rows


def fec_rows(year: int, progress: Progress | None = None) -> Iterator[fec.Line]:
    """The records of the year's FEC: the à-nouveaux first, then each posted transfer of the EUR
    ledger whose value date falls in the year, numbered per journal in the order of validation."""
    opening, closing = fiscal_year(year)
    ledger = Ledger.objects.get(code=FEC_LEDGER)
    accounts = {a.pk: a for a in Account.objects.filter(ledger=ledger).select_related("owner")}
    first = fec.opening_entry(_balances_before(ledger, opening, accounts), date=opening)
    transfers = Transfer.objects.filter(
        ledger=ledger, kind__in=POSTED_KINDS, value_date__gte=opening, value_date__lte=closing
    ).order_by("sequence")
    rows: Iterable[_Movement] = _movements(transfers)
    if progress is not None:
        rows = progress(rows, transfers.count())

    def entries() -> Iterator[fec.Entry]:
        for row in rows:
            yield fec.Entry(
                journal_code=row.journal_code,
                journal_lib=JOURNALS.get(row.journal_code, row.journal_code),
                date=row.value_date,
                piece_ref=row.piece_ref,
                piece_date=row.value_date,
                label=row.description,
                valid_date=timezone.localtime(row.created_at).date(),
                postings=(
                    _posting(accounts[row.debit_account_id], debit=row.amount),
                    _posting(accounts[row.credit_account_id], credit=row.amount),
                ),
            )

    return fec.number_entries(chain([first] if first else [], entries()))


def write_fec(year: int, stream: TextIO, progress: Progress | None = None, *, separator: str = "\t") -> int:
    """Write the year's FEC to a text stream; return the number of records (lines after the header)."""
    return fec.write(fec_rows(year, progress), stream, separator=separator)


def hledger_commodity(ledger: Ledger) -> hledger.Commodity:
    known = HLEDGER_COMMODITIES.get(ledger.code)
    return known or hledger.Commodity(ledger.code, 2 if ledger.unit == "cent" else 0)


def write_hledger(stream: TextIO, progress: Progress | None = None) -> int:
    """Write every posted movement of every ledger as an hledger journal, ledger by ledger in
    sequence order; return the number of transactions written."""
    ledgers = {ledger.pk: ledger for ledger in Ledger.objects.order_by("code")}
    commodities = {pk: hledger_commodity(ledger) for pk, ledger in ledgers.items()}
    accounts = list(Account.objects.select_related("owner").order_by("ledger__code", "number"))
    names = {a.pk: hledger.account_name(ledgers[a.ledger_id].code, a.number, a.label) for a in accounts}
    declarations = [
        (names[a.pk], [("cordee_id", str(a.pk)), ("owner", a.owner.name if a.owner else "")]) for a in accounts
    ]
    posted = Transfer.objects.filter(kind__in=POSTED_KINDS)
    rows: Iterable[_Movement] = chain.from_iterable(
        _movements(posted.filter(ledger_id=pk).order_by("sequence")) for pk in ledgers
    )
    if progress is not None:
        rows = progress(rows, posted.count())

    def transactions() -> Iterator[hledger.Transaction]:
        for row in rows:
            commodity = commodities[row.ledger_id]
            yield hledger.Transaction(
                date=row.value_date,
                code=f"{ledgers[row.ledger_id].code}-{row.sequence}",
                description=row.description,
                postings=(
                    hledger.Posting(names[row.debit_account_id], row.amount, commodity),
                    hledger.Posting(names[row.credit_account_id], -row.amount, commodity),
                ),
                tags=(
                    ("transfer", str(row.id)),
                    ("kind", row.kind),
                    ("code", row.code),
                    ("journal", row.journal_code),
                    ("piece", row.piece or row.pending_piece or ""),
                    ("reference", row.reference or row.pending_reference or ""),
                ),
            )

    header = (
        f"{settings.HUB_NAME}: the posted movements of Cordée's ledgers (cordee export_hledger).",
        "EUR in euros; HOURS (time credits) in minutes, commodity MIN. Check: hledger -f FILE bal",
    )
    return hledger.write_journal(
        stream,
        commodities=[commodities[pk] for pk in ledgers],
        accounts=declarations,
        transactions=transactions(),
        header=header,
    )
