"""The iCalendar feeds at their secret addresses, and the buttons that renew those addresses.

The feeds need no login (a calendar client cannot log in): the token in the address is the
credential, so an unknown token is a plain 404 that says nothing of what exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cordee.core.errors import NotAllowed
from cordee.network.models import Organisation
from cordee.premises import feeds
from cordee.premises.models import OrganisationFeed, Resource


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=f"{filename}.ics") or ""
    # Private: the address is a secret, no shared cache may keep what it returns.
    patch_cache_control(response, private=True, max_age=int(feeds.REFRESH.total_seconds()))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def resource_feed(request: HttpRequest, token: str) -> HttpResponse:
    resource = Resource.objects.filter(ical_token=token).first()
    if resource is None:
        raise Http404
    return _calendar_response(feeds.resource_calendar(resource), resource.slug)


@require_GET
def organisation_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = OrganisationFeed.objects.filter(token=token).select_related("organisation").first()
    if feed is None:
        raise Http404
    return _calendar_response(feeds.organisation_calendar(feed.organisation), feed.organisation.slug)


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/")


def _renewed(request: HttpRequest) -> HttpResponseRedirect:
    messages.success(request, _("The calendar address has been renewed: the previous one no longer works."))
    return _back(request)


@require_POST
@login_required
def resource_feed_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    try:
        feeds.regenerate_resource_token(request.user, resource)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    return _renewed(request)


@require_POST
@login_required
def organisation_feed_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        feeds.regenerate_organisation_token(request.user, organisation)
    except NotAllowed:
        raise Http404 from None  # whether this organisation exists is not everyone's to learn
    return _renewed(request)
