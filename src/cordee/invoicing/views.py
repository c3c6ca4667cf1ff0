from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.invoicing import selectors, services
from cordee.invoicing.forms import (
    CreditNoteForm,
    DisputeCloseForm,
    DisputeForm,
    InvoiceFilterForm,
    InvoiceForm,
    IssueForm,
    LineFormSet,
    PaymentForm,
    line_initial,
)
from cordee.invoicing.models import Invoice
from cordee.invoicing.pdf import pdf_filename, render_invoice_pdf
from cordee.invoicing.totals import compute_totals

PAGE_SIZE = 50
LINES_PREFIX = "lines"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require(permissions.can_use_invoicing)
def invoices(request: HttpRequest) -> HttpResponse:
    form = InvoiceFilterForm(request.GET or None)
    status = direction = ""
    if form.is_valid():
        status, direction = form.cleaned_data["status"], form.cleaned_data["direction"]
    rows = selectors.invoices_for(request.user, status=status, direction=direction)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "rows": [(invoice, selectors.direction_of(request.user, invoice)) for invoice in page],
        "to_collect": selectors.outstanding(request.user, selectors.TO_COLLECT),
        "to_pay": selectors.outstanding(request.user, selectors.TO_PAY),
        "can_draft": permissions.can_draft_invoices(request.user),
    }
    if permissions.can_see_all_invoices(request.user):
        context["everywhere"] = selectors.outstanding_everywhere()
    return render(request, "invoicing/invoices.html", context)


def _head_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> InvoiceForm:
    issuers, hub = selectors.issuer_choices(request.user)
    return InvoiceForm(
        data, issuers=issuers, hub_issuer=hub, recipients=selectors.recipient_choices(request.user), **kwargs
    )


def _lines_formset(request: HttpRequest, initial: list[dict[str, Any]] | None = None) -> Any:
    if request.method != "POST":
        return LineFormSet(prefix=LINES_PREFIX, initial=initial or [{}])
    data: Any = request.POST
    total = f"{LINES_PREFIX}-TOTAL_FORMS"
    if request.POST.get("action") == "add_line" and str(data.get(total, "")).isdigit():
        data = request.POST.copy()  # without JavaScript: the server adds one blank line
        data[total] = str(int(data[total]) + 1)
    return LineFormSet(data, prefix=LINES_PREFIX)


def _form_page(request: HttpRequest, form: InvoiceForm, formset: Any, invoice: Invoice | None) -> HttpResponse:
    action = request.POST.get("action")
    context: dict[str, Any] = {"form": form, "formset": formset, "invoice": invoice}
    if action == "preview" and formset.is_valid():
        lines = formset.line_data()
        try:
            services.check_lines(lines)
        except DomainError as exc:
            if not formset.add_domain_error(exc):
                form.add_error(None, exc.message)
        else:
            context["preview"] = compute_totals(lines)
    return render(request, "invoicing/invoice_form.html", context)


def _save(request: HttpRequest, form: InvoiceForm, formset: Any, invoice: Invoice | None) -> Invoice | None:
    """Write the draft through the services; None (with the errors on the forms) if refused."""
    heads_valid, lines_valid = form.is_valid(), formset.is_valid()
    if not (heads_valid and lines_valid):
        return None
    data = form.cleaned_data
    try:
        if invoice is None:
            return services.invoice_draft_create(
                actor=_actor(request),
                issuer=form.issuer_party(),
                recipient=form.recipient_party(),
                lines=formset.line_data(),
                due_date=data["due_date"],
                notes=data["notes"],
            )
        return services.invoice_draft_update(
            actor=_actor(request),
            invoice=invoice,
            recipient=form.recipient_party(),
            lines=formset.line_data(),
            due_date=data["due_date"],
            notes=data["notes"],
        )
    except DomainError as exc:
        if not formset.add_domain_error(exc):
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


@require(permissions.can_draft_invoices)
def invoice_create(request: HttpRequest) -> HttpResponse:
    form = _head_form(request, request.POST or None)
    formset = _lines_formset(request)
    if request.method == "POST" and request.POST.get("action") == "save":
        invoice = _save(request, form, formset, None)
        if invoice is not None:
            messages.success(request, _("The draft has been saved. Check it, then issue it."))
            return redirect(invoice)
    return _form_page(request, form, formset, None)


def _managed_invoice(request: HttpRequest, pk: int) -> Invoice:
    """The invoice, if the user may see it (404 otherwise) and act for its issuer (403 otherwise)."""
    invoice = selectors.get_invoice_for_user(request.user, pk)
    if not permissions.can_manage_invoice(request.user, invoice):
        raise PermissionDenied
    return invoice


@login_required
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _managed_invoice(request, pk)
    if not invoice.is_draft:
        messages.error(
            request,
            _("Invoice %(number)s has been issued: it can no longer be changed, only cancelled by a credit note.")
            % {"number": invoice.number},
        )
        return redirect(invoice)
    initial = {
        "issuer": str(invoice.issuer_id) if invoice.issuer_id else "hub",
        "recipient": str(invoice.recipient_id) if invoice.recipient_id else "hub",
        "due_date": invoice.due_date,
        "notes": invoice.notes,
    }
    form = _head_form(request, request.POST or None, initial=initial, fixed_issuer=True)
    formset = _lines_formset(request, line_initial(services.lines_of(invoice)))
    if request.method == "POST" and request.POST.get("action") == "save":
        saved = _save(request, form, formset, invoice)
        if saved is not None:
            messages.success(request, _("The draft has been saved."))
            return redirect(saved)
    return _form_page(request, form, formset, invoice)


