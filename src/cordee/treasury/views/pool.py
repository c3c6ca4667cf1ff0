"""The treasury's home, the pool's dashboard, its settings and the hub's own funds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
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
from cordee.treasury.forms import DeclarationForm, FundForm, SettingsForm
from cordee.treasury.models import Advance, CashDeclaration, Deposit, TreasurySettings, Withdrawal
from cordee.treasury.regimes import RULES
from cordee.treasury.views.common import actor, done, refused


@require(permissions.can_use_treasury)
def home(request: HttpRequest) -> HttpResponse:
    """What this person has to do and see in the treasury."""
    user = actor(request)
    organisations = list(selectors.organisations_for(user)) if not permissions.can_see_pool(user) else []
    mine = permissions.treasury_organisations(user)
    body_ids = list(user.body_seats.values_list("body_id", flat=True))
    to_review = (
        Advance.objects.filter(
            decision__body_id__in=body_ids, decision__status=Decision.Status.OPEN, status=Advance.Status.REQUESTED
        )
        .select_related("organisation", "decision")
        .order_by("requested_at")
    )
    context = {
        "organisations": organisations,
        "deposits": Deposit.objects.filter(organisation_id__in=mine).select_related("organisation")[:50],
        "advances": Advance.objects.filter(organisation_id__in=mine).select_related("organisation")[:50],
        "to_review": to_review,
        "can_see_pool": permissions.can_see_pool(user),
        "settings": TreasurySettings.current(),
        "rules": RULES[TreasurySettings.current().regime],
    }
    return render(request, "treasury/home.html", context)


@require(permissions.can_see_pool)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "figures": selectors.pool_figures(today),
        "settings": TreasurySettings.current(),
        "rules": RULES[TreasurySettings.current().regime],
        "to_confirm": Deposit.objects.filter(status=Deposit.Status.PROPOSED).select_related("organisation"),
        "to_disburse": Advance.objects.filter(status=Advance.Status.APPROVED).select_related("organisation"),
        "to_decide": Advance.objects.filter(status=Advance.Status.REQUESTED).select_related("organisation"),
        "withdrawals": Withdrawal.objects.filter(status=Withdrawal.Status.REQUESTED).select_related(
            "deposit__organisation"
        ),
        "late": [
            (advance, place)
            for advance in Advance.objects.filter(status=Advance.Status.DISBURSED).select_related("organisation")
            if (place := selectors.position(advance, today)).days_past_due > 0
        ],
        "can_keep": permissions.can_keep_treasury(request.user),
    }
    context.update(_forecast_context(request))
    return render(request, "treasury/dashboard.html", context)


def _forecast_context(request: HttpRequest) -> dict[str, object]:
    """The 12-month forecast and its stress scenario (`?defaut=20&retraits=30`)."""
    try:
        from cordee.treasury import charts, forecast
    except ImportError:  # pragma: no cover - while the forecast is being built
        return {}

    def percent(name: str) -> int:
        try:
            return max(0, min(100, int(request.GET.get(name, "0"))))
        except ValueError:
            return 0

    today = timezone.localdate()
    default, withdrawals = percent("defaut"), percent("retraits")
    base = forecast.liquidity_forecast(on=today)
    stressed = (
        forecast.liquidity_forecast(on=today, default_percent=default, withdrawal_percent=withdrawals)
        if default or withdrawals
        else None
    )
    return {
        "forecast": base,
        "stressed": stressed,
        "svg": charts.forecast_svg(base, stressed),
        "stress_default": default,
        "stress_withdrawals": withdrawals,
    }


@require(permissions.can_set_treasury)
def settings_edit(request: HttpRequest) -> HttpResponse:
    row = TreasurySettings.current()
    form = SettingsForm(request.POST or None, instance=row)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.treasury_settings_update(actor=actor(request), **form.apply())
            except DomainError as exc:
                refused(form, exc)
            else:
                done(request, _("The treasury settings have been saved."))
                return redirect("treasury:settings")
        status = 400
    row.refresh_from_db()
    return render(request, "treasury/settings.html", {"form": form, "rules": RULES}, status=status)


@require_POST
@require(permissions.can_keep_treasury)
def fund(request: HttpRequest) -> HttpResponse:
    form = FundForm(request.POST)
    if form.is_valid():
        try:
            services.pool_fund(
                actor=actor(request),
                amount_cents=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                label=form.cleaned_data["label"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as exc:
            refused(form, exc)
        else:
            done(request, _("The funds have been added to the pool."))
            return redirect("treasury:dashboard")
    return render(request, "treasury/fund.html", {"form": form}, status=400)


@require(permissions.can_keep_treasury)
def fund_form(request: HttpRequest) -> HttpResponse:
    return render(request, "treasury/fund.html", {"form": FundForm()})


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    """Lenders' declarations of their net available cash on 1 January (non-profit regime)."""
    user = actor(request)
    organisations = selectors.organisations_for(user)
    if not (permissions.can_see_pool(user) or permissions.treasury_organisations(user)):
        raise PermissionDenied
    form = DeclarationForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cash_declaration_set(
                    actor=user,
                    organisation=form.cleaned_data["organisation"],
                    year=form.cleaned_data["year"],
                    net_available_cash_cents=form.cleaned_data["net_available_cash"],
                    declared_on=form.cleaned_data["declared_on"],
                )
            except DomainError as exc:
                refused(form, exc)
            else:
                done(request, _("The declaration has been recorded."))
                return redirect("treasury:declarations")
        status = 400
    rows = CashDeclaration.objects.select_related("organisation").order_by("-year", "organisation__sort_name")
    if not permissions.can_see_pool(user):
        rows = rows.filter(organisation_id__in=permissions.treasury_organisations(user))
    return render(request, "treasury/declarations.html", {"form": form, "declarations": rows}, status=status)
