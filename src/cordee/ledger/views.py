from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.ledger import selectors
from cordee.ledger.forms import FecForm, JournalForm
from cordee.ledger.models import Ledger


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require(lambda user: permissions.can_view_ledger(user) or bool(permissions.account_owner_scope(user)))
def accounts(request: HttpRequest) -> HttpResponse:
    scope = permissions.account_owner_scope(request.user)
    return render(
        request,
        "ledger/accounts.html",
        {
            "accounts": selectors.accounts(owner_ids=scope),
            "can_export": permissions.can_export_accounting(request.user),
        },
    )


@require(lambda user: user.is_authenticated)
def account_statement(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.get_account_for_user(request.user, pk)
    page = selectors.statement(account, before=_int(request.GET.get("avant")))
    return render(request, "ledger/statement.html", {"account": account, "page": page})


@require(permissions.can_view_ledger)
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalForm(request.GET or None)
    code = form.cleaned_data["ledger"] if form.is_valid() and form.cleaned_data["ledger"] else "EUR"
    transfers = selectors.journal(ledger=code, before=_int(request.GET.get("avant")))
    older = transfers[-1].sequence if len(transfers) == selectors.STATEMENT_PAGE else None
    ledger = Ledger.objects.filter(code=code).first()
    return render(
        request,
        "ledger/journal.html",
        {"form": form, "transfers": transfers, "older": older, "ledger": ledger, "code": code},
    )


@require(permissions.can_export_accounting)
def export_fec(request: HttpRequest) -> HttpResponse:
    from cordee.ledger import exports

    form = FecForm(request.GET or None, initial={"year": timezone.localdate().year})
    if not request.GET or not form.is_valid():
        return render(request, "ledger/export_fec.html", {"form": form})
    year = form.cleaned_data["year"]
    buffer = io.StringIO()
    exports.write_fec(year, buffer)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.fec_filename(year)}"'
    return response


@require(permissions.can_export_accounting)
def export_hledger(request: HttpRequest) -> HttpResponse:
    from cordee.ledger import exports

    buffer = io.StringIO()
    exports.write_hledger(buffer)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cordee-{timezone.localdate():%Y%m%d}.journal"'
    return response
