"""The pool's bank: members' bank details and direct-debit mandates, the SEPA files the treasurer
hands to the bank, and the bank statements read back.

Paying: an advance disbursed or a withdrawal paid is already posted in the ledger by its own
service; `disbursement_file` and `withdrawal_file` only write the credit transfers that carry the
money out (pain.001), to the bank details the member gave.

Collecting: `collections_prepare` puts each instalment due and unpaid of an advance whose member
signed a mandate in a direct-debit file (pain.008, CORE), once: a `Collection` row per advance and
due date, so a second run collects nothing twice. The money is recorded when it shows on a
statement, like any other repayment.

Reading statements: `statement_import` records every credit that names an advance (or carries the
end-to-end id of one of our direct debits) through `repayment_record`, each in its own savepoint,
and sets aside with the reason whatever it cannot record: no reference, an unknown advance, a
refusal of the repayment service, an operation already imported from another statement. Nothing is
posted for a line set aside until the treasurer assigns it. The same file twice is refused whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.lib import bankstatements
from cordee.lib.bankstatements import StatementError, StatementLine
from cordee.network.models import Organisation
from cordee.treasury import selectors, sepa
from cordee.treasury import services as treasury
from cordee.treasury.models import (
    Advance,
    BankDetails,
    BankLine,
    BankStatement,
    Collection,
    Mandate,
    Repayment,
    Withdrawal,
)

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
# An advance's reference as a bank may print it: "AV-2026-0007", "av 2026 0007", "AV20260007".
ADVANCE_REFERENCE = re.compile(r"(?<![A-Z0-9])AV[-\s_/.]?(\d{4})[-\s_/.]?(\d{4})(?![0-9])", re.IGNORECASE)
# An advance may take money from a statement in these states; the repayment service decides the
# rest (a repaid advance, for instance, is refused with its reason).
RECORDABLE = (Advance.Status.DISBURSED, Advance.Status.WRITTEN_OFF, Advance.Status.REPAID)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed


def _short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def masked(iban: str) -> str:
    """FR76…0189: enough to recognise an account in the audit trail and on screens."""
    return f"{iban[:4]}…{iban[-4:]}" if len(iban) > 8 else iban


# --- Bank details and mandates --------------------------------------------------------------------


def _holder(value: str) -> str:
    holder = " ".join(value.split())
    if not holder:
        raise DomainError(_("Give the name of the account holder."), field="holder")
    if len(holder) > 70:
        raise DomainError(_("The holder's name is limited to 70 characters."), field="holder")
    return holder


@transaction.atomic(durable=True)
def bank_details_set(*, actor: User, organisation: Organisation, holder: str, iban: str, bic: str) -> BankDetails:
    """Where the pool pays the organisation: its member admins or the treasurer set it."""
    _require(permissions.can_keep_treasury(actor) or permissions.can_act_for_treasury_of(actor, organisation.pk))
    values = {"holder": _holder(holder), "iban": sepa.check_iban(iban), "bic": sepa.check_bic(bic)}
    details, created = BankDetails.objects.select_for_update().get_or_create(organisation=organisation, defaults=values)
    if not created:
        for name, value in values.items():
            setattr(details, name, value)
        details.save()
    audit(actor=actor, action="treasury.bank_details.set", target=details, iban=masked(details.iban))
    return details


@transaction.atomic(durable=True)
def mandate_create(
    *,
    actor: User,
    organisation: Organisation,
    reference: str,
    signed_on: dt.date,
    holder: str,
    iban: str,
    bic: str,
) -> Mandate:
    """Record a direct-debit mandate the member signed (the treasurer holds the signed paper)."""
    _require(permissions.can_keep_treasury(actor))
    reference = sepa.check_sepa_id(reference, field="reference", label=_("Mandate reference (RUM)"))
    if signed_on > timezone.localdate():
        raise DomainError(_("The signature date cannot be in the future."), field="signed_on")
    values = {"holder": _holder(holder), "iban": sepa.check_iban(iban), "bic": sepa.check_bic(bic)}
    if Mandate.objects.filter(reference=reference).exists():
        raise DomainError(
            _("A mandate with the reference %(reference)s already exists.") % {"reference": reference},
            field="reference",
            code="duplicate",
        )
    try:
        with transaction.atomic():
            mandate = Mandate.objects.create(
                organisation=organisation, reference=reference, signed_on=signed_on, **values
            )
    except IntegrityError:  # a concurrent twin won the unique index
        raise DomainError(
            _("A mandate with the reference %(reference)s already exists.") % {"reference": reference},
            field="reference",
            code="duplicate",
        ) from None
    audit(
        actor=actor,
        action="treasury.mandate.create",
        target=mandate,
        organisation=organisation.pk,
        iban=masked(mandate.iban),
        signed_on=signed_on.isoformat(),
    )
    return mandate


@transaction.atomic(durable=True)
def mandate_revoke(*, actor: User, mandate: Mandate, on: dt.date | None = None) -> Mandate:
    """No more collections under this mandate from `on` (today by default). A member may revoke
    its mandate at any time (EPC SDD Core Rulebook): its member admins can, as the treasurer."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    _require(
        permissions.can_keep_treasury(actor) or permissions.can_act_for_treasury_of(actor, mandate.organisation_id)
    )
    if mandate.revoked_on is not None:
        raise DomainError(
            _("Mandate %(reference)s was already revoked on %(date)s.")
            % {"reference": mandate.reference, "date": _short_date(mandate.revoked_on)},
            code="state",
        )
    mandate.revoked_on = on or timezone.localdate()
    mandate.save(update_fields=["revoked_on"])
    audit(actor=actor, action="treasury.mandate.revoke", target=mandate, revoked_on=mandate.revoked_on.isoformat())
    return mandate


