"""The monthly re-invoicing page: pick a month, preview (a dry run: hours, amounts, what is
skipped and why), then run; and the months already re-invoiced with their invoices. Thin: the
service `invoice_staff` decides, as it does for `cordee invoice_staff`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.staffing import selectors_billing
from cordee.staffing.forms_billing import BillingForm
from cordee.staffing.services.billing import invoice_staff

PER_PAGE = 50


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def previous_month(today: dt.date | None = None) -> dt.date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


@require_http_methods(["GET", "POST"])
@require(permissions.can_invoice_staff)
def billing(request: HttpRequest) -> HttpResponse:
    """POST `action=preview` computes without writing; `action=run` invoices."""
    if request.method == "POST":
        form = BillingForm(request.POST)
    else:
        form = BillingForm(initial={"month": f"{previous_month():%Y-%m}"})
    report = None
    if request.method == "POST" and form.is_valid():
        run = request.POST.get("action") == "run"
        try:
            report = invoice_staff(
                month=form.cleaned_data["month"],
                actor=actor(request),
                dry_run=not run,
                validated_only=form.cleaned_data["validated_only"],
            )
        except DomainError as error:
            form.add_error("month" if error.field == "month" else None, error.message)
        else:
            if run:
                messages.success(
                    request,
                    ngettext(
                        "%(invoices)s invoice issued, %(amount)s in all.",
                        "%(invoices)s invoices issued, %(amount)s in all.",
                        len(report.invoices),
                    )
                    % {"invoices": len(report.invoices), "amount": format_cents(report.invoiced_cents)},
                )
    page = Paginator(selectors_billing.invoicings(), PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "report": report, "page": page}
    return render(request, "staffing/billing.html", context, status=400 if form.errors else 200)
