"""Exchanges: proposing one on a listing, following it to done, reviewing it; who helped whom."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.skills import cooperation
from cordee.skills import selectors_exchanges as selectors
from cordee.skills.forms_exchanges import CancelForm, ConfirmForm, ProposeForm, ReviewForm
from cordee.skills.models import Exchange, Terms
from cordee.skills.services import exchanges as services

FIELD_ALIASES = {"minutes": "hours", "price_cents": "price"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(form: Any, exc: DomainError) -> None:
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@require(permissions.can_use_skills)
def exchange_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.exchanges_for(request.user).order_by("-proposed_at", "-pk")[:500])
    by_state = [(label, [e for e in rows if e.state == state]) for state, label in Exchange.State.choices]
    return render(request, "skills/exchange_list.html", {"by_state": by_state, "count": len(rows)})


def _detail(request: HttpRequest, exchange: Exchange, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    sides = selectors.acting_sides(user, exchange)
    reviews = list(exchange.reviews.select_related("organisation").order_by("created_at", "pk"))
    reviewed = {review.organisation_id for review in reviews}
    confirming = [
        side
        for side in sides
        if (side.pk == exchange.giver_id and exchange.giver_confirmed_at is None)
        or (side.pk == exchange.receiver_id and exchange.receiver_confirmed_at is None)
    ]
    accepting = [side for side in sides if side.pk != exchange.proposed_by_organisation_id]
    open_states = (Exchange.State.PROPOSED, Exchange.State.ACCEPTED)
    context = {
        "exchange": exchange,
        "reviews": reviews,
        "can_accept": exchange.state == Exchange.State.PROPOSED and bool(accepting),
        "can_confirm": exchange.state == Exchange.State.ACCEPTED and bool(confirming),
        "can_cancel": exchange.state in open_states and bool(sides),
        "can_review": exchange.state == Exchange.State.DONE and any(s.pk not in reviewed for s in sides),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(organisations=confirming),
        "cancel_form": forms.get("cancel_form") or CancelForm(organisations=sides),
        "review_form": forms.get("review_form") or ReviewForm(organisations=[s for s in sides if s.pk not in reviewed]),
        "refused_form": next((form for form in forms.values() if form.errors), None),
    }
    return render(request, "skills/exchange_detail.html", context, status=status)


@require(permissions.can_use_skills)
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_exchange_for_user(request.user, pk))


@require(permissions.can_use_skills)
def exchange_propose(request: HttpRequest, listing_pk: int) -> HttpResponse:
    listing = selectors.get_listing_for_proposal(request.user, listing_pk)
    organisations = selectors.proposing_organisations(request.user, listing)
    initial = {
        "description": listing.title,
        "terms": listing.terms,
        "hours": listing.minutes,
        "price": listing.price_cents,
    }
    form = ProposeForm(request.POST or None, organisations=organisations, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                exchange = services.exchange_propose(
                    actor=_actor(request),
                    organisation=data["organisation"],
                    listing=listing,
                    description=data["description"],
                    terms=data["terms"],
                    minutes=data["hours"] if data["terms"] == Terms.HOURS else None,
                    price_cents=data["price"] if data["terms"] == Terms.EUROS else None,
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request, _("The exchange is proposed to %(name)s.") % {"name": listing.organisation.name}
                )
                return redirect("skills:exchange", exchange.pk)
        status = 400
    choices = list(organisations)
    context = {"listing": listing, "form": form, "organisations": choices, "no_organisation": not choices}
    return render(request, "skills/exchange_propose.html", context, status=status)


@require_POST
@require(permissions.can_use_skills)
def exchange_accept(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(request.user, pk)
    try:
        services.exchange_accept(actor=_actor(request), exchange=exchange)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        notice = forms.Form({})
        notice.is_valid()
        notice.add_error(None, exc.message)
        return _detail(request, exchange, status=400, accept_form=notice)
    messages.success(request, _("The exchange is accepted."))
    return redirect("skills:exchange", exchange.pk)


def _side_action(request: HttpRequest, pk: int, form_class: type) -> tuple[Exchange, Any]:
    exchange = selectors.get_exchange_for_user(request.user, pk)
    sides = selectors.acting_sides(request.user, exchange)
    if not sides:
        raise PermissionDenied
    return exchange, form_class(request.POST, organisations=sides)


@require_POST
@require(permissions.can_use_skills)
def exchange_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    exchange, form = _side_action(request, pk, ConfirmForm)
    if form.is_valid():
        try:
            exchange = services.exchange_confirm(
                actor=_actor(request),
                exchange=exchange,
                organisation=form.cleaned_data["organisation"],
                done_on=form.cleaned_data["done_on"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            if exchange.state == Exchange.State.DONE:
                messages.success(request, _("Both sides have confirmed: the exchange is done."))
            else:
                messages.success(request, _("Your confirmation is recorded; the other side's is awaited."))
            return redirect("skills:exchange", exchange.pk)
    return _detail(request, exchange, status=400, confirm_form=form)


@require_POST
@require(permissions.can_use_skills)
def exchange_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    exchange, form = _side_action(request, pk, CancelForm)
    if form.is_valid():
        try:
            services.exchange_cancel(
                actor=_actor(request),
                exchange=exchange,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The exchange is called off."))
            return redirect("skills:exchange", exchange.pk)
    return _detail(request, exchange, status=400, cancel_form=form)


@require_POST
@require(permissions.can_use_skills)
def exchange_review(request: HttpRequest, pk: int) -> HttpResponse:
    exchange, form = _side_action(request, pk, ReviewForm)
    if form.is_valid():
        try:
            services.review_create(
                actor=_actor(request),
                exchange=exchange,
                organisation=form.cleaned_data["organisation"],
                rating=form.cleaned_data["rating"],
                testimony=form.cleaned_data["testimony"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("skills:exchange", exchange.pk)
    return _detail(request, exchange, status=400, review_form=form)


@require(permissions.can_use_skills)
def cooperation_list(request: HttpRequest) -> HttpResponse:
    rows = cooperation.rows_for(request.user)
    return render(request, "skills/cooperations.html", {"cooperation_rows": rows})
