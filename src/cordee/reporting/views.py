"""The dashboards, the highlights and the activity report as downloads. Thin: `report` assembles,
`charts` draws, the services write, `cordee.core.permissions` decides who sees what.

A period comes from the query string (`?du=2026-01-01&au=2026-06-30`); refused dates answer 400
with the form saying which date and why."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.network.models import Organisation, Visibility
from cordee.reporting import documents, selectors, services, workbook
from cordee.reporting.forms import HighlightForm, PeriodForm, period_form, refused
from cordee.reporting.periods import Period
from cordee.reporting.report import build_report, presets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def query(period: Period) -> str:
    return urlencode({"du": period.start.isoformat(), "au": period.end.isoformat()})


def _names_seen_by(user: Any) -> tuple[str, ...]:
    """Whose names a dashboard shows: every organisation for the hub's keepers, the organisations
    listed for members (or publicly) for a member admin."""
    if permissions.can_see_hub_dashboard(user):
        return (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE)
    return (Visibility.PUBLIC, Visibility.MEMBERS)


def _page(
    request: HttpRequest, form: PeriodForm, period: Period | None, organisation: Organisation | None
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "form": form,
        "organisation": organisation,
        "presets": [(label, query(preset)) for label, preset in presets()],
        "report": build_report(period, organisation=organisation, names=_names_seen_by(user))
        if period is not None
        else None,
        "query": query(period) if period is not None else "",
        "can_write_highlights": organisation is None and permissions.can_write_highlights(user),
        "can_see_hub": permissions.can_see_hub_dashboard(user),
    }
    return render(request, "reporting/dashboard.html", context, status=200 if period is not None else 400)


@require_safe
@require(permissions.can_open_some_dashboard)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The hub's dashboard; a member admin is sent to their organisation's (or chooses one)."""
    user = request.user
    if not permissions.can_see_hub_dashboard(user):
        organisations = list(selectors.dashboard_organisations_for(user))
        if len(organisations) == 1:
            return redirect("reporting:organisation_dashboard", organisation_id=organisations[0].pk)
        return render(request, "reporting/choose.html", {"organisations": organisations})
    form, period = period_form(request.GET)
    return _page(request, form, period, None)


@require_safe
@require(permissions.can_open_some_dashboard)
def organisation_dashboard(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """One organisation's own figures."""
    organisation = selectors.get_dashboard_organisation_for_user(request.user, organisation_id)
    form, period = period_form(request.GET)
    return _page(request, form, period, organisation)


def _download(request: HttpRequest, extension: str) -> HttpResponse:
    form, period = period_form(request.GET)
    if period is None:
        return _page(request, form, None, None)
    if extension == "pdf":
        content, content_type = documents.activity_report_pdf(period), "application/pdf"
    else:
        content, content_type = workbook.activity_report_xlsx(period), XLSX
    response = HttpResponse(content, content_type=content_type)
    filename = f"rapport-activite-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@require(permissions.can_see_hub_dashboard)
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@require_safe
@require(permissions.can_see_hub_dashboard)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


# --- Highlights -----------------------------------------------------------------------------------


def _back_to(starts_on: Any, ends_on: Any) -> str:
    return f"{reverse('reporting:dashboard')}?{urlencode({'du': str(starts_on), 'au': str(ends_on)})}#highlights"


@require(permissions.can_write_highlights)
def highlight_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"kind": "highlight"}
    _form, period = period_form(request.GET)
    if period is not None and (request.GET.get("du") or request.GET.get("au")):
        initial.update(starts_on=period.start, ends_on=period.end)
    form = HighlightForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                highlight = services.highlight_create(actor=_actor(request), **form.service_arguments())
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, _("The entry has been added to the report."))
                return redirect(_back_to(highlight.starts_on, highlight.ends_on))
        status = 400
    return render(request, "reporting/highlight_form.html", {"form": form, "highlight": None}, status=status)


@require(permissions.can_write_highlights)
def highlight_edit(request: HttpRequest, pk: int) -> HttpResponse:
    highlight = selectors.get_highlight_for_user(request.user, pk)
    initial = {
        "kind": highlight.kind,
        "starts_on": highlight.starts_on,
        "ends_on": highlight.ends_on,
        "title": highlight.title,
        "text": highlight.text,
        "attribution": highlight.attribution,
        "organisation": highlight.organisation_id,
        "picture_alt": highlight.picture_alt,
    }
    form = HighlightForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                highlight = services.highlight_update(
                    actor=_actor(request), highlight=highlight, **form.service_arguments()
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, _("The entry has been saved."))
                return redirect(_back_to(highlight.starts_on, highlight.ends_on))
        status = 400
    return render(request, "reporting/highlight_form.html", {"form": form, "highlight": highlight}, status=status)


@require(permissions.can_write_highlights)
def highlight_delete(request: HttpRequest, pk: int) -> HttpResponse:
    highlight = selectors.get_highlight_for_user(request.user, pk)
    if request.method == "POST":
        services.highlight_delete(actor=_actor(request), highlight=highlight)
        messages.success(request, _("The entry has been deleted."))
        return redirect(_back_to(highlight.starts_on, highlight.ends_on))
    return render(request, "reporting/highlight_delete.html", {"highlight": highlight})


@require_safe
@require(permissions.can_see_hub_dashboard)
def highlight_picture(request: HttpRequest, pk: int) -> FileResponse:
    """A highlight's picture, for those who see the hub's dashboard."""
    highlight = selectors.get_highlight_for_user(request.user, pk)
    if not highlight.picture:
        raise Http404(_("This entry has no picture."))
    extension = highlight.picture.name.rsplit(".", 1)[-1].lower()
    content_type = documents.PICTURE_TYPES.get(extension, "application/octet-stream")
    try:
        file = highlight.picture.open("rb")
    except OSError:
        raise Http404(_("This entry has no picture.")) from None
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
