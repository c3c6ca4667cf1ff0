"""The funded actions' pages: the list of those a person follows, an action (agreement, milestones,
tranches, reports, indicators), the agreement as a PDF, a report's file, and the fund."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.projects import books, documents
from cordee.projects import selectors_actions as selectors
from cordee.projects.forms_actions import (
    CloseForm,
    DisburseForm,
    EndowForm,
    IndicatorForm,
    MilestoneFormSet,
    ProgressForm,
    ReportForm,
    ReverseForm,
    SignForm,
    milestone_initial,
)
from cordee.projects.models import Action, Disbursement, Indicator, Milestone
from cordee.projects.services import actions as services

FIELD_ALIASES = {"amount_cents": "amount"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(form: Any, exc: DomainError) -> None:
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in getattr(form, "fields", {}) else None, exc.message)


def _notice(exc: DomainError) -> forms.Form:
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    notice = forms.Form({})
    notice.is_valid()
    notice.add_error(None, exc.message)
    return notice


@require(permissions.can_follow_actions)
def action_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.actions_for(request.user).prefetch_related("milestones")[:500])
    lines = [(action, selectors.overall_progress(action.milestones.all())) for action in rows]
    context = {"lines": lines, "can_keep_fund": permissions.can_keep_fund(request.user)}
    return render(request, "projects/action_list.html", context)


def _detail(request: HttpRequest, action: Action, *, status: int = 200, **forms_: Any) -> HttpResponse:
    user = request.user
    manage = permissions.can_manage_action(user, action)
    report = permissions.can_report_on(user, action)
    disburse = permissions.can_disburse(user) and action.status == Action.Status.IN_PROGRESS
    milestones = selectors.milestone_lines(action)
    disbursements = selectors.disbursements_of(action)
    open_ = action.status in (Action.Status.AGREEMENT, Action.Status.IN_PROGRESS)
    context = {
        "action": action,
        "application": action.application,
        "milestones": milestones,
        "progress": selectors.overall_progress([line.milestone for line in milestones]),
        "money": selectors.money_of(action),
        "disbursements": [(d, disburse and selectors.reversible(d)) for d in disbursements],
        "reports": list(action.reports.select_related("uploaded_by")),
        "indicators": list(action.application.indicators.all()),
        "can_manage": manage and open_,
        "can_sign": manage and action.status == Action.Status.AGREEMENT,
        "can_report": report,
        "can_disburse": disburse,
        "sign_form": forms_.get("sign_form") or SignForm(),
        "milestone_formset": forms_.get("milestone_formset")
        or MilestoneFormSet(initial=milestone_initial([line.milestone for line in milestones]), prefix="m"),
        "disburse_form": forms_.get("disburse_form")
        or DisburseForm(milestones=[line.milestone for line in milestones]),
        "report_form": forms_.get("report_form") or ReportForm(),
        "close_form": forms_.get("close_form") or CloseForm(),
        "refused_form": next((f for f in forms_.values() if isinstance(f, forms.Form) and f.errors), None),
        "refused_formset": forms_.get("milestone_formset"),
    }
    return render(request, "projects/action_detail.html", context, status=status)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_action_for_user(request.user, pk))


@require_safe
@login_required
def action_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    response = HttpResponse(documents.agreement_pdf(action), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{action.number}.pdf"'
    return response


def _managed(request: HttpRequest, pk: int) -> Action:
    action = selectors.get_action_for_user(request.user, pk)
    if not permissions.can_manage_action(request.user, action):
        raise PermissionDenied
    return action


@require_POST
@login_required
def action_sign(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed(request, pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.action_sign(
                actor=_actor(request),
                action=action,
                signed_on=form.cleaned_data["signed_on"],
                signed_by=form.cleaned_data["signed_by"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The agreement is signed: the action is in progress."))
            return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, sign_form=form)


@require_POST
@login_required
def action_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed(request, pk)
    formset = MilestoneFormSet(request.POST, prefix="m")
    if formset.is_valid():
        rows = [
            services.MilestoneIn(
                title=data["title"], due_on=data["due_on"], tranche_cents=data["tranche"] or 0, id=data.get("id")
            )
            for data in formset.cleaned_data
            if data and (data.get("title") or data.get("tranche"))
        ]
        missing = next((i for i, row in enumerate(rows, 1) if row.due_on is None), None)
        if missing:
            formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                [_("Milestone %(n)d: give its due date.") % {"n": missing}]
            )
        else:
            try:
                services.milestones_set(actor=_actor(request), action=action, milestones=rows)
            except DomainError as exc:
                if exc.code == "forbidden":
                    raise PermissionDenied(exc.message) from exc
                formset._non_form_errors = formset.error_class([exc.message])  # type: ignore[attr-defined]
            else:
                messages.success(request, _("The milestones are set."))
                return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, milestone_formset=formset)


def _milestone(action: Action, milestone_pk: int) -> Milestone:
    milestone = Milestone.objects.filter(pk=milestone_pk, action=action).first()
    if milestone is None:
        raise Http404
    return milestone


@login_required
def milestone_progress(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    milestone = _milestone(action, milestone_pk)
    if not permissions.can_report_on(request.user, action):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, initial={"progress": milestone.progress, "note": milestone.note})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.milestone_progress(
                    actor=_actor(request),
                    milestone=milestone,
                    progress=form.cleaned_data["progress"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The progress is recorded."))
                return redirect("projects:action", action.pk)
        status = 400
    context = {"action": action, "milestone": milestone, "form": form}
    return render(request, "projects/action_progress.html", context, status=status)


@require_POST
@login_required
def action_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    if not permissions.can_disburse(request.user):
        raise PermissionDenied
    milestones = list(action.milestones.all())
    form = DisburseForm(request.POST, milestones=milestones)
    if form.is_valid():
        try:
            services.disbursement_create(
                actor=_actor(request),
                action=action,
                milestone=_milestone(action, form.cleaned_data["milestone"]),
                amount_cents=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The payment is recorded in the ledger."))
            return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, disburse_form=form)


@require_POST
@login_required
def disbursement_reverse(request: HttpRequest, pk: int, disbursement_pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    if not permissions.can_disburse(request.user):
        raise PermissionDenied
    disbursement = Disbursement.objects.filter(pk=disbursement_pk, action=action).first()
    if disbursement is None:
        raise Http404
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_reverse(
                actor=_actor(request), disbursement=disbursement, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            return _detail(request, action, status=400, reverse_form=_notice(exc))
        messages.success(request, _("The payment is corrected."))
        return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, reverse_form=form)


@require_POST
@login_required
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    if not permissions.can_report_on(request.user, action):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_upload(
                actor=_actor(request),
                action=action,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The report is filed."))
            return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, report_form=form)


@require_safe
@login_required
def report_download(request: HttpRequest, pk: int, report_pk: int) -> FileResponse:
    """A report's file, only through this view: the reports are never at a public address."""
    report = selectors.get_report_for_user(request.user, report_pk)
    if report.action_id != pk:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.original_name, content_type=report.content_type
    )


