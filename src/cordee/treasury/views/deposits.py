"""Deposits into the pool and their withdrawals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.treasury import selectors, services
from cordee.treasury.forms import ConfirmDepositForm, DepositForm, PayWithdrawalForm, ReasonForm, WithdrawalForm
from cordee.treasury.models import Deposit
from cordee.treasury.views.common import actor, done, refused


@require(permissions.can_list_deposits)
def deposits(request: HttpRequest) -> HttpResponse:
    rows = selectors.deposits_for(request.user).filter(kind=Deposit.Kind.LOAN).order_by("-proposed_at")
    return render(request, "treasury/deposits.html", {"deposits": rows, "register": False})


@require(permissions.can_list_deposits)
def returnable_register(request: HttpRequest) -> HttpResponse:
    """The separate register of contributions with a right of return."""
    rows = selectors.deposits_for(request.user).filter(kind=Deposit.Kind.RETURNABLE).order_by("-proposed_at")
    return render(request, "treasury/deposits.html", {"deposits": rows, "register": True})


@require(permissions.can_act_for_some_treasury)
def deposit_propose(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    organisations = selectors.organisations_for(user).filter(pk__in=permissions.treasury_organisations(user))
    form = DepositForm(request.POST or None, request.FILES or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                deposit = services.deposit_propose(
                    actor=user,
                    organisation=data["organisation"],
                    amount_cents=data["amount"],
                    kind=data["kind"],
                    term_date=data["term_date"],
                    notice_days=data["notice_days"],
                    rate_bps=data["rate"] or 0,
                    board_approved_on=data["board_approved_on"],
                    board_minute=data["board_minute"],
                    attestation=data["attestation"],
                )
            except DomainError as exc:
                refused(form, exc)
            else:
                done(
                    request,
                    _("Deposit %(reference)s is proposed; the treasurer confirms it when the money arrives.")
                    % {"reference": deposit.reference},
                )
                return redirect(deposit)
        status = 400
    return render(request, "treasury/deposit_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, deposit: Deposit, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    keeper = permissions.can_keep_treasury(user)
    mine = permissions.can_act_for_treasury_of(user, deposit.organisation_id)
    context = {
        "deposit": deposit,
        "balance": selectors.deposit_balance_cents(deposit),
        "withdrawable": selectors.deposit_withdrawable_cents(deposit),
        "withdrawals": deposit.withdrawals.order_by("-requested_on", "-pk"),
        "can_confirm": keeper and deposit.status == Deposit.Status.PROPOSED,
        "can_cancel": (keeper or mine) and deposit.status == Deposit.Status.PROPOSED,
        "can_withdraw": mine and deposit.status == Deposit.Status.CONFIRMED,
        "can_keep": keeper,
        "confirm_form": forms.get("confirm_form") or ConfirmDepositForm(),
        "withdrawal_form": forms.get("withdrawal_form") or WithdrawalForm(),
        "pay_form": PayWithdrawalForm(),
        "refuse_form": ReasonForm(),
        "refused_form": next((form for form in forms.values() if form.errors), None),
    }
    return render(request, "treasury/deposit_detail.html", context, status=status)


@require(permissions.can_list_deposits)
def deposit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_deposit_for_user(request.user, pk))


@require_POST
@require(permissions.can_keep_treasury)
def deposit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = selectors.get_deposit_for_user(request.user, pk)
    form = ConfirmDepositForm(request.POST)
    if form.is_valid():
        try:
            services.deposit_confirm(actor=actor(request), deposit=deposit, **form.cleaned_data)
        except DomainError as exc:
            refused(form, exc)
        else:
            done(request, _("Deposit %(reference)s is confirmed.") % {"reference": deposit.reference})
            return redirect(deposit)
    return _detail(request, deposit, status=400, confirm_form=form)


@require_POST
@require(permissions.can_list_deposits)
def deposit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = selectors.get_deposit_for_user(request.user, pk)
    try:
        services.deposit_cancel(actor=actor(request), deposit=deposit)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        form = ReasonForm()
        form.add_error(None, exc.message)
        return _detail(request, deposit, status=400, cancel_form=form)
    done(request, _("Deposit %(reference)s is cancelled.") % {"reference": deposit.reference})
    return redirect(deposit)


@require_POST
@require(permissions.can_act_for_some_treasury)
def withdrawal_request(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = selectors.get_deposit_for_user(request.user, pk)
    if not permissions.can_act_for_treasury_of(request.user, deposit.organisation_id):
        raise PermissionDenied
    form = WithdrawalForm(request.POST)
    if form.is_valid():
        try:
            withdrawal = services.withdrawal_request(
                actor=actor(request), deposit=deposit, amount_cents=form.cleaned_data["amount"]
            )
        except DomainError as exc:
            refused(form, exc)
        else:
            done(
                request,
                _("The withdrawal is requested; it can be paid from %(date)s.")
                % {"date": withdrawal.payable_on.strftime("%d/%m/%Y")},
            )
            return redirect(deposit)
    return _detail(request, deposit, status=400, withdrawal_form=form)


@require_POST
@require(permissions.can_keep_treasury)
def withdrawal_pay(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = selectors.get_withdrawal_for_user(request.user, pk)
    form = PayWithdrawalForm(request.POST)
    if form.is_valid():
        try:
            services.withdrawal_pay(actor=actor(request), withdrawal=withdrawal, paid_on=form.cleaned_data["paid_on"])
        except DomainError as exc:
            refused(form, exc)
        else:
            done(request, _("The withdrawal has been paid."))
            return redirect(withdrawal.deposit)
    return _detail(request, withdrawal.deposit, status=400, pay_form=form)


@require_POST
@require(permissions.can_keep_treasury)
def withdrawal_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = selectors.get_withdrawal_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdrawal_refuse(actor=actor(request), withdrawal=withdrawal, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            refused(form, exc)
        else:
            done(request, _("The withdrawal has been refused."))
            return redirect(withdrawal.deposit)
    return _detail(request, withdrawal.deposit, status=400, refuse_form=form)
