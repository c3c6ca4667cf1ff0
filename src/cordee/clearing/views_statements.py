"""The clearing statements as downloads. Thin: `cordee.clearing.statements` draws them,
`cordee.core.permissions` decides who gets them.

A statement the person may not see, of a party the run left out, or of a run not executed (a
proposal has none) answers 404 alike: nobody learns who took part in a run they do not see."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cordee.clearing import selectors, statements
from cordee.clearing.models import Run
from cordee.core import permissions
from cordee.core.decorators import require


def _download(run: Run, organisation_id: int | None, user: object) -> HttpResponse:
    if not permissions.can_see_clearing_of(user, organisation_id):
        raise Http404
    try:
        statement = statements.statement_of(run, organisation_id)
    except statements.StatementUnavailable as error:
        raise Http404(error.message) from error
    pdf = statements.statement_pdf_of(statement)
    response = HttpResponse(pdf, content_type=statements.PDF)
    response["Content-Disposition"] = f'attachment; filename="{statement.filename}"'
    return response


@require_safe
@require(permissions.can_use_clearing)
def statement(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """A member's statement of an executed run."""
    run = get_object_or_404(selectors.runs(), pk=pk, status=Run.Status.EXECUTED)
    return _download(run, organisation_pk, request.user)


@require_safe
@require(permissions.can_use_clearing)
def hub_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The hub's own statement of an executed run: the coordinator's and the treasurer's."""
    run = get_object_or_404(selectors.runs(), pk=pk, status=Run.Status.EXECUTED)
    return _download(run, None, request.user)
