"""The clearing API: consents, runs, proposals and their execution, the liquidity proposal.

The same services and selectors as the pages. The coordinator and the treasurer see every run with
every party; the people of a member organisation see the executed runs it took part in, with its own
position and its own invoices only (a proposal, or a run without it, answers 404). Amounts are in
cents. A refusal is a 403 (not allowed), a 409 (the proposal is out of date: compute it again, or
already executed) or a 422 (the rule it breaks), in the one shape of `cordee.core.apierrors`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.clearing import selectors, services
from cordee.clearing.models import Consent, Position, Run
from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.lib.clearing import MAX_TOTAL_CENTS
from cordee.network.models import Organisation

router = Router(tags=["clearing"], auth=django_auth)

# Refused because the proposal no longer matches the books, was already executed, or the consent is
# already recorded: the client must read the state again (compute anew), not fix its input.
CONFLICTS = ("stale", "executed", "exists")


def _status(error: DomainError) -> int:
    return 409 if error.code in CONFLICTS else refusal_status(error)


# --- Schemas (prefixed: schema names are unique across the whole API) ------------------------


class ClearingRunOut(Schema):
    id: int
    reference: str
    status: str = Field(description="proposed, executed or superseded")
    as_of: dt.date = Field(description="Invoices issued up to this day")
    computed_at: dt.datetime
    executed_at: dt.datetime | None
    executed_on: dt.date | None = Field(description="The value date of the set-off")
    invoice_count: int
    party_count: int
    debt_cents: int = Field(description="Open debt among the parties before the run")
    cleared_cents: int = Field(description="Debt cleared (each cent counted once, on the invoice it settles)")
    cleared_share: str = Field(description="cleared_cents / debt_cents as a decimal string, e.g. '0.6522'")
    cleared_invoice_count: int
    solve_ms: int


class ClearingPositionOut(Schema):
    organisation_id: int | None = Field(description="None: the hub")
    organisation: str
    owes_cents: int = Field(description="What the party owed before the run, on the invoices it read")
    owed_cents: int
    cleared_cents: int = Field(description="Cleared each way: on what it owes and on what it is owed")
    owes_after_cents: int
    owed_after_cents: int
    net_cents: int = Field(description="Owed minus owes, unchanged by the run")
    statement_url: str | None = Field(description="The PDF statement, once the run is executed")


class ClearingAllocationOut(Schema):
    invoice_id: int
    invoice_number: str
    debtor_id: int | None = Field(description="None: the hub")
    creditor_id: int | None
    open_cents: int = Field(description="Open on the invoice before the run")
    amount_cents: int = Field(description="Cleared on it by the run")
    settles_whole: bool


class ClearingRunDetailOut(ClearingRunOut):
    positions: list[ClearingPositionOut] = Field(description="Those of the parties you may see")
    allocations: list[ClearingAllocationOut] = Field(description="The invoices of those parties the run clears")


class ClearingRunIn(Schema):
    as_of: dt.date | None = Field(None, description="Invoices issued up to this day; today when left out")


class ClearingLiquidityQuery(Schema):
    cash_cents: int = Field(ge=0, le=MAX_TOTAL_CENTS, description="Cash the pool can lend for a few days, in cents")


class ClearingAdvanceOut(Schema):
    organisation_id: int | None
    amount_cents: int


class ClearingPaymentOut(Schema):
    debtor_id: int | None
    creditor_id: int | None
    amount_cents: int


class ClearingInvoicePaymentOut(Schema):
    invoice_id: int
    amount_cents: int


class ClearingLiquidityOut(Schema):
    run_id: int
    cash_cents: int
    remaining_cents: int = Field(description="Debt the run leaves open")
    settled_cents: int = Field(description="Debt the proposed payments settle")
    cash_used_cents: int
    advances: list[ClearingAdvanceOut] = Field(description="Short advances of the pool to the chains' first payers")
    payments: list[ClearingPaymentOut]
    invoice_payments: list[ClearingInvoicePaymentOut] = Field(description="Oldest due first, per (debtor, creditor)")
    settled_per_euro: str = Field(description="Debt settled per euro of cash used, an exact fraction 'p/q'")
    settled_per_euro_decimal: str = Field(description="The same, rounded to 4 decimals, e.g. '2.0000'")
    cycles_cents: int = Field(
        description="Debt that has formed cycles again since an executed run: left to the next clearing"
    )


class ClearingConsentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    agreement_version: str
    signed_on: dt.date
    signatory: str
    in_force: bool
    withdrawn_on: dt.date | None


class ClearingConsentIn(Schema):
    organisation_id: int
    signatory: str = Field(description="Name and capacity of who signed")
    signed_on: dt.date | None = Field(None, description="Today when left out; an earlier day: the coordinator only")


# --- Reading -----------------------------------------------------------------------------------


def _decimal(value: Fraction, places: int = 4) -> str:
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(quantum, rounding=ROUND_HALF_EVEN))


def _run(run: Run) -> dict[str, Any]:
    return {
        "id": run.pk,
        "reference": run.reference,
        "status": run.status,
        "as_of": run.as_of,
        "computed_at": run.computed_at,
        "executed_at": run.executed_at,
        "executed_on": run.executed_on,
        "invoice_count": run.invoice_count,
        "party_count": run.party_count,
        "debt_cents": run.debt_cents,
        "cleared_cents": run.cleared_cents,
        "cleared_share": _decimal(Fraction(run.cleared_cents, run.debt_cents or 1)),
        "cleared_invoice_count": run.cleared_invoice_count,
        "solve_ms": run.solve_ms,
    }


def _statement_url(run: Run, organisation_id: int | None) -> str | None:
    if run.status != Run.Status.EXECUTED:
        return None
    if organisation_id is None:
        return reverse("clearing:hub_statement", args=[run.pk])
    return reverse("clearing:statement", args=[run.pk, organisation_id])


def _position(run: Run, position: Position, hub_name: str) -> ClearingPositionOut:
    return ClearingPositionOut(
        organisation_id=position.organisation_id,
        organisation=position.organisation.name if position.organisation is not None else hub_name,
        owes_cents=position.owes_cents,
        owed_cents=position.owed_cents,
        cleared_cents=position.cleared_cents,
        owes_after_cents=position.owes_after_cents,
        owed_after_cents=position.owed_after_cents,
        net_cents=position.net_cents,
        statement_url=_statement_url(run, position.organisation_id),
    )


def _detail(user: Any, run: Run) -> ClearingRunDetailOut:
    allocations = run.allocations.select_related("invoice").order_by("invoice__due_date", "invoice_id")
    scope = permissions.clearing_scope(user)
    if scope is not None:
        allocations = allocations.filter(Q(debtor_id__in=scope) | Q(creditor_id__in=scope))
    return ClearingRunDetailOut(
        **_run(run),
        positions=[_position(run, position, settings.HUB_NAME) for position in selectors.positions_for(user, run)],
        allocations=[
            ClearingAllocationOut(
                invoice_id=allocation.invoice_id,
                invoice_number=allocation.invoice.number,
                debtor_id=allocation.debtor_id,
                creditor_id=allocation.creditor_id,
                open_cents=allocation.open_cents,
                amount_cents=allocation.amount_cents,
                settles_whole=allocation.settles_whole,
            )
            for allocation in allocations
        ],
    )


def _use(request: HttpRequest) -> None:
    if not permissions.can_use_clearing(request.user):
        raise HttpError(403, "Clearing is for the people of member organisations, the treasurer and the coordinator.")


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.select_related("membership").filter(pk=pk).first()
    if organisation is None:
        raise HttpError(404, "organisation_id: no such organisation.")
    return organisation


def _consent(consent: Consent) -> ClearingConsentOut:
    return ClearingConsentOut(
        id=consent.pk,
        organisation_id=consent.organisation_id,
        organisation=consent.organisation.name,
        agreement_version=consent.agreement_version,
        signed_on=consent.signed_on,
        signatory=consent.signatory,
        in_force=consent.in_force,
        withdrawn_on=consent.withdrawn_on,
    )


# --- Runs --------------------------------------------------------------------------------------


@router.get("/clearing/runs", response=list[ClearingRunOut], summary="Clearing runs you may see, newest first")
def list_clearing_runs(request: HttpRequest) -> list[ClearingRunOut]:
    _use(request)
    return [ClearingRunOut(**_run(run)) for run in selectors.runs_for(request.user)[:500]]


@router.post(
    "/clearing/runs",
    response={201: ClearingRunDetailOut, 403: Refusal, 422: Refusal},
    summary="Compute a clearing proposal (the coordinator); it replaces the proposal not yet executed",
)
def compute_clearing_run(request: HttpRequest, payload: ClearingRunIn) -> Status[ClearingRunDetailOut | Refusal]:
    _use(request)
    try:
        run = services.run_compute(actor=request.user, as_of=payload.as_of)  # type: ignore[arg-type]
    except DomainError as error:
        return Status(_status(error), refusal(error))
    return Status(201, _detail(request.user, run))


@router.get(
    "/clearing/runs/{run_id}",
    response=ClearingRunDetailOut,
    summary="One run: its totals, the positions and the cleared invoices of the parties you may see",
)
def get_clearing_run(request: HttpRequest, run_id: int) -> ClearingRunDetailOut:
    _use(request)
    return _detail(request.user, selectors.get_run_for_user(request.user, run_id))


@router.post(
    "/clearing/runs/{run_id}/execute",
    response={200: ClearingRunDetailOut, 403: Refusal, 404: Refusal, 409: Refusal, 422: Refusal},
    summary="Execute a proposal (the coordinator): settle its invoices and post the set-off, all or nothing",
    description="A proposal whose invoices changed since it was computed is refused with 409, code 'stale'.",
)
def execute_clearing_run(request: HttpRequest, run_id: int) -> Status[ClearingRunDetailOut | Refusal]:
    _use(request)
    run = selectors.get_run_for_user(request.user, run_id)
    try:
        run = services.run_execute(actor=request.user, run=run)  # type: ignore[arg-type]
    except DomainError as error:
        return Status(_status(error), refusal(error))
    return Status(200, _detail(request.user, run))


@router.get(
    "/clearing/runs/{run_id}/liquidity",
    response={200: ClearingLiquidityOut, 403: Refusal, 409: Refusal},
    summary="The payments the pool's cash would unlock after the run, as short advances",
)
def get_clearing_liquidity(
    request: HttpRequest, run_id: int, query: Query[ClearingLiquidityQuery]
) -> Status[ClearingLiquidityOut | Refusal]:
    if not permissions.can_see_clearing_runs(request.user):
        raise HttpError(403, "The liquidity proposal is for the treasurer and the coordinator.")
    run = selectors.get_run_for_user(request.user, run_id)
    plan = selectors.liquidity(run, query.cash_cents)
    return Status(
        200,
        ClearingLiquidityOut(
            run_id=run.pk,
            cash_cents=plan.cash_cents,
            remaining_cents=plan.remaining_cents,
            settled_cents=plan.settled_cents,
            cash_used_cents=plan.cash_used_cents,
            advances=[
                ClearingAdvanceOut(organisation_id=advance.organisation_id, amount_cents=advance.amount_cents)
                for advance in plan.advances
            ],
            payments=[
                ClearingPaymentOut(debtor_id=debtor, creditor_id=creditor, amount_cents=amount)
                for (debtor, creditor), amount in sorted(
                    plan.payments.items(), key=lambda item: (item[0][0] or 0, item[0][1] or 0)
                )
            ],
            invoice_payments=[
                ClearingInvoicePaymentOut(invoice_id=invoice_id, amount_cents=amount)
                for invoice_id, amount in sorted(plan.invoice_payments.items())
            ],
            settled_per_euro=f"{plan.settled_per_euro.numerator}/{plan.settled_per_euro.denominator}",
            settled_per_euro_decimal=_decimal(plan.settled_per_euro),
            cycles_cents=plan.cycles_cents,
        ),
    )


# --- Consents ----------------------------------------------------------------------------------


@router.get(
    "/clearing/consents",
    response=list[ClearingConsentOut],
    summary="Set-off consents: every one for the coordinator and the treasurer, your organisations' otherwise",
)
def list_clearing_consents(request: HttpRequest, in_force: bool | None = None) -> list[ClearingConsentOut]:
    _use(request)
    consents = Consent.objects.select_related("organisation").order_by("organisation__name", "-signed_on", "-pk")
    scope = permissions.clearing_scope(request.user)
    if scope is not None:
        consents = consents.filter(organisation_id__in=scope)
    if in_force is not None:
        consents = consents.filter(withdrawn_on__isnull=in_force)
    return [_consent(consent) for consent in consents[:1000]]


@router.post(
    "/clearing/consents",
    response={201: ClearingConsentOut, 403: Refusal, 404: Refusal, 409: Refusal, 422: Refusal},
    summary="Record that an organisation signed the set-off agreement (its member admin, or the coordinator)",
)
def sign_clearing_consent(request: HttpRequest, payload: ClearingConsentIn) -> Status[ClearingConsentOut | Refusal]:
    _use(request)
    try:
        consent = services.consent_sign(
            actor=request.user,  # type: ignore[arg-type]
            organisation=_organisation(payload.organisation_id),
            signatory=payload.signatory,
            signed_on=payload.signed_on,
        )
    except DomainError as error:
        return Status(_status(error), refusal(error))
    return Status(201, _consent(consent))


@router.post(
    "/clearing/consents/{organisation_id}/withdraw",
    response={200: ClearingConsentOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Withdraw an organisation's consent from today (its member admin, or the coordinator)",
)
def withdraw_clearing_consent(request: HttpRequest, organisation_id: int) -> Status[ClearingConsentOut | Refusal]:
    _use(request)
    try:
        consent = services.consent_withdraw(
            actor=request.user,  # type: ignore[arg-type]
            organisation=_organisation(organisation_id),
        )
    except DomainError as error:
        return Status(_status(error), refusal(error))
    return Status(200, _consent(consent))
