"""The bank pages: statements and the lines set aside, the SEPA files, and each member's bank
details and mandates. Thin: every write is a `cordee.treasury.banking` service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.treasury import banking
from cordee.treasury.forms_banking import (
    BankDetailsForm,
    BankLineAssignForm,
    BankLineIgnoreForm,
    DirectDebitForm,
    MandateForm,
    StatementUploadForm,
    TransferDateForm,
)
from cordee.treasury.models import Advance, BankDetails, BankLine, BankStatement, Mandate

RECENT_STATEMENTS = 20
XML = "application/xml"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _advance_choices() -> list[tuple[int, str]]:
    """The advances a line set aside may be assigned to, read once for every line's form."""
    rows = (
        Advance.objects.filter(status__in=[Advance.Status.DISBURSED, Advance.Status.WRITTEN_OFF])
        .order_by("reference")
        .values_list("pk", "reference", "organisation__name")
    )
    return [(pk, f"{reference} — {name}") for pk, reference, name in rows]


def _line_forms(lines: list[BankLine], choices: list[tuple[int, str]], refused: dict[str, Any]) -> list[Any]:
    """Each line with its two forms; the refused one (if any) keeps its input and errors."""
    rows = []
    for line in lines:
        prefix = f"line-{line.pk}"
        assign = refused.get(f"assign-{line.pk}") or BankLineAssignForm(advances=choices, prefix=prefix)
        ignore = refused.get(f"ignore-{line.pk}") or BankLineIgnoreForm(prefix=prefix)
        rows.append((line, assign, ignore))
    return rows


def _banking_page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    statements = BankStatement.objects.select_related("imported_by").annotate(
        line_count=Count("lines"),
        to_review=Count("lines", filter=Q(lines__status=BankLine.Status.TO_REVIEW)),
        matched=Count("lines", filter=Q(lines__status=BankLine.Status.MATCHED)),
    )[:RECENT_STATEMENTS]
    lines = list(
        BankLine.objects.filter(status=BankLine.Status.TO_REVIEW)
        .select_related("statement")
        .order_by("booked_on", "pk")
    )
    context = {
        "statements": statements,
        "rows": _line_forms(lines, _advance_choices(), forms),
        "upload_form": forms.get("upload_form") or StatementUploadForm(),
        "transfer_form": TransferDateForm(initial={"date": timezone.localdate()}),
        "refused_form": next(iter(forms.values()), None),
    }
    return render(request, "treasury/banking/banking.html", context, status=status)


@require(permissions.can_keep_treasury)
def banking_home(request: HttpRequest) -> HttpResponse:
    """GET: the statements and the lines to review; POST: import a statement."""
    if request.method != "POST":
        return _banking_page(request)
    form = StatementUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = banking.statement_import(actor=_actor(request), filename=upload.name, data=upload.read())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            counts = dict(statement.lines.order_by().values_list("status").annotate(n=Count("pk")))
            messages.success(
                request,
                _(
                    "%(file)s imported: %(matched)s repayment(s) recorded, %(to_review)s line(s) set aside for "
                    "review, %(ignored)s line(s) not for the treasury."
                )
                % {
                    "file": statement.filename,
                    "matched": counts.get(BankLine.Status.MATCHED, 0),
                    "to_review": counts.get(BankLine.Status.TO_REVIEW, 0),
                    "ignored": counts.get(BankLine.Status.IGNORED, 0),
                },
            )
            return redirect("treasury:bank_statement", pk=statement.pk)
    return _banking_page(request, status=400, upload_form=form)


@require(permissions.can_keep_treasury)
def bank_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(BankStatement.objects.select_related("imported_by"), pk=pk)
    lines = statement.lines.select_related("repayment", "repayment__advance").order_by("pk")
    return render(request, "treasury/banking/statement.html", {"statement": statement, "lines": lines})


def _line_to_review(pk: int) -> BankLine:
    return get_object_or_404(BankLine.objects.select_related("statement"), pk=pk)


@require_POST
@require(permissions.can_keep_treasury)
def bank_line_assign(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line_to_review(pk)
    form = BankLineAssignForm(request.POST, advances=_advance_choices(), prefix=f"line-{line.pk}")
    if form.is_valid():
        advance = Advance.objects.get(pk=form.cleaned_data["advance"])
        try:
            banking.bank_line_assign(actor=_actor(request), line=line, advance=advance)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The line of %(date)s has been recorded as a repayment of %(reference)s.")
                % {"date": line.booked_on.strftime("%d/%m/%Y"), "reference": advance.reference},
            )
            return redirect("treasury:banking")
    return _banking_page(request, status=400, **{f"assign-{line.pk}": form})


