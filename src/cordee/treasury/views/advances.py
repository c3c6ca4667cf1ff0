"""Advances: the request, the committee's review, disbursement, repayments and arrears."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.governance.models import Decision
from cordee.treasury import selectors, services
from cordee.treasury.forms import (
    AdvanceRequestForm,
    ChargeForm,
    DecideForm,
    DisburseForm,
    ReasonForm,
    RepaymentForm,
    RescheduleForm,
    WriteOffForm,
    initial_from_query,
)
from cordee.treasury.models import Advance
from cordee.treasury.views.common import actor, done, refused


@require(permissions.can_use_treasury)
def advances(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    rows = selectors.advances_for(request.user).order_by("-requested_at")
    if status in Advance.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "treasury/advances.html",
        {
            "advances": rows,
            "status": status,
            "statuses": Advance.Status.choices,
            "can_request": permissions.can_act_for_some_treasury(request.user),
        },
    )


@require(permissions.can_act_for_some_treasury)
def advance_request(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    organisations = selectors.organisations_for(user).filter(pk__in=permissions.treasury_organisations(user))
    form = AdvanceRequestForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial=initial_from_query(request.GET) if request.method == "GET" else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            attachment = data.get("attachment")
            try:
                advance = services.advance_request(
                    actor=user,
                    organisation=data["organisation"],
                    amount_cents=data["amount"],
                    purpose=data["purpose"],
                    source=data["source"],
                    term_months=data["term_months"],
                    mode=data["mode"],
                    grace_months=data["grace_months"] or 0,
                    funder=data["funder"],
                    notified_amount_cents=data["notified_amount"],
                    funder_decision_on=data["funder_decision_on"],
                    expected_payment_on=data["expected_payment_on"],
                    notification=data["notification"],
                    attachments=[(attachment.name, attachment)] if attachment else [],
                )
            except DomainError as exc:
                refused(form, exc)
            else:
                done(
                    request,
                    _("Advance %(reference)s is requested; the credit committee will examine it.")
                    % {"reference": advance.reference},
                )
                return redirect(advance)
        status = 400
    return render(request, "treasury/advance_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, advance: Advance, status: int = 200, **forms: Any) -> HttpResponse:
    user = actor(request)
    today = timezone.localdate()
    keeper = permissions.can_keep_treasury(user)
    pool = permissions.can_see_pool(user)
    mine = permissions.can_act_for_treasury_of(user, advance.organisation_id)
    decision = advance.decision
    schedules = list(advance.schedules.prefetch_related("instalments").order_by("-version"))
    context: dict[str, Any] = {
        "advance": advance,
        "position": selectors.position(advance, today) if advance.status == Advance.Status.DISBURSED else None,
        "dues": selectors.amounts_due(advance, today),
        "schedules": schedules,
        "repayments": advance.repayments.order_by("-received_on", "-pk"),
        "charges": advance.charges.order_by("-charged_on"),
        "attachments": advance.attachments.all(),
        "checks": selectors.advance_checks(advance, today)
        if (advance.status in (Advance.Status.REQUESTED, Advance.Status.APPROVED) and not mine) or pool
        else None,
        "decision": decision,
        "can_vote": decision is not None and decision.status == Decision.Status.OPEN,
        "can_decide": pool and advance.status == Advance.Status.REQUESTED,
        "can_cancel": mine and advance.status == Advance.Status.REQUESTED,
        "can_give_up": (mine or keeper) and advance.status == Advance.Status.APPROVED,
        "can_disburse": keeper and advance.status == Advance.Status.APPROVED,
        "can_repay": keeper and advance.status in (Advance.Status.DISBURSED, Advance.Status.WRITTEN_OFF),
        "can_manage": keeper and advance.status == Advance.Status.DISBURSED,
        "decide_form": forms.get("decide_form") or DecideForm(),
        "disburse_form": forms.get("disburse_form") or DisburseForm(),
        "repayment_form": forms.get("repayment_form") or RepaymentForm(),
        "charge_form": forms.get("charge_form") or ChargeForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "write_off_form": forms.get("write_off_form") or WriteOffForm(),
        "give_up_form": forms.get("give_up_form") or ReasonForm(),
        "refused_form": next((form for form in forms.values() if form.errors), None),
    }
    if decision is not None:
        from cordee.governance import selectors as governance

        context["tally"] = governance.tally(decision)
    return render(request, "treasury/advance_detail.html", context, status=status)


@require(permissions.can_use_treasury)
def advance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_advance_for_user(request.user, pk))


def _post(
    request: HttpRequest,
    pk: int,
    form_class: type,
    form_name: str,
    call: Any,
    message: str,
    may: Any = None,
) -> HttpResponse:
    """The shape every action on an advance shares: parse, call the service, redirect or show why."""
    advance = selectors.get_advance_for_user(request.user, pk)
    if may is not None and not may(request.user, advance):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(advance, form.cleaned_data)
        except DomainError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied from exc
            refused(form, exc)
        else:
            done(request, message % {"reference": advance.reference})
            return redirect(advance)
    advance.refresh_from_db()
    return _detail(request, advance, status=400, **{form_name: form})


@require_POST
@require(permissions.can_see_pool)
def advance_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        DecideForm,
        "decide_form",
        lambda advance, data: services.advance_decide(
            actor=actor(request),
            advance=advance,
            amount_cents=data["amount"],
            rate_bps=data["rate"],
            conditions=data["conditions"],
            reasons=data["reasons"],
        ),
        _("The committee's decision on %(reference)s is recorded."),
    )


@require_POST
@require(permissions.can_use_treasury)
def advance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    advance = selectors.get_advance_for_user(request.user, pk)
    try:
        services.advance_cancel(actor=actor(request), advance=advance)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        form = ReasonForm()
        form.add_error(None, exc.message)
        return _detail(request, advance, status=400, cancel_form=form)
    done(request, _("The request %(reference)s is withdrawn.") % {"reference": advance.reference})
    return redirect(advance)


@require_POST
@require(permissions.can_use_treasury)
def advance_give_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ReasonForm,
        "give_up_form",
        lambda advance, data: services.advance_withdraw_approval(
            actor=actor(request), advance=advance, reason=data["reason"]
        ),
        _("The approval of %(reference)s is given up; the cash held is released."),
        may=permissions.can_give_up_advance,
    )


@require_POST
@require(permissions.can_keep_treasury)
def advance_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        DisburseForm,
        "disburse_form",
        lambda advance, data: services.advance_disburse(actor=actor(request), advance=advance, on=data["on"]),
        _("Advance %(reference)s is disbursed."),
    )


@require_POST
@require(permissions.can_keep_treasury)
def advance_repayment(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        RepaymentForm,
        "repayment_form",
        lambda advance, data: _record(request, advance, data),
        _("The repayment of %(reference)s is recorded."),
    )


def _record(request: HttpRequest, advance: Advance, data: dict[str, Any]) -> None:
    from django.db import transaction

    with transaction.atomic(durable=True):
        services.repayment_record(
            actor=actor(request),
            advance=advance,
            amount_cents=data["amount"],
            received_on=data["received_on"],
            bank_reference=data["bank_reference"],
            prepayment_option=data["prepayment_option"],
        )


@require_POST
@require(permissions.can_keep_treasury)
def advance_charge(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ChargeForm,
        "charge_form",
        lambda advance, data: services.charge_add(
            actor=actor(request), advance=advance, kind=data["kind"], amount_cents=data["amount"], label=data["label"]
        ),
        _("The charge on %(reference)s is recorded."),
    )


@require_POST
@require(permissions.can_keep_treasury)
def advance_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        RescheduleForm,
        "reschedule_form",
        lambda advance, data: services.advance_reschedule(
            actor=actor(request),
            advance=advance,
            on=data["on"],
            term_months=data["term_months"],
            mode=data["mode"],
            grace_months=data["grace_months"] or 0,
            bullet_due=data["bullet_due"],
            note=data["note"],
        ),
        _("Advance %(reference)s has a new schedule; the old one is kept."),
    )


@require_POST
@require(permissions.can_keep_treasury)
def advance_write_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        WriteOffForm,
        "write_off_form",
        lambda advance, data: services.advance_write_off(
            actor=actor(request), advance=advance, on=data["on"], reason=data["reason"]
        ),
        _("Advance %(reference)s is written off."),
    )
