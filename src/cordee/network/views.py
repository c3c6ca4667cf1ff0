from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.network import exports, importing, selectors, services
from cordee.network.forms import (
    AffiliationAddForm,
    AffiliationRoleForm,
    ApplicationForm,
    DirectoryFilterForm,
    FeeForm,
    ImportForm,
    MembershipStatusForm,
    ProfileForm,
    RejectForm,
)
from cordee.network.models import Affiliation, Membership, Organisation

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> tuple[DirectoryFilterForm, selectors.DirectoryFilters]:
    # Offer only the communes and legal forms that the directory shown to this person contains.
    choices = selectors.directory_filter_choices(request.user)
    form = DirectoryFilterForm(request.GET or None, **choices)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DirectoryFilters(
            q=data["q"],
            commune=data["commune"].pk if data["commune"] else "",
            family=data["family"],
            sector=data["sector"].slug if data["sector"] else "",
            legal_form=data["legal_form"].pk if data["legal_form"] else "",
        )
    else:
        filters = selectors.DirectoryFilters()
    return form, filters


def directory(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    organisations = selectors.directory_organisations(request.user, filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx swaps only the results; a history restore asks for the whole page again.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "network/directory.html#results" if partial else "network/directory.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def directory_map(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    organisations = selectors.directory_organisations(request.user, filters)
    return render(
        request,
        "network/map.html",
        {
            "form": form,
            "points": selectors.map_points(organisations),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def directory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, filters = _filters(request)
    organisations = selectors.directory_organisations(request.user, filters)
    rows = [selectors.organisation_fields(org, permissions.visible_blocks(request.user, org)) for org in organisations]
    return exports.directory_response(rows, fmt)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, blocks = selectors.get_organisation_for_user(request.user, slug)
    context: dict[str, Any] = {
        "organisation": organisation,
        "blocks": blocks,
        "can_edit": permissions.can_edit_organisation(request.user, organisation),
        "can_see_private": permissions.can_see_private_organisation(request.user, organisation),
        "can_see_dashboard": permissions.can_see_dashboard_of(request.user, organisation.pk),
        "people": selectors.people_of(request.user, organisation),
    }
    if context["can_see_private"]:
        context["fees"] = organisation.fees.all()
    return render(request, "network/organisation_detail.html", context)


def _editable_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation, _blocks = selectors.get_organisation_for_user(request.user, slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _editable_organisation(request, slug)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            organisation = services.organisation_update(
                actor=request.user, organisation=organisation, data=form.service_data()
            )
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organisation)
    return render(request, "network/organisation_edit.html", {"organisation": organisation, "form": form})


@login_required
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _blocks = selectors.get_organisation_for_user(request.user, slug)
    if not permissions.can_see_people_of(request.user, organisation):
        raise PermissionDenied
    can_manage = permissions.can_manage_people_of(request.user, organisation)
    form = AffiliationAddForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            assert isinstance(request.user, User)
            try:
                services.affiliation_add(actor=request.user, organisation=organisation, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("The person has been added and invited by e-mail."))
                return redirect("network:organisation_people", slug=organisation.slug)
    return render(
        request,
        "network/organisation_people.html",
        {
            "organisation": organisation,
            "people": selectors.people_of(request.user, organisation),
            "form": form,
            "can_manage": can_manage,
            "roles": Affiliation.Role.choices,
        },
    )


@require_POST
@login_required
def affiliation_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _blocks = selectors.get_organisation_for_user(request.user, slug)
    if not permissions.can_manage_people_of(request.user, organisation):
        raise PermissionDenied
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"), pk=pk, organisation=organisation
    )
    assert isinstance(request.user, User)
    try:
        if request.POST.get("action") == "remove":
            services.affiliation_remove(actor=request.user, affiliation=affiliation)
            messages.success(request, _("The person has been removed from the organisation."))
        else:
            form = AffiliationRoleForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Choose a role: member user or member admin."), field="role")
            services.affiliation_set_role(actor=request.user, affiliation=affiliation, role=form.cleaned_data["role"])
            messages.success(request, _("The role has been changed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("network:organisation_people", slug=organisation.slug)


def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.membership_apply(
                data=data,
                contact_name=form.cleaned_data["contact_name"],
                contact_email=form.cleaned_data["contact_email"],
                contact_phone=form.cleaned_data["contact_phone"],
            )
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("network:apply_done")
    return render(request, "network/apply.html", {"form": form})


def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "network/apply_done.html")


@require(permissions.can_manage_network)
def applications(request: HttpRequest) -> HttpResponse:
    return render(request, "network/applications.html", {"applications": selectors.pending_applications()})


@require(permissions.can_manage_network)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.pending_applications(), pk=pk)
    reject_form = RejectForm(request.POST or None if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        assert isinstance(request.user, User)
        try:
            if request.POST.get("action") == "approve":
                services.membership_approve(actor=request.user, organisation=organisation)
                messages.success(
                    request,
                    _("%(name)s is now a member; its contact person has been invited.") % {"name": organisation.name},
                )
                return redirect("network:applications")
            if reject_form.is_valid():
                services.membership_reject(
                    actor=request.user, organisation=organisation, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("The application of %(name)s has been rejected.") % {"name": organisation.name}
                )
                return redirect("network:applications")
        except DomainError as exc:
            reject_form.add_error(exc.field if exc.field == "reason" else None, exc.message)
    return render(
        request, "network/application_detail.html", {"organisation": organisation, "reject_form": reject_form}
    )


@require(permissions.can_manage_network)
def memberships(request: HttpRequest) -> HttpResponse:
    rows = (
        Organisation.objects.exclude(membership__status__in=[Membership.Status.CANDIDATE, Membership.Status.REJECTED])
        .select_related("membership", "commune")
        .prefetch_related("fees")
        .order_by("sort_name", "pk")
    )
    status = request.GET.get("status", "")
    if status in Membership.Status.values:
        rows = rows.filter(membership__status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "network/memberships.html", {"page": page, "status": status, "statuses": Membership.Status.choices}
    )


@require(permissions.can_manage_network)
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("membership"), pk=pk)
    action = request.POST.get("action")
    status_form = MembershipStatusForm(request.POST if action == "status" else None)
    fee_form = FeeForm(request.POST if action == "fee" else None)
    if request.method == "POST":
        assert isinstance(request.user, User)
        try:
            if action == "status" and status_form.is_valid():
                services.membership_set_status(
                    actor=request.user, organisation=organisation, **status_form.cleaned_data
                )
                messages.success(request, _("The membership status has been changed."))
                return redirect("network:membership", pk=organisation.pk)
            if action == "fee" and fee_form.is_valid():
                services.fee_set(
                    actor=request.user,
                    organisation=organisation,
                    year=fee_form.cleaned_data["year"],
                    amount_cents=fee_form.amount_cents(),
                    paid_on=fee_form.cleaned_data["paid_on"],
                )
                messages.success(request, _("The annual fee has been recorded."))
                return redirect("network:membership", pk=organisation.pk)
        except DomainError as exc:
            target = status_form if action == "status" else fee_form
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
    return render(
        request,
        "network/membership_detail.html",
        {
            "organisation": organisation,
            "status_form": status_form,
            "fee_form": fee_form,
            "fees": organisation.fees.all(),
        },
    )


@require(permissions.can_manage_network)
def import_organisations(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report: importing.ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        upload = form.cleaned_data["file"]
        try:
            report = importing.import_file(actor=request.user, content=upload.read(), filename=upload.name)
        except NotAllowed:
            raise PermissionDenied from None
        if report.ok:
            messages.success(
                request,
                ngettext("%(count)s organisation imported.", "%(count)s organisations imported.", report.created)
                % {"count": report.created},
            )
            return redirect("network:directory")
    return render(request, "network/import.html", {"form": form, "report": report, "columns": importing.COLUMNS})
