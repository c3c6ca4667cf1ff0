"""The clearing pages: the runs and their history, a proposal read and executed, the liquidity the
pool's cash unlocks, the set-off agreement and who signed it. Thin: the services in
`cordee.clearing.services` decide, as they do for `cordee clear_invoices` and the API.

A member's people see only the executed runs in which their organisation has a position, and only
their own positions and invoices; proposals are the coordinator's and the treasurer's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cordee.clearing import selectors, services
from cordee.clearing.forms import ConsentForm, LiquidityForm, RunComputeForm
from cordee.clearing.models import AGREEMENT_VERSION, Allocation, Consent, Position, Run
from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.core.money import cents_to_decimal, format_cents
from cordee.invoicing.models import Invoice
from cordee.network.models import Membership, Organisation

PER_PAGE = 100
RUNS_PER_PAGE = 50


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refusal(form: Any, exc: DomainError) -> str:
    """A service's refusal, prefixed with the label of the field it names, for a message."""
    field = form.fields.get(exc.field or "")
    return f"{field.label} : {exc.message}" if field is not None else exc.message


# --- Scoped fetches ----------------------------------------------------------------------


def _allocations_for(user: Any, run: Run) -> QuerySet[Allocation]:
    """The invoices of a run this user may see: every one for the coordinator and the treasurer,
    those its own organisations owe or are owed for a member's people."""
    allocations = run.allocations.select_related("invoice", "debtor", "creditor")
    scope = permissions.clearing_scope(user)
    if scope is not None:
        allocations = allocations.filter(Q(debtor_id__in=scope) | Q(creditor_id__in=scope))
    return allocations.annotate(left_cents=F("open_cents") - F("amount_cents"))


# --- Home --------------------------------------------------------------------------------


def _home(request: HttpRequest, compute_form: RunComputeForm | None = None, status: int = 200) -> HttpResponse:
    user = actor(request)
    staff = permissions.can_see_clearing_runs(user)
    context: dict[str, Any] = {"staff": staff, "can_run": permissions.can_run_clearing(user)}
    if staff:
        context["proposal"] = selectors.runs().filter(status=Run.Status.PROPOSED).first()
        history = selectors.runs().exclude(status=Run.Status.SUPERSEDED)
        context["page"] = Paginator(history, RUNS_PER_PAGE).get_page(request.GET.get("page"))
        context["totals"] = Run.objects.filter(status=Run.Status.EXECUTED).aggregate(
            runs=Count("pk"), cleared=Sum("cleared_cents"), invoices=Sum("cleared_invoice_count")
        )
        context["compute_form"] = compute_form or RunComputeForm()
    mine = list(Organisation.objects.filter(pk__in=permissions.actor_for(user).organisations).order_by("sort_name"))
    if mine:
        consents = {
            consent.organisation_id: consent for consent in selectors.consents_in_force().filter(organisation__in=mine)
        }
        context["organisations"] = [
            {
                "organisation": organisation,
                "consent": consents.get(organisation.pk),
                "can_sign": permissions.can_sign_setoff_for(user, organisation.pk),
                "form": ConsentForm(auto_id=f"id_%s_{organisation.pk}"),
            }
            for organisation in mine
        ]
        context["positions"] = (
            Position.objects.filter(organisation__in=mine, run__status=Run.Status.EXECUTED)
            .select_related("run", "organisation")
            .order_by("-run__executed_at", "-run__pk", "organisation__sort_name")
        )
    return render(request, "clearing/home.html", context, status=status)


