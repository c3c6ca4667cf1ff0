"""The pages of the applications: start one for an open call, write it (a draft keeps incomplete
data and says what is missing), submit or withdraw it, the list of one's own applications, and the
coordinator's eligibility check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.projects import selectors_calls as selectors
from cordee.projects.budget import totals
from cordee.projects.forms_calls import ApplicationForm, EligibilityForm, StartForm
from cordee.projects.models import Application
from cordee.projects.services import applications as services
from cordee.projects.views.calls import refused


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def application_url(application: Application) -> str:
    return reverse("projects:application", args=[application.pk])


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    if not permissions.actor_for(request.user).is_member:
        raise PermissionDenied
    return render(request, "projects/application_list.html", {"applications": selectors.my_applications(request.user)})


@login_required
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _actor(request)
    call = selectors.get_call_for_user(user, slug)
    organisations = services.applying_organisations(user, call)
    if not organisations:
        raise PermissionDenied
    form = StartForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_start(
                    actor=user,
                    call=call,
                    organisation=form.cleaned_data["organisation"],
                    title=form.cleaned_data["title"],
                )
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("Your application is started as a draft: fill it in, then submit it."))
                return redirect(reverse("projects:application_edit", args=[application.pk]))
        status = 400
    return render(request, "projects/application_start.html", {"form": form, "call": call}, status=status)


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    status: int = 200,
    eligibility_form: EligibilityForm | None = None,
) -> HttpResponse:
    user = request.user
    lines = list(application.budget_lines.all())
    draft = application.status == Application.Status.DRAFT
    context = {
        "application": application,
        "call": application.call,
        "partners": list(application.partners.select_related("organisation")),
        "expenses": [line for line in lines if line.kind == "expense"],
        "resources": [line for line in lines if line.kind == "resource"],
        "totals": totals(services.budget_lines_of(application)),
        "indicators": list(application.indicators.all()),
        "communes": list(application.communes.all()),
        "answers": [(question, application.answers.get(question["key"])) for question in application.call.form_fields],
        "missing": services.missing(application) if draft else [],
        "can_edit": permissions.can_edit_application(user, application),
        "can_withdraw": permissions.actor_for(user).belongs_to(application.organisation_id)
        and application.status in services.WITHDRAWABLE
        and application.decision_id is None,
        "can_check": permissions.can_check_eligibility(user, application)
        and application.status == Application.Status.SUBMITTED,
        "eligibility_form": eligibility_form or EligibilityForm(),
    }
    return render(request, "projects/application_detail.html", context, status=status)


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_application_for_user(request.user, pk))


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    application = selectors.get_application_for_user(user, pk)
    if not permissions.can_edit_application(user, application):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, application=application)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_update(actor=user, application=application, draft=form.draft())
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect(application_url(application))
        status = 400
    return render(
        request,
        "projects/application_form.html",
        {"form": form, "application": application, "call": application.call},
        status=status,
    )


@require_POST
@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    application = selectors.get_application_for_user(user, pk)
    try:
        application = services.application_submit(actor=user, application=application)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, application, status=400)
    messages.success(
        request, _("The application is submitted under the number %(number)s.") % {"number": application.number}
    )
    return redirect(application_url(application))


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    application = selectors.get_application_for_user(user, pk)
    try:
        services.application_withdraw(actor=user, application=application)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, application, status=400)
    messages.success(request, _("The application is withdrawn."))
    return redirect(application_url(application))


@require_POST
@login_required
def application_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    application = selectors.get_application_for_user(user, pk)
    if not permissions.can_check_eligibility(user, application):
        raise PermissionDenied
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            services.application_check_eligibility(
                actor=user,
                application=application,
                eligible=form.cleaned_data["eligible"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("The eligibility is recorded; the applicant is told."))
            return redirect(application_url(application))
    return _detail(request, application, status=400, eligibility_form=form)