@require_POST
@require(permissions.can_keep_treasury)
def bank_line_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line_to_review(pk)
    form = BankLineIgnoreForm(request.POST, prefix=f"line-{line.pk}")
    if form.is_valid():
        try:
            banking.bank_line_ignore(actor=_actor(request), line=line, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The line has been put aside: nothing was recorded."))
            return redirect("treasury:banking")
    return _banking_page(request, status=400, **{f"ignore-{line.pk}": form})


def _day(request: HttpRequest) -> dt.date | None:
    if "date" not in request.GET:
        return timezone.localdate()
    form = TransferDateForm(request.GET)
    return form.cleaned_data["date"] if form.is_valid() else None


def _xml_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(permissions.can_keep_treasury)
def credit_transfers(request: HttpRequest) -> HttpResponse:
    """pain.001 paying the advances disbursed on the day given (`?date=YYYY-MM-DD`, today by default)."""
    day = _day(request)
    if day is None:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        return redirect("treasury:banking")
    advances = banking.advances_disbursed_on(day)
    if not advances:
        messages.info(request, _("No advance was disbursed on %(date)s.") % {"date": day.strftime("%d/%m/%Y")})
        return redirect("treasury:banking")
    try:
        content = banking.disbursement_file(advances=advances)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("treasury:banking")
    return _xml_download(content, f"virements-avances-{day.isoformat()}.xml")


@require(permissions.can_keep_treasury)
def withdrawal_transfers(request: HttpRequest) -> HttpResponse:
    """pain.001 paying the withdrawals of deposits paid on the day given."""
    day = _day(request)
    if day is None:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        return redirect("treasury:banking")
    withdrawals = banking.withdrawals_paid_on(day)
    if not withdrawals:
        messages.info(request, _("No withdrawal was paid on %(date)s.") % {"date": day.strftime("%d/%m/%Y")})
        return redirect("treasury:banking")
    try:
        content = banking.withdrawal_file(withdrawals=withdrawals)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("treasury:banking")
    return _xml_download(content, f"virements-retraits-{day.isoformat()}.xml")


@require(permissions.can_keep_treasury)
def direct_debits(request: HttpRequest) -> HttpResponse:
    """GET: what a collection on the date chosen would take; POST: write the pain.008 file."""
    if request.method == "POST":
        form = DirectDebitForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["collection_date"]
            try:
                content, collections = banking.collections_prepare(actor=_actor(request), collection_date=day)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                if collections:
                    return _xml_download(content, f"prelevements-{day.isoformat()}.xml")
                messages.info(request, _("Nothing new to collect by %(date)s.") % {"date": day.strftime("%d/%m/%Y")})
                return redirect(f"{reverse('treasury:direct_debits')}?collection_date={day.isoformat()}")
        status = 400
    else:
        form = DirectDebitForm(request.GET if "collection_date" in request.GET else None)
        status = 200
    day = form.cleaned_data.get("collection_date") if form.is_bound and form.is_valid() else None
    day = day or form.fields["collection_date"].initial
    preview = banking.collectibles(day)
    context = {
        "form": form,
        "day": day,
        "preview": preview,
        "total_cents": sum(item.amount_cents for item in preview),
        "refused_form": form if status == 400 else None,
    }
    return render(request, "treasury/banking/direct_debits.html", context, status=status)


# --- An organisation's bank details and mandates -------------------------------------------------


def _organisation_for(request: HttpRequest, org_pk: int) -> Organisation:
    """The organisation, if this user keeps the treasury or is one of its member admins; 404
    otherwise, so that nobody else learns whose bank details exist."""
    user = request.user
    if not (permissions.can_keep_treasury(user) or permissions.can_act_for_treasury_of(user, org_pk)):
        raise Http404
    return get_object_or_404(Organisation, pk=org_pk)


def _organisation_page(
    request: HttpRequest, organisation: Organisation, *, status: int = 200, **forms: Any
) -> HttpResponse:
    details = BankDetails.objects.filter(organisation=organisation).first()
    initial = (
        {"holder": details.holder, "iban": details.iban, "bic": details.bic}
        if details
        else {"holder": organisation.name[:70]}
    )
    is_treasurer = permissions.can_keep_treasury(request.user)
    context = {
        "organisation": organisation,
        "details": details,
        "details_form": forms.get("details_form") or BankDetailsForm(initial=initial),
        "mandates": list(Mandate.objects.filter(organisation=organisation).order_by("-signed_on", "-pk")),
        "mandate_form": forms.get("mandate_form")
        or MandateForm(prefix="mandate", initial=initial if is_treasurer else None),
        "can_create_mandate": is_treasurer,
        "refused_form": next(iter(forms.values()), None),
        "today": timezone.localdate(),
    }
    return render(request, "treasury/banking/organisation.html", context, status=status)


@login_required
def organisation_banking(request: HttpRequest, org_pk: int) -> HttpResponse:
    """GET: the page; POST: set the bank details."""
    organisation = _organisation_for(request, org_pk)
    if request.method != "POST":
        return _organisation_page(request, organisation)
    form = BankDetailsForm(request.POST)
    if form.is_valid():
        try:
            banking.bank_details_set(actor=_actor(request), organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The bank details have been saved."))
            return redirect("treasury:organisation_banking", org_pk=organisation.pk)
    return _organisation_page(request, organisation, status=400, details_form=form)


@require_POST
@login_required
def mandate_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _organisation_for(request, org_pk)
    if not permissions.can_keep_treasury(request.user):  # the treasurer holds the signed mandates
        raise PermissionDenied
    form = MandateForm(request.POST, prefix="mandate")
    if form.is_valid():
        try:
            banking.mandate_create(actor=_actor(request), organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("Mandate %(reference)s has been recorded.") % {"reference": form.cleaned_data["reference"]}
            )
            return redirect("treasury:organisation_banking", org_pk=organisation.pk)
    return _organisation_page(request, organisation, status=400, mandate_form=form)


@require_POST
@login_required
def mandate_revoke(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, org_pk)
    mandate = get_object_or_404(Mandate, pk=pk, organisation=organisation)
    try:
        banking.mandate_revoke(actor=_actor(request), mandate=mandate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Mandate %(reference)s has been revoked.") % {"reference": mandate.reference})
    return redirect("treasury:organisation_banking", org_pk=organisation.pk)