@require_GET
@require(permissions.can_use_clearing)
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@require(permissions.can_run_clearing)
def run_compute(request: HttpRequest) -> HttpResponse:
    form = RunComputeForm(request.POST)
    if form.is_valid():
        try:
            run = services.run_compute(actor=actor(request), as_of=form.cleaned_data["as_of"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Clearing %(reference)s is computed: %(cleared)s of %(debt)s of open debt can be cleared.")
                % {
                    "reference": run.reference,
                    "cleared": format_cents(run.cleared_cents),
                    "debt": format_cents(run.debt_cents),
                },
            )
            return redirect(run)
    return _home(request, compute_form=form, status=400)


# --- A run -------------------------------------------------------------------------------


@require_GET
@require(permissions.can_use_clearing)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    run = selectors.get_run_for_user(user, pk)
    staff = permissions.can_see_clearing_runs(user)
    allocations = _allocations_for(user, run)
    counts = allocations.aggregate(
        whole=Count("pk", filter=Q(amount_cents=F("open_cents"))),
        part=Count("pk", filter=Q(amount_cents__lt=F("open_cents"))),
    )
    positions = selectors.positions_for(user, run)
    proposed = run.status == Run.Status.PROPOSED
    stale = services.stale_reason(run) if proposed else None
    context = {
        "run": run,
        "staff": staff,
        "whole_count": counts["whole"],
        "part_count": counts["part"],
        "positions_page": Paginator(positions, PER_PAGE).get_page(request.GET.get("parties")),
        "allocations_page": Paginator(allocations, PER_PAGE).get_page(request.GET.get("page")),
        "stale": stale,
        "can_execute": proposed and not stale and run.cleared_cents > 0 and permissions.can_run_clearing(user),
        "can_compute": proposed and permissions.can_run_clearing(user),
        "compute_form": RunComputeForm(initial={"as_of": run.as_of}),
    }
    return render(request, "clearing/run.html", context)


@require_POST
@require(permissions.can_run_clearing)
def run_execute(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, pk)
    try:
        services.run_execute(actor=actor(request), run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Clearing %(reference)s is executed: %(cleared)s of debt are settled; "
                "each member receives its statement."
            )
            % {"reference": run.reference, "cleared": format_cents(run.cleared_cents)},
        )
    return redirect(run)


# --- Liquidity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    debtor: Organisation | None
    creditor: Organisation | None
    amount_cents: int
    invoices: list[tuple[Invoice, int]]


@dataclass(frozen=True)
class AdvanceRow:
    borrower: Organisation | None
    amount_cents: int
    request_url: str


def _pool_cash_cents() -> int:
    """The cash the pool has now, less what approved advances hold (the treasury's own figure)."""
    from cordee.treasury import selectors as treasury

    return max(0, treasury.available_cents())


def _request_url(run: Run, organisation_id: int, amount_cents: int) -> str:
    from cordee.treasury.models import Advance, RepaymentMode

    query = {
        "organisation": organisation_id,
        "amount": formats.number_format(cents_to_decimal(amount_cents), 2),
        "purpose": _("Short advance for the clearing %(reference)s") % {"reference": run.reference},
        "term_months": 1,
        "mode": RepaymentMode.BULLET,
        "source": Advance.Source.SALES,
    }
    return f"{reverse('treasury:advance_request')}?{urlencode(query)}"