@login_required
def indicator_reach(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    indicator = Indicator.objects.filter(pk=indicator_pk, application_id=action.application_id).first()
    if indicator is None:
        raise Http404
    if not permissions.can_report_on(request.user, action):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, initial={"reached": indicator.reached, "note": indicator.reached_note})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.indicator_reach(
                    actor=_actor(request),
                    indicator=indicator,
                    reached=form.cleaned_data["reached"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The indicator is updated."))
                return redirect("projects:action", action.pk)
        status = 400
    context = {"action": action, "indicator": indicator, "form": form}
    return render(request, "projects/action_indicator.html", context, status=status)


@require_POST
@login_required
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.action_close(actor=_actor(request), action=action, status=form.cleaned_data["status"])
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The action is closed."))
            return redirect("projects:action", action.pk)
    return _detail(request, action, status=400, close_form=form)


@require_POST
@login_required
def action_public(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed(request, pk)
    try:
        services.action_set_public(actor=_actor(request), action=action, public=request.POST.get("public") == "1")
    except DomainError as exc:
        return _detail(request, action, status=400, public_form=_notice(exc))
    return redirect("projects:action", action.pk)


@require(permissions.can_keep_fund)
def fund(request: HttpRequest) -> HttpResponse:
    """The fund for territorial actions: what it received, what it holds; a grant received."""
    form = EndowForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.fund_endow(
                    actor=_actor(request),
                    amount_cents=form.cleaned_data["amount"],
                    funder=form.cleaned_data["funder"],
                    reference=form.cleaned_data["reference"],
                    received_on=form.cleaned_data["received_on"],
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The grant is recorded in the fund."))
                return redirect("projects:fund")
        status = 400
    context = {
        "form": form,
        "cash_cents": books.fund_cash_cents(),
        "received_cents": books.fund_received_cents(),
        "granted_cents": sum(
            a.granted_cents for a in Action.objects.exclude(status=Action.Status.ABANDONED).only("granted_cents")
        ),
    }
    return render(request, "projects/action_fund.html", context, status=status)
