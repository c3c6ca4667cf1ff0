"""The treasury API: deposits, advances with their schedule and checks, repayments, the pool.

The same services as the pages; a member admin sees its own organisations' rows only, the
committee the requests put to it, the treasurer and the coordinator everything."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.network.models import Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Deposit, RepaymentMode

router = Router(tags=["treasury"], auth=django_auth)


_refusal = refusal
_status = refusal_status


class DepositOut(Schema):
    id: int
    reference: str
    organisation_id: int
    kind: str
    status: str
    amount_cents: int
    balance_cents: int
    term_date: dt.date | None
    notice_days: int | None
    rate_bps: int
    received_on: dt.date | None


class DepositIn(Schema):
    organisation_id: int
    amount_cents: int = Field(description="In cents, more than zero")
    kind: Deposit.Kind = Deposit.Kind.LOAN
    term_date: dt.date | None = None
    notice_days: int | None = None
    rate_bps: int = 0


class InstalmentOut(Schema):
    number: int
    due_on: dt.date
    principal_cents: int
    interest_cents: int
    unpaid_cents: int


class CheckOut(Schema):
    code: str
    passed: bool
    reason: str


class AdvanceOut(Schema):
    id: int
    reference: str
    organisation_id: int
    status: str
    amount_requested_cents: int
    amount_cents: int | None
    rate_bps: int
    term_months: int
    mode: str
    source: str
    funder: str
    expected_payment_on: dt.date | None
    decision_id: int | None
    disbursed_on: dt.date | None
    outstanding_cents: int
    arrears_cents: int
    days_past_due: int


class AdvanceDetailOut(AdvanceOut):
    schedule: list[InstalmentOut]
    checks: list[CheckOut] | None = Field(description="Shown to the committee and the pool's keepers")


class AdvanceIn(Schema):
    organisation_id: int
    amount_cents: int
    purpose: str
    source: Advance.Source
    term_months: int
    mode: RepaymentMode
    grace_months: int = 0
    funder: str = ""
    notified_amount_cents: int | None = None
    funder_decision_on: dt.date | None = None
    expected_payment_on: dt.date | None = None


class RepaymentIn(Schema):
    amount_cents: int
    received_on: dt.date
    bank_reference: str = ""
    prepayment_option: str = Field("", description='"shorten" or "reduce" when it repays early')


class RepaymentOut(Schema):
    id: int
    amount_cents: int
    received_on: dt.date
    penalties_cents: int
    fees_cents: int
    interest_cents: int
    principal_cents: int
    recovery_cents: int


class PoolOut(Schema):
    cash_cents: int
    available_cents: int
    reserve_cents: int
    committed_cents: int
    outstanding_cents: int
    deposits_cents: int
    withdrawals_due_cents: int
    arrears_cents: int
    at_risk_30_cents: int
    buckets: dict[str, int]


def _deposit(deposit: Deposit) -> DepositOut:
    return DepositOut(
        id=deposit.pk,
        reference=deposit.reference,
        organisation_id=deposit.organisation_id,
        kind=deposit.kind,
        status=deposit.status,
        amount_cents=deposit.amount_cents,
        balance_cents=selectors.deposit_balance_cents(deposit),
        term_date=deposit.term_date,
        notice_days=deposit.notice_days,
        rate_bps=deposit.rate_bps,
        received_on=deposit.received_on,
    )


def _advance_fields(advance: Advance) -> dict[str, object]:
    place = selectors.position(advance, timezone.localdate())
    return {
        "id": advance.pk,
        "reference": advance.reference,
        "organisation_id": advance.organisation_id,
        "status": advance.status,
        "amount_requested_cents": advance.amount_requested_cents,
        "amount_cents": advance.amount_cents,
        "rate_bps": advance.rate_bps,
        "term_months": advance.term_months,
        "mode": advance.mode,
        "source": advance.source,
        "funder": advance.funder,
        "expected_payment_on": advance.expected_payment_on,
        "decision_id": advance.decision_id,
        "disbursed_on": advance.disbursed_on,
        "outstanding_cents": place.outstanding_cents,
        "arrears_cents": place.arrears_cents,
        "days_past_due": place.days_past_due,
    }


def _use(request: HttpRequest) -> None:
    if not permissions.can_use_treasury(request.user):
        raise HttpError(403, "The treasury is for member admins, the committee, the treasurer and the coordinator.")


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise HttpError(404, "organisation_id: no such organisation.")
    return organisation


@router.get("/treasury/pool", response=PoolOut, summary="The pool's figures (treasurer and coordinator)")
def get_pool(request: HttpRequest) -> PoolOut:
    if not permissions.can_see_pool(request.user):
        raise HttpError(403, "The pool's figures are for the treasurer and the coordinator.")
    figures = selectors.pool_figures()
    return PoolOut(
        cash_cents=figures.cash_cents,
        available_cents=figures.available_cents,
        reserve_cents=figures.reserve_cents,
        committed_cents=figures.committed_cents,
        outstanding_cents=figures.outstanding_cents,
        deposits_cents=figures.deposits_cents,
        withdrawals_due_cents=figures.withdrawals_due_cents,
        arrears_cents=figures.arrears_cents,
        at_risk_30_cents=figures.at_risk_30_cents,
        buckets=figures.buckets,
    )


@router.get("/treasury/deposits", response=list[DepositOut], summary="Deposits you may see, newest first")
def list_deposits(request: HttpRequest) -> list[DepositOut]:
    _use(request)
    return [_deposit(deposit) for deposit in selectors.deposits_for(request.user).order_by("-proposed_at")[:500]]


@router.post(
    "/treasury/deposits",
    response={201: DepositOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Propose a deposit (a member admin, for its organisation)",
)
def propose_deposit(request: HttpRequest, payload: DepositIn) -> Status[DepositOut | Refusal]:
    _use(request)
    try:
        deposit = services.deposit_propose(
            actor=request.user,  # type: ignore[arg-type]
            organisation=_organisation(payload.organisation_id),
            amount_cents=payload.amount_cents,
            kind=payload.kind,
            term_date=payload.term_date,
            notice_days=payload.notice_days,
            rate_bps=payload.rate_bps,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(201, _deposit(deposit))


@router.get("/treasury/advances", response=list[AdvanceOut], summary="Advances you may see, newest first")
def list_advances(request: HttpRequest, status: Advance.Status | None = None) -> list[AdvanceOut]:
    _use(request)
    rows = selectors.advances_for(request.user).order_by("-requested_at")
    if status:
        rows = rows.filter(status=status)
    return [AdvanceOut(**_advance_fields(advance)) for advance in rows[:500]]  # type: ignore[arg-type]


@router.get("/treasury/advances/{advance_id}", response=AdvanceDetailOut, summary="One advance, its schedule, checks")
def get_advance(request: HttpRequest, advance_id: int) -> AdvanceDetailOut:
    _use(request)
    advance = selectors.get_advance_for_user(request.user, advance_id)
    today = timezone.localdate()
    applicant_only = not permissions.can_see_pool(request.user) and permissions.can_act_for_treasury_of(
        request.user, advance.organisation_id
    )
    checks = None
    if not applicant_only:
        checks = [CheckOut(code=c.code, passed=c.passed, reason=c.reason) for c in selectors.advance_checks(advance)]
    return AdvanceDetailOut(
        **_advance_fields(advance),  # type: ignore[arg-type]
        schedule=[
            InstalmentOut(
                number=due.number,
                due_on=due.due_on,
                principal_cents=due.principal_cents,
                interest_cents=due.interest_cents,
                unpaid_cents=due.unpaid_cents,
            )
            for due in selectors.amounts_due(advance, today)
        ],
        checks=checks,
    )


@router.post(
    "/treasury/advances",
    response={201: AdvanceOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Request an advance (a member admin); the credit committee is seized",
)
def request_advance(request: HttpRequest, payload: AdvanceIn) -> Status[AdvanceOut | Refusal]:
    _use(request)
    try:
        advance = services.advance_request(
            actor=request.user,  # type: ignore[arg-type]
            organisation=_organisation(payload.organisation_id),
            amount_cents=payload.amount_cents,
            purpose=payload.purpose,
            source=payload.source,
            term_months=payload.term_months,
            mode=payload.mode,
            grace_months=payload.grace_months,
            funder=payload.funder,
            notified_amount_cents=payload.notified_amount_cents,
            funder_decision_on=payload.funder_decision_on,
            expected_payment_on=payload.expected_payment_on,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(201, AdvanceOut(**_advance_fields(advance)))  # type: ignore[arg-type]


@router.post(
    "/treasury/advances/{advance_id}/repayments",
    response={201: RepaymentOut, 403: Refusal, 422: Refusal},
    summary="Record a repayment (the treasurer): penalties, fees, interest, principal, then early repayment",
)
def record_repayment(request: HttpRequest, advance_id: int, payload: RepaymentIn) -> Status[RepaymentOut | Refusal]:
    _use(request)
    advance = selectors.get_advance_for_user(request.user, advance_id)
    try:
        with transaction.atomic(durable=True):
            repayment = services.repayment_record(
                actor=request.user,  # type: ignore[arg-type]
                advance=advance,
                amount_cents=payload.amount_cents,
                received_on=payload.received_on,
                bank_reference=payload.bank_reference,
                prepayment_option=payload.prepayment_option,
            )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(
        201,
        RepaymentOut(
            id=repayment.pk,
            amount_cents=repayment.amount_cents,
            received_on=repayment.received_on,
            penalties_cents=repayment.penalties_cents,
            fees_cents=repayment.fees_cents,
            interest_cents=repayment.interest_cents,
            principal_cents=repayment.principal_cents,
            recovery_cents=repayment.recovery_cents,
        ),
    )