def active_mandate(organisation_id: int, on: dt.date) -> Mandate | None:
    """The newest mandate signed by `on` and not revoked by then."""
    return (
        Mandate.objects.filter(organisation_id=organisation_id, signed_on__lte=on)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        .order_by("-signed_on", "-pk")
        .first()
    )


# --- Credit transfers -----------------------------------------------------------------------------


def _payee(organisation: Organisation, what: str) -> BankDetails:
    # The reverse one-to-one raises a subclass of AttributeError when there is no row.
    details: BankDetails | None = getattr(organisation, "bank_details", None)
    if details is None:
        raise DomainError(
            _("%(what)s: %(organisation)s has given no bank details; its member admins or the treasurer enter them.")
            % {"what": what, "organisation": organisation.name},
            field="bank_details",
            code="no_bank_details",
        )
    return details


def _transfers(payments: list[sepa.Payment], problems: list[str]) -> bytes:
    if problems:
        raise DomainError(" ".join(problems), code="not_payable")
    return sepa.credit_transfer_file(payments=payments)


def disbursement_file(*, advances: Iterable[Advance], execution_date: dt.date | None = None) -> bytes:
    """The credit transfers (pain.001) that pay the advances disbursed, to each member's account.
    Every advance that cannot be paid is named in one refusal, and no file is written."""
    execution_date = max(execution_date or timezone.localdate(), timezone.localdate())
    payments: list[sepa.Payment] = []
    problems: list[str] = []
    for advance in advances:
        if advance.status != Advance.Status.DISBURSED or advance.amount_cents is None:
            problems.append(
                _("%(reference)s is not disbursed (%(status)s).")
                % {"reference": advance.reference, "status": advance.get_status_display()}
            )
            continue
        try:
            details = _payee(advance.organisation, advance.reference)
        except DomainError as error:
            problems.append(error.message)
            continue
        payments.append(
            sepa.Payment(
                name=details.holder,
                iban=details.iban,
                bic=details.bic,
                amount_cents=advance.amount_cents,
                end_to_end_id=advance.reference,
                description=f"Avance remboursable {advance.reference}",
                execution_date=execution_date,
            )
        )
    return _transfers(payments, problems)


