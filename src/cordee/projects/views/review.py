"""The review pages: the ranking beside the envelope, the scoring grid, the committee's decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.governance import services as governance
from cordee.governance.models import Decision
from cordee.projects import selectors_review as selectors
from cordee.projects.forms_actions import DecideForm, PutToVoteForm, ScoreForm
from cordee.projects.models import Application
from cordee.projects.services import review as services

FIELD_ALIASES = {"granted_cents": "granted", "proposed_cents": "proposed"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(form: Any, exc: DomainError) -> None:
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def call_review(request: HttpRequest, slug: str) -> HttpResponse:
    """The ranking of the call's applications beside its envelope, and what the member still has to score."""
    call = selectors.get_call_for_review(request.user, slug)
    board = selectors.review_board(call, user=request.user)
    context = {
        "call": call,
        "board": board,
        "sits": permissions.sits_on(request.user, call.committee_id),
        "is_coordinator": permissions.can_manage_calls(request.user),
    }
    return render(request, "projects/review.html", context)


def _score_page(request: HttpRequest, application: Application, form: ScoreForm, *, status: int = 200) -> HttpResponse:
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "rows": form.rows(),
    }
    return render(request, "projects/review_score.html", context, status=status)


@login_required
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A committee member's scoring grid for one eligible application."""
    application = selectors.get_application_for_user(request.user, pk)
    call = application.call
    if not permissions.sits_on(request.user, call.committee_id):
        raise PermissionDenied
    conflict = services.conflict_of(request.user, application)
    if conflict is not None:
        return render(
            request,
            "projects/review_refused.html",
            {"application": application, "organisation": conflict},
            status=403,
        )
    if not permissions.can_score(request.user, application):
        raise PermissionDenied
    criteria = list(call.criteria.all())
    marks, comments = selectors.own_marks(request.user, application)
    initial: dict[str, Any] = {f"criterion_{pk}": value for pk, value in marks.items()}
    initial.update({f"comment_{pk}": text for pk, text in comments.items()})
    form = ScoreForm(request.POST or None, criteria=criteria, score_max=call.score_max, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.score_set(
                    actor=_actor(request), application=application, scores=form.marks(), comments=form.comments()
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Your scores are recorded."))
                return redirect("projects:call_review", call.slug)
        return _score_page(request, application, form, status=400)
    return _score_page(request, application, form)


def _deciding(request: HttpRequest, pk: int) -> Application:
    application = selectors.get_application_for_user(request.user, pk)
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    return application


def _decision_page(request: HttpRequest, application: Application, *, status: int = 200, **forms: Any) -> HttpResponse:
    decision = application.decision
    criteria = list(application.call.criteria.all())
    figures = None
    if decision is not None and decision.status == Decision.Status.OPEN:
        figures = governance.count(decision)
    context = {
        "application": application,
        "call": application.call,
        "decision": decision,
        "figures": figures,
        "sheets": [(sheet, [sheet.marks.get(c.pk) for c in criteria]) for sheet in selectors.sheets_of(application)],
        "criteria": criteria,
        "can_put": application.status == Application.Status.ELIGIBLE and decision is None,
        "can_decide": application.status == Application.Status.ELIGIBLE
        and decision is not None
        and decision.status == Decision.Status.OPEN,
        "put_form": forms.get("put_form") or PutToVoteForm(initial={"proposed": application.requested_cents}),
        "decide_form": forms.get("decide_form") or DecideForm(initial={"granted": application.requested_cents}),
        "refused_form": next((form for form in forms.values() if form.errors), None),
    }
    return render(request, "projects/review_decision.html", context, status=status)


@login_required
def application_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's page: put the application to the committee, then record its decision."""
    application = _deciding(request, pk)
    if request.method != "POST":
        return _decision_page(request, application)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                actor=_actor(request),
                application=application,
                granted_cents=form.cleaned_data["granted"],
                reasons=form.cleaned_data["reasons"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The decision is recorded and sent to the applicant."))
            return redirect("projects:application_decision", application.pk)
    return _decision_page(request, selectors.get_application_for_user(request.user, pk), status=400, decide_form=form)


@require_POST
@login_required
def application_put_to_vote(request: HttpRequest, pk: int) -> HttpResponse:
    application = _deciding(request, pk)
    form = PutToVoteForm(request.POST)
    if form.is_valid():
        try:
            services.application_put_to_vote(
                actor=_actor(request),
                application=application,
                proposed_cents=form.cleaned_data["proposed"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The application is put to the committee's vote."))
            return redirect("projects:application_decision", application.pk)
    return _decision_page(request, application, status=400, put_form=form)