def _clearing_run_url(run_id: int | None) -> str | None:
    """The page of the clearing run that settled part of the invoice, once the clearing pages exist."""
    if run_id is None:
        return None
    try:
        return reverse("clearing:run", args=[run_id])
    except NoReverseMatch:
        return None


def _detail(request: HttpRequest, invoice: Invoice, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    lines = list(invoice.lines.all())
    parties = services.describe(invoice)
    can_manage = permissions.can_manage_invoice(user, invoice)
    settlements = selectors.settlements_of(invoice)
    settled_cents = sum(settlement.amount_cents for settlement in settlements)
    disputes = selectors.disputes_of(invoice)
    open_dispute = next((dispute for dispute in disputes if dispute.is_open), None)
    if open_dispute is not None:
        open_dispute.invoice = invoice  # the permission reads the issuer from it
    context: dict[str, Any] = {
        "invoice": invoice,
        "lines": lines,
        "totals": compute_totals(lines),
        "issuer": parties["issuer"],
        "recipient": parties["recipient"],
        "direction": selectors.direction_of(user, invoice),
        "can_edit": can_manage and invoice.is_draft,
        "can_issue": can_manage and invoice.is_draft,
        "can_pay": permissions.can_record_invoice_payment(user, invoice) and invoice.is_outstanding,
        # A set-off settled part of it: a credit note can no longer cancel it whole.
        "can_cancel": can_manage and invoice.is_outstanding and not settlements,
        "settlements": [
            (settlement, _clearing_run_url(selectors.clearing_run_id(settlement))) for settlement in settlements
        ],
        "settled_cents": settled_cents,
        "open_cents": invoice.total_incl_vat_cents - settled_cents,
        "disputes": disputes,
        "open_dispute": open_dispute,
        "can_dispute": invoice.is_outstanding
        and open_dispute is None
        and permissions.can_dispute_invoice(user, invoice),
        "can_close_dispute": open_dispute is not None and permissions.can_close_dispute(user, open_dispute),
        "withdraws": open_dispute is not None and open_dispute.opened_by_id == user.pk,
        "issue_form": forms.get("issue_form") or IssueForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "credit_note_form": forms.get("credit_note_form") or CreditNoteForm(),
        "dispute_form": forms.get("dispute_form") or DisputeForm(),
        "dispute_close_form": forms.get("dispute_close_form") or DisputeCloseForm(),
        # The form of a refused action: its errors head the page, even when the action is no
        # longer offered (an invoice paid meanwhile cannot be cancelled).
        "refused_form": next(iter(forms.values()), None),
    }
    return render(request, "invoicing/invoice_detail.html", context, status=status)


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_invoice_for_user(request.user, pk))


def _refused(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@require_POST
@login_required
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _managed_invoice(request, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            invoice = services.invoice_issue(
                actor=_actor(request), invoice=invoice, issue_date=form.cleaned_data["issue_date"]
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Invoice %(number)s has been issued.") % {"number": invoice.number})
            return redirect(invoice)
    return _detail(request, invoice, status=400, issue_form=form)


@require_POST
@login_required
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.get_invoice_for_user(request.user, pk)
    if not permissions.can_record_invoice_payment(request.user, invoice):
        raise PermissionDenied
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            invoice = services.invoice_record_payment(
                actor=_actor(request), invoice=invoice, paid_on=form.cleaned_data["paid_on"]
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The payment of %(number)s has been recorded.") % {"number": invoice.number})
            return redirect(invoice)
    return _detail(request, invoice, status=400, payment_form=form)


@require_POST
@login_required
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _managed_invoice(request, pk)
    form = CreditNoteForm(request.POST)
    if form.is_valid():
        try:
            credit_note = services.credit_note_create(
                actor=_actor(request), invoice=invoice, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("Invoice %(number)s has been cancelled by credit note %(credit_note)s.")
                % {"number": invoice.number, "credit_note": credit_note.number},
            )
            return redirect(credit_note)
    return _detail(request, invoice, status=400, credit_note_form=form)


@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.get_invoice_for_user(request.user, pk)
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(invoice)}"'
    return response


@require_POST
@login_required
def invoice_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.get_invoice_for_user(request.user, pk)
    if not permissions.can_dispute_invoice(request.user, invoice):
        raise PermissionDenied
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.invoice_dispute_open(actor=_actor(request), invoice=invoice, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("Invoice %(number)s is contested; its issuer is told and will answer.") % {"number": invoice.number},
            )
            return redirect(invoice)
    return _detail(request, invoice, status=400, dispute_form=form)


@require_POST
@login_required
def dispute_close(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.get_dispute_for_user(request.user, pk)
    invoice = dispute.invoice
    if not permissions.can_close_dispute(request.user, dispute):
        raise PermissionDenied
    form = DisputeCloseForm(request.POST)
    if form.is_valid():
        try:
            services.invoice_dispute_close(actor=_actor(request), dispute=dispute, answer=form.cleaned_data["answer"])
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The dispute on %(number)s is closed.") % {"number": invoice.number})
            return redirect(invoice)
    return _detail(request, invoice, status=400, dispute_close_form=form)