def withdrawal_file(*, withdrawals: Iterable[Withdrawal], execution_date: dt.date | None = None) -> bytes:
    """The credit transfers (pain.001) that pay the withdrawals of deposits already paid."""
    execution_date = max(execution_date or timezone.localdate(), timezone.localdate())
    payments: list[sepa.Payment] = []
    problems: list[str] = []
    for withdrawal in withdrawals:
        deposit = withdrawal.deposit
        what = f"{deposit.reference} ({withdrawal.pk})"
        if withdrawal.status != Withdrawal.Status.PAID:
            problems.append(
                _("The withdrawal %(what)s is not paid (%(status)s).")
                % {"what": what, "status": withdrawal.get_status_display()}
            )
            continue
        try:
            details = _payee(deposit.organisation, what)
        except DomainError as error:
            problems.append(error.message)
            continue
        payments.append(
            sepa.Payment(
                name=details.holder,
                iban=details.iban,
                bic=details.bic,
                amount_cents=withdrawal.amount_cents,
                end_to_end_id=f"{deposit.reference}-R{withdrawal.pk}",
                description=f"Retrait sur l'apport {deposit.reference}",
                execution_date=execution_date,
            )
        )
    return _transfers(payments, problems)


def advances_disbursed_on(day: dt.date) -> list[Advance]:
    return list(
        Advance.objects.filter(status=Advance.Status.DISBURSED, disbursed_on=day)
        .select_related("organisation", "organisation__bank_details")
        .order_by("reference")
    )


def withdrawals_paid_on(day: dt.date) -> list[Withdrawal]:
    return list(
        Withdrawal.objects.filter(status=Withdrawal.Status.PAID, paid_on=day)
        .select_related("deposit", "deposit__organisation", "deposit__organisation__bank_details")
        .order_by("pk")
    )


# --- Direct debits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collectible:
    """An instalment a run on some collection date would put in the file."""

    advance: Advance
    mandate: Mandate
    due_on: dt.date
    amount_cents: int

    @property
    def end_to_end_id(self) -> str:
        return f"{self.advance.reference}-{self.due_on:%Y%m%d}"


def collectibles(collection_date: dt.date) -> list[Collectible]:
    """What `collections_prepare` would collect on that date: every instalment due by then, unpaid
    and never put in a file, of an advance disbursed to a member with a mandate in force."""
    advances = list(
        Advance.objects.filter(status=Advance.Status.DISBURSED)
        .select_related("organisation")
        .order_by("organisation__sort_name", "reference")
    )
    mandates: dict[int, Mandate | None] = {}
    collected = set(Collection.objects.filter(advance__in=advances).values_list("advance_id", "due_on"))
    found = []
    for advance in advances:
        if advance.organisation_id not in mandates:
            mandates[advance.organisation_id] = active_mandate(advance.organisation_id, collection_date)
        mandate = mandates[advance.organisation_id]
        if mandate is None:
            continue
        for due in selectors.amounts_due(advance, collection_date):
            if due.due_on <= collection_date and due.unpaid_cents > 0 and (advance.pk, due.due_on) not in collected:
                found.append(Collectible(advance, mandate, due.due_on, due.unpaid_cents))
    return found


