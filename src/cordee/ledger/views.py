from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from typing import TextIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.ledger import selectors
from cordee.ledger.forms import FecForm, JournalForm
from cordee.ledger.models import Ledger


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require(permissions.can_list_accounts)
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


@login_required  # which account: decided by get_account_for_user
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


def _file_response(write: Callable[[TextIO], object], filename: str) -> FileResponse:
    """Write the export to a spooled file (memory first, disk past a few MB) and send it."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type="text/plain; charset=utf-8")


@require(permissions.can_export_accounting)
def export_fec(request: HttpRequest) -> HttpResponseBase:
    from cordee.ledger import exports

    form = FecForm(request.GET or None, initial={"year": timezone.localdate().year})
    if request.GET and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            filename = exports.fec_filename(year)
            return _file_response(lambda stream: exports.write_fec(year, stream), filename)
        except DomainError as exc:
            form.add_error("year" if exc.field == "year" else None, exc.message)
    return render(request, "ledger/export_fec.html", {"form": form})


@require(permissions.can_export_accounting)
def export_hledger(request: HttpRequest) -> HttpResponseBase:
    from cordee.ledger import exports

    filename = f"cordee-{timezone.localdate():%Y%m%d}.journal"
    return _file_response(exports.write_hledger, filename)
