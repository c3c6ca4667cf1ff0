from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.governance import documents, selectors, services
from cordee.governance.forms import (
    BodyForm,
    CancelForm,
    CloseForm,
    DecisionForm,
    RegisterFilterForm,
    SeatEndForm,
    SeatForm,
)
from cordee.governance.models import Body, BodyMember, Decision
from cordee.governance.templatetags.governance import ballot_form

# Refusals that say the person may not do this, rather than that the input is wrong.
FORBIDDEN = ("forbidden", services.NO_SEAT, services.RECUSED)
PDF = "application/pdf"
# The close and cancel forms share a page and a field name.
CLOSE_IDS, CANCEL_IDS = "close-%s", "cancel-%s"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _refused(form: Any, exc: DomainError) -> int:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return 403 if exc.code in FORBIDDEN else 400


def safe_next(request: HttpRequest) -> str:
    """The page to go back to after a form posted from elsewhere (e.g. an advance's page), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _decision_url(decision: Decision) -> str:
    return reverse("governance:decision", args=[decision.pk])


# --- Bodies -------------------------------------------------------------------------------------


@require(permissions.can_use_governance)
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "bodies": selectors.bodies_for(request.user),
        "pending": selectors.pending_votes_for(request.user),
        "decisions": selectors.decisions_for(request.user)[:50],
        "can_manage": permissions.can_manage_bodies(request.user),
    }
    return render(request, "governance/index.html", context)


@require(permissions.can_manage_bodies)
def body_create(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=_actor(request), **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The body has been created. Add its members."))
            return redirect("governance:body", slug=body.slug)
    return render(request, "governance/body_form.html", {"form": form}, status=400 if form.errors else 200)


@require(permissions.can_manage_bodies)
def body_edit(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(actor=_actor(request), body=body, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The body has been saved."))
            return redirect("governance:body", slug=body.slug)
    context = {"form": form, "body": body}
    return render(request, "governance/body_form.html", context, status=400 if form.errors else 200)


def _body_page(request: HttpRequest, body: Body, status: int = 200, **forms: Any) -> HttpResponse:
    ongoing, ended = selectors.seats_of(body)
    can_manage = permissions.can_manage_bodies(request.user)
    context: dict[str, Any] = {
        "body": body,
        "seats": ongoing,
        "ended_seats": ended,
        "decisions": selectors.decisions_for(request.user, body=body)[:50],
        "can_manage": can_manage,
        "seat_form": forms.get("seat_form") or (SeatForm() if can_manage else None),
        "refused_form": next(iter(forms.values()), None),
        "refused_seat": forms.get("refused_seat"),
        "assembly_members": (
            list(services.assembly_members().order_by("sort_name", "pk"))
            if body.kind == Body.Kind.GENERAL_ASSEMBLY
            else None
        ),
    }
    return render(request, "governance/body.html", context, status=status)


@require(permissions.can_use_governance)
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _body_page(request, selectors.get_body_for_user(request.user, slug))


@require_POST
@require(permissions.can_manage_bodies)
def seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    form = SeatForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            seat = services.seat_add(actor=_actor(request), body=body, **form.cleaned_data)
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("%(person)s now sits on %(body)s.") % {"person": seat.person, "body": body})
            return redirect("governance:body", slug=body.slug)
    return _body_page(request, body, status=status, seat_form=form)


@require_POST
@require(permissions.can_manage_bodies)
def seat_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    seat = get_object_or_404(BodyMember.objects.select_related("person"), pk=pk, body=body)
    form = SeatEndForm(request.POST, auto_id=f"seat-{seat.pk}-%s")
    status = 400
    if form.is_valid():
        try:
            services.seat_end(actor=_actor(request), seat=seat, ends_on=form.cleaned_data["ends_on"])
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("The term of %(person)s has been ended.") % {"person": seat.person})
            return redirect("governance:body", slug=body.slug)
    return _body_page(request, body, status=status, seat_end_form=form, refused_seat=seat)


# --- Decisions ----------------------------------------------------------------------------------


@require(permissions.can_manage_bodies)
def decision_create(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_open(actor=_actor(request), body=body, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The decision has been put to the vote."))
            return redirect(_decision_url(decision))
    return render(
        request, "governance/decision_form.html", {"form": form, "body": body}, status=400 if form.errors else 200
    )


def _decision_page(request: HttpRequest, decision: Decision, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    can_close = permissions.can_close_decision(user, decision) and decision.status == Decision.Status.OPEN
    assembly = decision.body.kind == Body.Kind.GENERAL_ASSEMBLY
    context: dict[str, Any] = {
        "decision": decision,
        "now": timezone.now(),
        "tally": selectors.tally(decision),
        "options": selectors.options_of(decision),
        "votes": selectors.votes_of(decision),
        "assembly": assembly,
        "recused": [] if assembly else selectors.recused_of(decision),
        "recused_organisations": selectors.recused_organisations_of(decision) if assembly else [],
        "concerned": selectors.concerned_of(decision),
        "subject_url": selectors.subject_url(decision),
        "can_close": can_close,
        "close_form": forms.get("close_form") or CloseForm(auto_id=CLOSE_IDS),
        "cancel_form": forms.get("cancel_form") or CancelForm(auto_id=CANCEL_IDS),
        "vote_form": forms.get("vote_form"),
        "next": safe_next(request),
        "refused_form": next(iter(forms.values()), None),
    }
    return render(request, "governance/decision.html", context, status=status)


@require(permissions.can_use_governance)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_page(request, selectors.get_decision_for_user(request.user, pk))


@require_POST
@require(permissions.can_use_governance)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast a vote, or change it on purpose (`change`); back to `next` (the page the form was
    embedded in) when it is safe. In the general assembly the form says which organisation votes."""
    decision = selectors.get_decision_for_user(request.user, pk)
    held = selectors.ballots(request.user, decision)
    wanted = request.POST.get("organisation") or ""
    standing = next((b for b in held if b.organisation is not None and str(b.organisation.pk) == wanted), None)
    if standing is None:
        standing = held[0] if held else selectors.ballot(request.user, decision)
    form = ballot_form(decision, standing, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.vote_cast(
                actor=_actor(request),
                decision=decision,
                comment=form.cleaned_data["comment"],
                organisation=standing.organisation,
                change=bool(form.cleaned_data["change"]),
                **form.ballot(),
            )
        except DomainError as exc:
            status = _refused(form, exc)
            decision = selectors.get_decision_for_user(request.user, pk)  # it may have closed meanwhile
        else:
            messages.success(request, _("Your vote has been recorded."))
            return redirect(safe_next(request) or _decision_url(decision))
    return _decision_page(request, decision, status=status, vote_form=form)


def _closing(request: HttpRequest, pk: int) -> Decision:
    decision = selectors.get_decision_for_user(request.user, pk)
    if not permissions.can_close_decision(request.user, decision):
        raise PermissionDenied
    return decision


@require_POST
@require(permissions.can_use_governance)
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _closing(request, pk)
    form = CloseForm(request.POST, auto_id=CLOSE_IDS)
    status = 400
    if form.is_valid():
        try:
            decision = services.decision_close(actor=_actor(request), decision=decision, **form.cleaned_data)
        except DomainError as exc:
            status = _refused(form, exc)
            decision = selectors.get_decision_for_user(request.user, pk)
        else:
            messages.success(
                request,
                _("The vote is closed: %(outcome)s. Entered in the register under number %(number)s.")
                % {"outcome": decision.get_outcome_display(), "number": decision.register_number},
            )
            return redirect(_decision_url(decision))
    return _decision_page(request, decision, status=status, close_form=form)


@require_POST
@require(permissions.can_use_governance)
def decision_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _closing(request, pk)
    form = CancelForm(request.POST, auto_id=CANCEL_IDS)
    status = 400
    if form.is_valid():
        try:
            services.decision_cancel(actor=_actor(request), decision=decision, reasons=form.cleaned_data["reasons"])
        except DomainError as exc:
            status = _refused(form, exc)
            decision = selectors.get_decision_for_user(request.user, pk)
        else:
            messages.success(request, _("The decision has been cancelled."))
            return redirect(_decision_url(decision))
    return _decision_page(request, decision, status=status, cancel_form=form)


@require(permissions.can_use_governance)
def decision_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (PDF) of a closed decision; a decision still open or cancelled has none."""
    decision = selectors.get_decision_for_user(request.user, pk)
    if decision.status != Decision.Status.CLOSED or not decision.register_number:
        raise Http404
    response = HttpResponse(documents.minutes_pdf(decision), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="proces-verbal-{decision.register_number}.pdf"'
    return response


# --- The register of decisions -------------------------------------------------------------------


def _register_rows(request: HttpRequest) -> tuple[RegisterFilterForm, Any]:
    user = request.user
    form = RegisterFilterForm(
        request.GET or None, bodies=selectors.visible_bodies(user), years=selectors.register_years(user)
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "body": form.cleaned_data["body"],
            "category": form.cleaned_data["category"] or "",
            "year": form.cleaned_data["year"],
        }
    return form, selectors.register_for(user, **filters)


@require(permissions.can_see_register)
def register(request: HttpRequest) -> HttpResponse:
    form, decisions = _register_rows(request)
    rows = [
        (decision, selectors.subject_url(decision), selectors.figures_line(decision)) for decision in decisions[:200]
    ]
    query = request.GET.urlencode()
    return render(request, "governance/register.html", {"form": form, "rows": rows, "query": query})


@require(permissions.can_see_register)
def register_csv(request: HttpRequest) -> HttpResponse:
    """The same rows as the register page, for a spreadsheet (semicolons, as French spreadsheets expect)."""
    _form, decisions = _register_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-des-decisions.csv"'
    response.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["numero", "date", "instance", "rubrique", "decision", "resultat", "chiffres", "lien"])
    for decision in decisions:
        url = selectors.subject_url(decision)
        writer.writerow(
            [
                decision.register_number,
                decision.closed_at.strftime("%d/%m/%Y") if decision.closed_at else "",
                decision.body.name,
                decision.get_category_display(),
                decision.title,
                decision.get_outcome_display(),
                selectors.figures_line(decision),
                request.build_absolute_uri(url) if url else "",
            ]
        )
    return response