@transaction.atomic(durable=True)
def collections_prepare(*, actor: User, collection_date: dt.date) -> tuple[bytes, list[Collection]]:
    """Write the direct-debit file (pain.008, CORE) collecting on `collection_date` what is due
    then, and the `Collection` rows that keep it from being collected twice. Nothing new to collect:
    (b"", [])."""
    _require(permissions.can_keep_treasury(actor))
    # CORE rulebook: the file reaches the bank at least one business day before the collection.
    if collection_date <= timezone.localdate():
        raise DomainError(
            _("The collection date must be after today: the bank needs the file at least one business day before."),
            field="collection_date",
            code="too_early",
        )
    # Concurrent runs queue on the mandates' rows (in one order), then find what the first wrote.
    list(Mandate.objects.select_for_update().filter(revoked_on__isnull=True).order_by("pk").values_list("pk"))
    found = collectibles(collection_date)
    if not found:
        return b"", []
    first_seen: set[int] = set()
    items: list[sepa.DirectDebit] = []
    collections: list[Collection] = []
    for item in found:
        mandate = item.mandate
        # FRST for the first collection under a mandate, RCUR after (pain.008 SeqTp). Several
        # instalments of a new mandate in one file: the first is FRST, the others RCUR.
        first = mandate.first_collected_on is None and mandate.pk not in first_seen
        first_seen.add(mandate.pk)
        collection = Collection.objects.create(
            advance=item.advance,
            mandate=mandate,
            due_on=item.due_on,
            amount_cents=item.amount_cents,
            end_to_end_id=item.end_to_end_id,
        )
        collections.append(collection)
        items.append(
            sepa.DirectDebit(
                name=mandate.holder,
                iban=mandate.iban,
                bic=mandate.bic,
                amount_cents=item.amount_cents,
                mandate_reference=mandate.reference,
                mandate_signed_on=mandate.signed_on,
                sequence_type=sepa.FIRST if first else sepa.RECURRENT,
                end_to_end_id=item.end_to_end_id,
                description=f"Avance {item.advance.reference} échéance du {item.due_on:%d/%m/%Y}",
            )
        )
        audit(
            actor=actor,
            action="treasury.collection.create",
            target=collection,
            advance=item.advance.reference,
            amount_cents=item.amount_cents,
            collection_date=collection_date.isoformat(),
        )
    Mandate.objects.filter(pk__in=first_seen, first_collected_on__isnull=True).update(
        first_collected_on=collection_date
    )
    return sepa.direct_debit_file(collection_date=collection_date, items=items), collections


# --- Bank statements ------------------------------------------------------------------------------


def _statement_problem(error: StatementError) -> str:
    """The parser's finding, in the reader's language, with where it is."""
    problems = {
        "no_header": _(
            "no header line found: the file needs a date, a label and an amount (or a debit and a credit) column"
        ),
        "date": _("not a date (DD/MM/YYYY expected)"),
        "amount": _("not an amount (1 234,56 expected)"),
        "no_amount": _("no amount"),
        "debit_and_credit": _("both a debit and a credit on one line"),
        "xml": _("not well-formed XML"),
        "doctype": _("a document type declaration is not allowed in a statement"),
        "not_camt053": _("not a CAMT.053 statement (versions 001.02 to 001.08)"),
        "currency": _("an amount in another currency than the euro"),
        "credit_debit": _("CRDT or DBIT expected"),
    }
    problem = problems.get(error.code, error.problem)
    if error.value:
        problem = f"{problem} ({error.value[:60]!r})"
    if error.line is not None and error.column:
        return _("Line %(line)s, column “%(column)s”: %(problem)s.") % {
            "line": error.line,
            "column": error.column,
            "problem": problem,
        }
    if error.line is not None:
        return _("Line %(line)s: %(problem)s.") % {"line": error.line, "problem": problem}
    return _("The file cannot be read: %(problem)s.") % {"problem": problem}


def read_statement(filename: str, data: bytes) -> tuple[str, list[StatementLine]]:
    """The format ("camt053" or "csv") and the lines; DomainError on the field "file"."""
    if not data.strip():
        raise DomainError(_("The file is empty."), field="file", code="empty")
    if len(data) > MAX_STATEMENT_BYTES:
        raise DomainError(_("The file is too large (5 MB at most)."), field="file", code="too_large")
    is_xml = filename.lower().endswith(".xml") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    try:
        if is_xml:
            return "camt053", bankstatements.parse_camt053(data)
        return "csv", bankstatements.parse_csv(data)
    except StatementError as error:
        raise DomainError(_statement_problem(error), field="file", code=f"statement_{error.code}") from error


def _advance_references(line: StatementLine) -> list[str]:
    found: list[str] = []
    for text in (line.reference, line.label):
        for match in ADVANCE_REFERENCE.finditer(text):
            reference = f"AV-{match.group(1)}-{match.group(2)}"
            if reference not in found:
                found.append(reference)
    return found


