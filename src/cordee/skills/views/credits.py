"""Time credits: balances, bounds and statements; the coordinator's settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.skills import credits
from cordee.skills import selectors_exchanges as selectors
from cordee.skills.forms_exchanges import BoundsForm
from cordee.skills.models import CreditSettings
from cordee.skills.services import credits as services
from cordee.skills.views.exchanges import _actor

FIELD_ALIASES = {"floor_minutes": "floor", "ceiling_minutes": "ceiling"}


def _refused(form: BoundsForm, exc: DomainError) -> None:
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _settings_form(data: Any = None) -> BoundsForm:
    defaults = CreditSettings.current()
    return BoundsForm(data, initial={"floor": -defaults.floor_minutes, "ceiling": defaults.ceiling_minutes})


def _overview(request: HttpRequest, *, status: int = 200, settings_form: BoundsForm | None = None) -> HttpResponse:
    organisations = list(selectors.time_credit_organisations(request.user))
    rows = credits.positions(organisations)
    # A person of one or a few organisations sees their statements; the hub's keepers, the table.
    statements = [] if len(rows) > 5 else [(row, credits.statement_of(row.organisation)) for row in rows]
    coordinator = permissions.can_set_time_credits(request.user)
    context = {
        "positions": rows,
        "statements": statements,
        "defaults": CreditSettings.current(),
        "can_set": coordinator,
        "settings_form": settings_form or (_settings_form() if coordinator else None),
    }
    return render(request, "skills/credits.html", context, status=status)


@require(permissions.can_use_skills)
def credit_overview(request: HttpRequest) -> HttpResponse:
    return _overview(request)


@require_POST
@require(permissions.can_set_time_credits)
def credit_settings(request: HttpRequest) -> HttpResponse:
    form = _settings_form(request.POST)
    if form.is_valid():
        floor_minutes, ceiling_minutes = form.minutes()
        try:
            services.credit_settings_update(
                actor=_actor(request), floor_minutes=floor_minutes, ceiling_minutes=ceiling_minutes
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The default bounds of time credits are saved."))
            return redirect("skills:credits")
    return _overview(request, status=400, settings_form=form)


@require(permissions.can_set_time_credits)
def credit_limit(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_credits(request.user, org_pk)
    position = credits.position_of(organisation)
    form = BoundsForm(
        request.POST if request.POST.get("action") != "reset" else None,
        initial={"floor": -position.floor_minutes, "ceiling": position.ceiling_minutes},
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "reset":
        try:
            services.credit_limit_reset(actor=_actor(request), organisation=organisation)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            messages.success(
                request, _("%(name)s follows the hub's default bounds again.") % {"name": organisation.name}
            )
            return redirect("skills:credit_limit", organisation.pk)
    elif request.method == "POST":
        if form.is_valid():
            floor_minutes, ceiling_minutes = form.minutes()
            try:
                services.credit_limit_set(
                    actor=_actor(request),
                    organisation=organisation,
                    floor_minutes=floor_minutes,
                    ceiling_minutes=ceiling_minutes,
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The bounds of %(name)s are saved.") % {"name": organisation.name})
                return redirect("skills:credit_limit", organisation.pk)
        status = 400
    context = {
        "organisation": organisation,
        "position": position,
        "statement": credits.statement_of(organisation),
        "form": form,
    }
    return render(request, "skills/credits_organisation.html", context, status=status)