@require_GET
@require(permissions.can_see_clearing_runs)
def liquidity(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, pk)
    available = _pool_cash_cents()
    form = LiquidityForm(request.GET if "cash" in request.GET else None, initial={"cash": available})
    cash: int | None = available
    if form.is_bound:
        cash = form.cleaned_data["cash"] if form.is_valid() else None
    context: dict[str, Any] = {"run": run, "form": form, "available_cents": available, "plan": None}
    if cash is not None:
        plan = selectors.liquidity(run, cash)
        ids = {party for edge in plan.payments for party in edge if party is not None}
        ids |= {advance.organisation_id for advance in plan.advances if advance.organisation_id is not None}
        organisations = Organisation.objects.in_bulk(list(ids))
        invoices = Invoice.objects.in_bulk(list(plan.invoice_payments))
        per_edge: dict[tuple[int | None, int | None], list[tuple[Invoice, int]]] = {}
        for invoice_id, amount in plan.invoice_payments.items():
            invoice = invoices[invoice_id]
            per_edge.setdefault((invoice.recipient_id, invoice.issuer_id), []).append((invoice, amount))
        context["plan"] = plan
        context["hub_pays_cents"] = plan.cash_used_cents - sum(advance.amount_cents for advance in plan.advances)
        context["advances"] = [
            AdvanceRow(
                borrower=organisations.get(advance.organisation_id) if advance.organisation_id else None,
                amount_cents=advance.amount_cents,
                request_url=_request_url(run, advance.organisation_id, advance.amount_cents)
                if advance.organisation_id
                else "",
            )
            for advance in plan.advances
        ]
        context["payments"] = [
            PaymentRow(
                debtor=organisations.get(debtor) if debtor else None,
                creditor=organisations.get(creditor) if creditor else None,
                amount_cents=amount,
                invoices=sorted(per_edge.get((debtor, creditor), []), key=lambda pair: pair[0].due_date),
            )
            for (debtor, creditor), amount in sorted(plan.payments.items(), key=lambda item: -item[1])
        ]
    return render(
        request, "clearing/liquidity.html", context, status=200 if form.is_valid() or not form.is_bound else 400
    )


# --- Consents and the agreement ----------------------------------------------------------


@require_GET
@require(permissions.can_run_clearing)
def consents(request: HttpRequest) -> HttpResponse:
    members = (
        Organisation.objects.filter(membership__status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED])
        .select_related("membership")
        .order_by("sort_name")
    )
    in_force = {consent.organisation_id: consent for consent in selectors.consents_in_force()}
    rows = [
        {
            "organisation": organisation,
            "consent": in_force.get(organisation.pk),
            "form": ConsentForm(auto_id=f"id_%s_{organisation.pk}"),
        }
        for organisation in members
    ]
    withdrawn = (
        Consent.objects.filter(withdrawn_on__isnull=False)
        .select_related("organisation")
        .order_by("-withdrawn_on", "-pk")
    )
    context = {
        "rows": rows,
        "signed_count": sum(1 for row in rows if row["consent"]),
        "withdrawn": withdrawn,
        "version": AGREEMENT_VERSION,
    }
    return render(request, "clearing/consents.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the consents page for the coordinator who came from it, to the clearing page otherwise."""
    if request.POST.get("next") == "consents" and permissions.can_run_clearing(request.user):
        return redirect("clearing:consents")
    return redirect("clearing:home")


def _organisation_to_sign_for(request: HttpRequest, organisation_pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("membership"), pk=organisation_pk)
    if not permissions.can_sign_setoff_for(request.user, organisation.pk):
        raise PermissionDenied
    return organisation


@require_POST
@require(permissions.can_use_clearing)
def consent_sign(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = _organisation_to_sign_for(request, organisation_pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label} : {text}" if label else text)
        return _back(request)
    try:
        services.consent_sign(
            actor=actor(request),
            organisation=organisation,
            signatory=form.cleaned_data["signatory"],
            signed_on=form.cleaned_data["signed_on"],
        )
    except DomainError as exc:
        messages.error(request, _refusal(form, exc))
    else:
        messages.success(
            request,
            _("%(name)s has signed the set-off agreement: its internal invoices take part in the next clearings.")
            % {"name": organisation.name},
        )
    return _back(request)


@require_POST
@require(permissions.can_use_clearing)
def consent_withdraw(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = _organisation_to_sign_for(request, organisation_pk)
    try:
        services.consent_withdraw(actor=actor(request), organisation=organisation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s has withdrawn from the set-off agreement: the clearings computed from now on leave it out.")
            % {"name": organisation.name},
        )
    return _back(request)


@require_GET
@require(permissions.can_use_clearing)
def agreement(request: HttpRequest) -> HttpResponse:
    return render(request, "clearing/agreement.html", {"version": AGREEMENT_VERSION})