def _fingerprint(booked_on: dt.date, amount_cents: int, reference: str, label: str) -> tuple[object, ...]:
    return (booked_on, amount_cents, reference.strip().upper(), " ".join(label.split()).upper())


@dataclass
class _Outcome:
    status: str
    reason: str = ""
    repayment: Repayment | None = None


class _Matcher:
    """Decides each line of one statement, with what the database knows looked up once."""

    def __init__(self, actor: User, lines: Sequence[StatementLine]) -> None:
        self.actor = actor
        references = {ref for line in lines for ref in _advance_references(line)}
        self.advances = {a.reference: a for a in Advance.objects.filter(reference__in=references)}
        ids = {line.end_to_end_id for line in lines if line.end_to_end_id}
        self.collections = {
            c.end_to_end_id: c for c in Collection.objects.filter(end_to_end_id__in=ids).select_related("advance")
        }
        self.seen: dict[tuple[object, ...], BankStatement] = {}
        if lines:
            days = [line.booked_on for line in lines]
            for old in BankLine.objects.filter(booked_on__gte=min(days), booked_on__lte=max(days)).select_related(
                "statement"
            ):
                key = _fingerprint(old.booked_on, old.amount_cents, old.reference, old.label)
                self.seen.setdefault(key, old.statement)

    def decide(self, line: StatementLine, stored: tuple[str, str]) -> _Outcome:
        collection = self.collections.get(line.end_to_end_id) if line.end_to_end_id else None
        if line.amount_cents <= 0:
            if collection is not None:  # the debtor's bank sent our direct debit back
                return _Outcome(
                    BankLine.Status.TO_REVIEW,
                    _("direct debit %(id)s of %(reference)s returned by the bank")
                    % {"id": collection.end_to_end_id, "reference": collection.advance.reference},
                )
            return _Outcome(BankLine.Status.IGNORED, _("money out"))
        earlier = self.seen.get(_fingerprint(line.booked_on, line.amount_cents, *stored))
        if earlier is not None:
            return _Outcome(
                BankLine.Status.TO_REVIEW,
                _("the same operation was already imported from %(file)s on %(date)s")
                % {"file": earlier.filename, "date": _short_date(timezone.localtime(earlier.imported_at).date())},
            )
        origin = Repayment.Origin.BANK
        if collection is not None:
            advance = collection.advance
            origin = Repayment.Origin.DIRECT_DEBIT
        else:
            references = _advance_references(line)
            if not references:
                return _Outcome(BankLine.Status.TO_REVIEW, _("no advance reference found"))
            if len(references) > 1:
                return _Outcome(
                    BankLine.Status.TO_REVIEW,
                    _("several advance references: %(references)s") % {"references": ", ".join(references)},
                )
            found = self.advances.get(references[0])
            if found is None:
                return _Outcome(
                    BankLine.Status.TO_REVIEW, _("unknown advance %(reference)s") % {"reference": references[0]}
                )
            advance = found
        if advance.status not in RECORDABLE:
            return _Outcome(
                BankLine.Status.TO_REVIEW,
                _("advance %(reference)s is not disbursed (%(status)s)")
                % {"reference": advance.reference, "status": advance.get_status_display()},
            )
        return self.record(line, advance, origin)

    def record(self, line: StatementLine, advance: Advance, origin: str) -> _Outcome:
        try:
            with transaction.atomic():  # a savepoint: a refusal undoes this line alone
                repayment = treasury.repayment_record(
                    actor=self.actor,
                    advance=advance,
                    amount_cents=line.amount_cents,
                    received_on=line.booked_on,
                    origin=origin,
                    bank_reference=_bank_reference(line),
                )
        except DomainError as error:
            return _Outcome(BankLine.Status.TO_REVIEW, error.message)
        return _Outcome(BankLine.Status.MATCHED, repayment=repayment)


def _bank_reference(line: StatementLine) -> str:
    return (line.reference or line.end_to_end_id or line.label)[:140]


