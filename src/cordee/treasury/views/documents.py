"""The treasury's documents as downloads. Thin: `cordee.treasury.documents` draws them, the scoped
selectors and `cordee.core.permissions` decide who gets them.

A document that does not exist for the row asked (an agreement before the committee granted the
advance, a minute before the vote closed) answers 404, as a row the person may not see does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.network.models import Organisation
from cordee.treasury import documents, selectors
from cordee.treasury.models import AdvanceAttachment

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def _download(build: Callable[[], bytes], filename: str, content_type: str = PDF) -> HttpResponse:
    try:
        content = build()
    except documents.DocumentUnavailable as error:
        raise Http404(error.message) from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@require(permissions.can_use_treasury)
def advance_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    advance = selectors.get_advance_for_user(request.user, pk)
    return _download(lambda: documents.advance_agreement_pdf(advance), f"convention-{advance.reference}.pdf")


@require_safe
@require(permissions.can_use_treasury)
def advance_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    advance = selectors.get_advance_for_user(request.user, pk)
    return _download(lambda: documents.schedule_pdf(advance), f"echeancier-{advance.reference}.pdf")


@require_safe
@require(permissions.can_use_treasury)
def decision_minute(request: HttpRequest, pk: int) -> HttpResponse:
    """The minute holds each member's vote and comment: it is the committee's record, seen by those
    who see its decisions (its members, the coordinator, the treasurer), not by the applicant."""
    advance = selectors.get_advance_for_user(request.user, pk)
    decision = advance.decision
    if decision is None:
        raise Http404
    if not permissions.can_see_decision(request.user, decision):
        raise PermissionDenied
    return _download(lambda: documents.committee_minute_pdf(decision), f"proces-verbal-{advance.reference}.pdf")


@require_safe
@require(permissions.can_use_treasury)
def deposit_attestation(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = selectors.get_deposit_for_user(request.user, pk)
    return _download(lambda: documents.attestation_pack_pdf(deposit), f"attestation-{deposit.reference}.pdf")


@require_safe
@require(permissions.can_use_treasury)
def member_statement(request: HttpRequest, org_pk: int) -> HttpResponse:
    """`?au=AAAA-MM-JJ` gives the statement as it stood that day (today by default)."""
    if not permissions.can_see_treasury_of(request.user, org_pk):
        raise Http404
    organisation = get_object_or_404(Organisation, pk=org_pk)
    today = timezone.localdate()
    try:
        on = dt.date.fromisoformat(request.GET["au"]) if request.GET.get("au") else today
    except ValueError as error:
        raise Http404 from error
    on = min(on, today)
    return _download(
        lambda: documents.member_statement_pdf(organisation, on),
        f"releve-{organisation.slug}-{on.isoformat()}.pdf",
    )


@require_safe
@require(permissions.can_see_pool)
def yearly_agreements(request: HttpRequest, year: str, fmt: str) -> HttpResponse:
    number = int(year)
    if fmt == "csv":
        return _download(lambda: documents.yearly_agreements_csv(number), f"conventions-{number}.csv", CSV)
    return _download(lambda: documents.yearly_agreements_pdf(number), f"conventions-{number}.pdf")


# --- Uploaded files: never at a public address, only through these views.

DEPOSIT_FILES = {"proces-verbal": "board_minute", "attestation-comptable": "attestation"}


def _uploaded(field: FieldFile) -> FileResponse:
    if not field or not field.name:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=Path(field.name).name)


@require_safe
@require(permissions.can_use_treasury)
def deposit_file(request: HttpRequest, pk: int, which: str) -> FileResponse:
    """The board minute or the accountant's attestation a member uploaded with a deposit."""
    if which not in DEPOSIT_FILES:
        raise Http404
    deposit = selectors.get_deposit_for_user(request.user, pk)
    return _uploaded(getattr(deposit, DEPOSIT_FILES[which]))


@require_safe
@require(permissions.can_use_treasury)
def advance_notification(request: HttpRequest, pk: int) -> FileResponse:
    """The notification of the subsidy an advance bridges."""
    return _uploaded(selectors.get_advance_for_user(request.user, pk).notification)


@require_safe
@require(permissions.can_use_treasury)
def advance_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    advance = selectors.get_advance_for_user(request.user, pk)
    attachment = get_object_or_404(AdvanceAttachment, pk=attachment_pk, advance=advance)
    return _uploaded(attachment.file)
