"""The documents of shared staff as downloads. Thin: `cordee.staffing.documents` draws them; the
scoped getters and `selectors_billing.can_get_documents` (over `cordee.core.permissions`) decide.

Who gets what: the hub's keepers and the employer's member admins every document of the employee;
the member admins of an organisation its own agreement and hours annexes. Someone who may see the
employee but not the document gets a 403, unless the document is about another organisation than
theirs: then, as for a document that does not exist, a 404."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.network.models import Organisation
from cordee.staffing import documents, selectors, selectors_billing
from cordee.staffing.models import Employee

PDF = "application/pdf"


def _download(build: Callable[[], bytes], filename: str) -> HttpResponse:
    try:
        content = build()
    except documents.DocumentUnavailable as error:
        raise Http404(error.message) from error
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _check(request: HttpRequest, employee: Employee, organisation: Organisation | None = None) -> None:
    if selectors_billing.can_get_documents(request.user, employee, organisation.pk if organisation else None):
        return
    if organisation is not None and not permissions.can_see_people_of(request.user, organisation):
        raise Http404
    raise PermissionDenied


@require_safe
@require(permissions.can_use_staffing)
def convention(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    employee = selectors.get_employee_for_user(request.user, pk)
    organisation = get_object_or_404(Organisation.objects.select_related("commune", "legal_form"), pk=org_pk)
    _check(request, employee, organisation)
    return _download(
        lambda: documents.convention_pdf(employee, organisation),
        f"convention-{slugify(employee.full_name)}-{organisation.slug}.pdf",
    )


@require_safe
@require(permissions.can_use_staffing)
def mission_letter(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.get_employee_for_user(request.user, pk)
    _check(request, employee)
    return _download(
        lambda: documents.mission_letter_pdf(employee), f"lettre-de-mission-{slugify(employee.full_name)}.pdf"
    )


@require_safe
@require(permissions.can_use_staffing)
def annex(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    invoicing = selectors_billing.get_invoicing_for_user(request.user, pk)
    organisation = get_object_or_404(Organisation.objects.select_related("commune", "legal_form"), pk=org_pk)
    _check(request, invoicing.employee, organisation)
    return _download(
        lambda: documents.annex_pdf(invoicing, organisation),
        f"heures-{slugify(invoicing.employee.full_name)}-{invoicing.month:%Y-%m}-{organisation.slug}.pdf",
    )
