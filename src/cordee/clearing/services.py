"""Consents, clearing runs and their execution. The solver itself is `cordee.lib.clearing`.

A run reads the open internal invoices between consenting parties, aggregates them per (debtor,
creditor), clears the most that can be cleared, and gives each edge's cleared amount back to its
invoices, oldest due first. Executing it, in one transaction:
- checks that the invoices it read are still as they were (none paid, cancelled, disputed or
  settled meanwhile, no consent changed): otherwise the run is refused and must be computed again;
- records a settlement on each invoice cleared, and marks paid those cleared whole;
- posts the set-off to the ledger as one linked chain through the suspense account 471CLR: each
  party's payable (401) is debited by what it no longer owes, then each party's receivable (411)
  credited by what it is no longer owed; the suspense account ends where it started, at zero.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.clearing.models import AGREEMENT_VERSION, Allocation, Consent, Position, Run
from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.invoicing import books
from cordee.invoicing.models import Dispute, Invoice, Settlement
from cordee.ledger.codes import Result
from cordee.ledger.posting import MAX_BATCH, TransferSpec, transfers_create_nested
from cordee.ledger.services import account_open
from cordee.lib import clearing as solver
from cordee.network.models import Organisation

if TYPE_CHECKING:
    from cordee.core.models import User

HUB = 0  # the hub's key in the solver's graph (organisation ids start at 1)
SUSPENSE_ACCOUNT = "471CLR"
TRANSFER_NAMESPACE = uuid.UUID("0c3b8a9e-6f0d-4f7e-9a51-3e2d1c4b5a69")
CHUNK = 5_000  # ids per IN (...) list: SQLite allows 32 766 variables
T = TypeVar("T")

Progress = Callable[[str], None]


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Consent -----------------------------------------------------------------------------


def consent_in_force(organisation: Organisation) -> Consent | None:
    return Consent.objects.filter(organisation=organisation, withdrawn_on__isnull=True).first()


@transaction.atomic(durable=True)
def consent_sign(
    *, actor: User, organisation: Organisation, signatory: str, signed_on: dt.date | None = None
) -> Consent:
    """Record that the organisation signed the hub's set-off agreement. A member admin signs today;
    the coordinator may record a paper signature of an earlier date."""
    _require(permissions.can_sign_setoff_for(actor, organisation.pk))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise DomainError(_("The signature date cannot be in the future."), field="signed_on")
    if signed_on != today and not permissions.can_run_clearing(actor):
        raise DomainError(
            _("A member signs on the day; only the coordinator records an earlier signature."), field="signed_on"
        )
    signatory = signatory.strip()
    if not signatory:
        raise DomainError(_("Give the name and capacity of who signs for the organisation."), field="signatory")
    if len(signatory) > 200:
        raise DomainError(_("At most %(max)s characters.") % {"max": 200}, field="signatory")
    if organisation.membership.status not in ("active", "suspended"):
        raise DomainError(_("Only a member of the hub can sign the set-off agreement."), field="organisation")
    if consent_in_force(organisation) is not None:
        raise DomainError(
            _("%(name)s has already signed the set-off agreement.") % {"name": organisation.name}, code="exists"
        )
    consent = Consent.objects.create(
        organisation=organisation,
        agreement_version=AGREEMENT_VERSION,
        signed_on=signed_on,
        signed_by=actor,
        signatory=signatory,
    )
    audit(actor=actor, action="clearing.consent.sign", target=consent, signed_on=signed_on.isoformat())
    return consent


@transaction.atomic(durable=True)
def consent_withdraw(*, actor: User, organisation: Organisation) -> Consent:
    """Withdraw the organisation's consent from today: runs computed from now on leave it out, and a
    proposal computed with it can no longer be executed."""
    _require(permissions.can_sign_setoff_for(actor, organisation.pk))
    consent = Consent.objects.select_for_update().filter(organisation=organisation, withdrawn_on__isnull=True).first()
    if consent is None:
        raise DomainError(_("%(name)s has not signed the set-off agreement.") % {"name": organisation.name})
    consent.withdrawn_on = max(timezone.localdate(), consent.signed_on)
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit(actor=actor, action="clearing.consent.withdraw", target=consent)
    return consent


# --- What a run reads --------------------------------------------------------------------


def open_invoices(as_of: dt.date) -> QuerySet[Invoice]:
    """Issued, unpaid, undisputed internal invoices issued on or before `as_of` whose two parties
    take part (the hub always does; a member once it has signed, on or before `as_of`, and not
    withdrawn), annotated with `open_cents`, oldest due first."""
    consenting = Consent.objects.filter(signed_on__lte=as_of, withdrawn_on__isnull=True).values("organisation_id")
    settled = (
        Settlement.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    return (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED, issue_date__lte=as_of)
        .filter(Q(issuer__isnull=True) | Q(issuer__in=consenting))
        .filter(Q(recipient__isnull=True) | Q(recipient__in=consenting))
        .exclude(Exists(Dispute.objects.filter(invoice=OuterRef("pk"), closed_at__isnull=True)))
        .annotate(open_cents=F("total_incl_vat_cents") - Coalesce(Subquery(settled), Value(0)))
        .filter(open_cents__gt=0)
        .order_by("due_date", "issue_date", "pk")
    )


@dataclass(frozen=True)
class OpenInvoice:
    pk: int
    debtor: int  # organisation id, or HUB
    creditor: int
    open_cents: int


def _read(as_of: dt.date, last_invoice_id: int | None = None) -> list[OpenInvoice]:
    invoices = open_invoices(as_of)
    if last_invoice_id is not None:
        invoices = invoices.filter(pk__lte=last_invoice_id)
    return [
        OpenInvoice(pk, recipient or HUB, issuer or HUB, open_cents)
        for pk, issuer, recipient, open_cents in invoices.values_list(  # type: ignore[misc]  # annotated
            "pk", "issuer_id", "recipient_id", "open_cents"
        )
    ]


def _fingerprint(invoices: Iterable[OpenInvoice]) -> str:
    digest = hashlib.sha256()
    for invoice in sorted(invoices, key=lambda item: item.pk):
        digest.update(f"{invoice.pk}:{invoice.open_cents};".encode())
    return digest.hexdigest()


def obligations_of(invoices: Iterable[OpenInvoice]) -> dict[tuple[int, int], int]:
    obligations: dict[tuple[int, int], int] = defaultdict(int)
    for invoice in invoices:
        obligations[invoice.debtor, invoice.creditor] += invoice.open_cents
    return dict(obligations)


def allocate(invoices: Iterable[OpenInvoice], amounts: dict[tuple[int, int], int]) -> dict[int, int]:
    """Give each edge's amount to its invoices in the order given (oldest due first): invoice id ->
    cents. Every cent of every edge is given; no invoice gets more than is open on it."""
    left = {edge: amount for edge, amount in amounts.items() if amount > 0}
    given: dict[int, int] = {}
    for invoice in invoices:
        edge = (invoice.debtor, invoice.creditor)
        remaining = left.get(edge, 0)
        if remaining <= 0:
            continue
        amount = min(remaining, invoice.open_cents)
        given[invoice.pk] = amount
        left[edge] = remaining - amount
    if any(left.values()):
        raise solver.ClearingError("an edge's amount exceeds what its invoices have open")
    return given


# --- Computing a run ---------------------------------------------------------------------


def _next_reference(on: dt.date) -> str:
    start = f"CM-{on.year}-"
    last = Run.objects.filter(reference__startswith=start).order_by("-reference").values_list("reference", flat=True)
    number = int(last[0].removeprefix(start)) + 1 if last else 1
    return f"{start}{number:04d}"


def _organisation(key: int) -> int | None:
    return None if key == HUB else key


@transaction.atomic(durable=True)
def run_compute(*, actor: User, as_of: dt.date | None = None, progress: Progress | None = None) -> Run:
    """Compute a clearing proposal over the invoices issued up to `as_of` (today by default). It
    replaces the proposal not yet executed, if any."""
    _require(permissions.can_run_clearing(actor))
    say = progress or (lambda message: None)
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise DomainError(_("The date cannot be in the future."), field="as_of")
    # One proposal at a time: lock the current one (if any) before reading, so two coordinators
    # computing at once are serialised on it.
    for previous in Run.objects.select_for_update().filter(status=Run.Status.PROPOSED):
        previous.status = Run.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    say(_("Reading the open invoices…"))
    last_invoice_id = Invoice.objects.aggregate(last=Max("pk"))["last"] or 0
    invoices = _read(as_of, last_invoice_id)
    obligations = obligations_of(invoices)
    parties = {party for edge in obligations for party in edge}
    say(
        _("%(invoices)s open invoices among %(parties)s parties; solving…")
        % {"invoices": len(invoices), "parties": len(parties)}
    )
    started = time.perf_counter()
    result = solver.clear(obligations)
    solve_ms = round((time.perf_counter() - started) * 1000)
    allocations = allocate(invoices, result.cleared)
    run = Run.objects.create(
        reference=_next_reference(today),
        as_of=as_of,
        computed_at=timezone.now(),
        computed_by=actor,
        last_invoice_id=last_invoice_id,
        fingerprint=_fingerprint(invoices),
        invoice_count=len(invoices),
        party_count=len(parties),
        debt_cents=sum(obligations.values()),
        cleared_cents=result.total_cents,
        cleared_invoice_count=len(allocations),
        solve_ms=solve_ms,
    )
    say(_("Recording the proposal…"))
    Allocation.objects.bulk_create(
        (
            Allocation(
                run=run,
                invoice_id=invoice.pk,
                debtor_id=_organisation(invoice.debtor),
                creditor_id=_organisation(invoice.creditor),
                open_cents=invoice.open_cents,
                amount_cents=allocations[invoice.pk],
            )
            for invoice in invoices
            if invoice.pk in allocations
        ),
        batch_size=2_000,
    )
    Position.objects.bulk_create(
        (
            Position(
                run=run,
                organisation_id=_organisation(party),
                owes_cents=owes,
                owed_cents=owed,
                cleared_cents=cleared,
            )
            for party, owes, owed, cleared in _positions(obligations, result.cleared)
        ),
        batch_size=2_000,
    )
    audit(actor=actor, action="clearing.run.compute", target=run, cleared_cents=run.cleared_cents)
    return run


def _positions(
    obligations: dict[tuple[int, int], int], cleared: dict[tuple[int, int], int]
) -> list[tuple[int, int, int, int]]:
    """(party, owes, is owed, cleared each way) for every party of the graph."""
    owes: dict[int, int] = defaultdict(int)
    owed: dict[int, int] = defaultdict(int)
    cleared_out: dict[int, int] = defaultdict(int)
    cleared_in: dict[int, int] = defaultdict(int)
    for (debtor, creditor), amount in obligations.items():
        owes[debtor] += amount
        owed[creditor] += amount
        done = cleared.get((debtor, creditor), 0)
        cleared_out[debtor] += done
        cleared_in[creditor] += done
    parties = sorted(set(owes) | set(owed))
    if any(cleared_out[party] != cleared_in[party] for party in parties):
        raise solver.ClearingError("a party's net position would change")
    return [(party, owes[party], owed[party], cleared_out[party]) for party in parties]


# --- Executing a run ---------------------------------------------------------------------


def stale_reason(run: Run) -> str | None:
    """Why the run can no longer be executed as computed, or None if it still can."""
    allocated = dict(run.allocations.order_by().values_list("invoice_id", "open_cents"))  # no join for the order
    current = _read(run.as_of, run.last_invoice_id)
    now_open = {invoice.pk: invoice.open_cents for invoice in current}
    changed = [pk for pk, open_cents in allocated.items() if now_open.get(pk) != open_cents]
    if changed:
        numbers = list(Invoice.objects.filter(pk__in=changed[:5]).order_by("pk").values_list("number", flat=True))
        more = len(changed) - len(numbers)
        listed = ", ".join(numbers) + (_(" and %(count)s more") % {"count": more} if more else "")
        return _(
            "Invoices of this proposal have been paid, cancelled, disputed or left out since it was computed "
            "(%(invoices)s): compute the clearing again."
        ) % {"invoices": listed}
    if _fingerprint(current) != run.fingerprint:
        return _(
            "The open invoices have changed since this proposal was computed (a payment, a dispute, a consent): "
            "compute the clearing again."
        )
    return None


def _check_executable(run: Run) -> None:
    if run.status == Run.Status.EXECUTED:
        assert run.executed_on is not None
        raise DomainError(
            _("Clearing %(reference)s was already executed on %(date)s.")
            % {"reference": run.reference, "date": run.executed_on.strftime("%d/%m/%Y")},
            code="executed",
        )
    if run.status == Run.Status.SUPERSEDED:
        raise DomainError(
            _("Clearing %(reference)s has been replaced by a newer proposal.") % {"reference": run.reference},
            code="stale",
        )
    if run.cleared_cents == 0:
        raise DomainError(_("This proposal clears nothing: there is nothing to execute."), code="empty")


def _transfer_id(run: Run, party: int, side: str) -> uuid.UUID:
    return uuid.uuid5(TRANSFER_NAMESPACE, f"clearing:{run.pk}:{party}:{side}")


def _post(run: Run, positions: list[Position], on: dt.date, progress: Progress) -> None:
    suspense = account_open(ledger=books.LEDGER, number=SUSPENSE_ACCOUNT, label="Compensations multilatérales")
    organisations = Organisation.objects.in_bulk([p.organisation_id for p in positions if p.organisation_id])
    accounts = books.parties_accounts({p.organisation_id: organisations.get(p.organisation_id) for p in positions})
    specs: list[TransferSpec] = []
    credits: list[TransferSpec] = []
    label = f"Compensation multilatérale {run.reference}"
    for position in positions:
        party = position.organisation_id or HUB
        receivable, payable = accounts[position.organisation_id]
        common = {
            "ledger": books.LEDGER,
            "amount": position.cleared_cents,
            "code": "clearing.setoff",
            "reference": f"clearing:{run.pk}",
            "journal": "OD",
            "piece": run.reference,
            "value_date": on,
        }
        specs.append(
            TransferSpec(
                id=_transfer_id(run, party, "payable"),
                debit_account_id=payable.pk,
                credit_account_id=suspense.pk,
                label=f"{label} — dettes",
                **common,  # type: ignore[arg-type]
            )
        )
        credits.append(
            TransferSpec(
                id=_transfer_id(run, party, "receivable"),
                debit_account_id=suspense.pk,
                credit_account_id=receivable.pk,
                label=f"{label} — créances",
                **common,  # type: ignore[arg-type]
            )
        )
    specs += credits
    # One linked chain; a chain longer than a ledger batch is posted in several batches of the same
    # transaction, which rolls back whole if any transfer is refused.
    for start in range(0, len(specs), MAX_BATCH):
        batch = specs[start : start + MAX_BATCH]
        batch = [replace(spec, linked=index < len(batch) - 1) for index, spec in enumerate(batch)]
        results = transfers_create_nested(batch)
        refused = [result for result in results if result != Result.OK]
        if refused:
            raise DomainError(
                _("The ledger refused the clearing (%(result)s); nothing has been recorded.")
                % {"result": refused[0].value}
            )
        progress(_("%(done)s of %(total)s transfers posted") % {"done": start + len(batch), "total": len(specs)})


@transaction.atomic(durable=True)
def run_execute(*, actor: User, run: Run, progress: Progress | None = None) -> Run:
    """Execute a proposal: settle its invoices and post the set-off, all or nothing."""
    _require(permissions.can_run_clearing(actor))
    say = progress or (lambda message: None)
    run = Run.objects.select_for_update().get(pk=run.pk)
    _check_executable(run)
    allocated = Allocation.objects.filter(run=run)
    say(_("Locking %(count)s invoices…") % {"count": run.cleared_invoice_count})
    list(
        Invoice.objects.select_for_update()
        .filter(pk__in=allocated.values("invoice_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reason = stale_reason(run)
    if reason is not None:
        raise DomainError(reason, code="stale")
    on = timezone.localdate()
    now = timezone.now()
    say(_("Settling the invoices…"))
    _settle(run, on, now)
    Invoice.objects.filter(
        pk__in=allocated.filter(amount_cents=F("open_cents")).values("invoice_id"), status=Invoice.Status.ISSUED
    ).update(status=Invoice.Status.PAID, paid_on=on, updated_at=now)
    positions = list(run.positions.filter(cleared_cents__gt=0).order_by(F("organisation_id").asc(nulls_first=True)))
    _post(run, positions, on, say)
    run.status = Run.Status.EXECUTED
    run.executed_at = now
    run.executed_on = on
    run.executed_by = actor
    run.save(update_fields=["status", "executed_at", "executed_on", "executed_by"])
    audit(actor=actor, action="clearing.run.execute", target=run, cleared_cents=run.cleared_cents)
    transaction.on_commit(lambda: _notify(run))
    return run


def _settle(run: Run, on: dt.date, now: dt.datetime) -> None:
    """One settlement per invoice the run clears, written by the database from the run's allocations
    in one statement (a run may clear tens of thousands of invoices)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO invoicing_settlement (invoice_id, kind, amount_cents, settled_on, reference, created_at) "
            "SELECT invoice_id, %s, amount_cents, %s, %s, %s FROM clearing_allocation WHERE run_id = %s",
            [
                Settlement.Kind.CLEARING.value,
                connection.ops.adapt_datefield_value(on),
                f"clearing:{run.pk}",
                connection.ops.adapt_datetimefield_value(now),
                run.pk,
            ],
        )


def _notify(run: Run) -> None:
    """Each member cleared receives its statement; the hook is replaced by the pages' module."""
    from cordee.clearing import statements

    statements.send_all(run)