def _stored(line: StatementLine) -> tuple[str, str]:
    """The reference and label as a BankLine holds them."""
    return (line.reference or line.end_to_end_id)[:140], line.label[:300]


@transaction.atomic(durable=True)
def statement_import(*, actor: User, filename: str, data: bytes) -> BankStatement:
    """Read a statement and record the repayments it shows; see the module's docstring."""
    _require(permissions.can_keep_treasury(actor))
    digest = hashlib.sha256(data).hexdigest()
    earlier = BankStatement.objects.filter(sha256=digest).first()
    if earlier is not None:
        raise DomainError(
            _("This file was already imported on %(date)s (as %(filename)s): nothing was recorded again.")
            % {"date": _short_date(timezone.localtime(earlier.imported_at).date()), "filename": earlier.filename},
            field="file",
            code="duplicate",
        )
    kind, lines = read_statement(filename, data)
    if not lines:
        raise DomainError(_("The file holds no operation."), field="file", code="no_lines")
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                filename=filename[-200:],
                format=kind,
                sha256=digest,
                imported_by=actor,
                imported_at=timezone.now(),
            )
    except IntegrityError:  # the same file, imported at the same moment by another request
        raise DomainError(_("This file is being imported already."), field="file", code="duplicate") from None
    matcher = _Matcher(actor, lines)
    counts = {status: 0 for status in BankLine.Status.values}
    for line in lines:
        stored = _stored(line)
        outcome = matcher.decide(line, stored)
        BankLine.objects.create(
            statement=statement,
            booked_on=line.booked_on,
            amount_cents=line.amount_cents,
            reference=stored[0],
            label=stored[1],
            counterparty=line.counterparty[:140],
            status=outcome.status,
            reason=outcome.reason[:300],
            repayment=outcome.repayment,
        )
        counts[outcome.status] += 1
    audit(actor=actor, action="treasury.statement.import", target=statement, filename=statement.filename, **counts)
    return statement


def _line_to_review(line: BankLine) -> BankLine:
    line = BankLine.objects.select_for_update(of=("self",)).select_related("statement").get(pk=line.pk)
    if line.status != BankLine.Status.TO_REVIEW:
        raise DomainError(
            _("This line is no longer set aside (%(status)s).") % {"status": line.get_status_display()},
            code="state",
        )
    return line


@transaction.atomic(durable=True)
def bank_line_assign(*, actor: User, line: BankLine, advance: Advance) -> BankLine:
    """Record a line set aside as a repayment of the advance the treasurer chose."""
    _require(permissions.can_keep_treasury(actor))
    line = _line_to_review(line)
    if line.amount_cents <= 0:
        raise DomainError(_("Money out cannot repay an advance."), field="advance", code="debit")
    repayment = treasury.repayment_record(
        actor=actor,
        advance=advance,
        amount_cents=line.amount_cents,
        received_on=line.booked_on,
        origin=Repayment.Origin.BANK,
        bank_reference=(line.reference or line.label)[:140],
    )
    previous = line.reason
    line.status = BankLine.Status.MATCHED
    line.repayment = repayment
    line.reason = ""
    line.save(update_fields=["status", "repayment", "reason"])
    audit(
        actor=actor,
        action="treasury.bank_line.assign",
        target=line,
        advance=advance.reference,
        amount_cents=line.amount_cents,
        reason_was=previous,
    )
    return line


@transaction.atomic(durable=True)
def bank_line_ignore(*, actor: User, line: BankLine, reason: str = "") -> BankLine:
    """A line set aside that is not for the treasury (or was recorded by hand): nothing is posted."""
    _require(permissions.can_keep_treasury(actor))
    line = _line_to_review(line)
    previous = line.reason
    line.status = BankLine.Status.IGNORED
    line.reason = (" ".join(reason.split()) or _("set aside by the treasurer"))[:300]
    line.save(update_fields=["status", "reason"])
    audit(actor=actor, action="treasury.bank_line.ignore", target=line, reason=line.reason, reason_was=previous)
    return line
