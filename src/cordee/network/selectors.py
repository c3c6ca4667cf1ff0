"""Reads on the network, with permissions applied where the rows are fetched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from cordee.core import permissions
from cordee.lib.text import fold
from cordee.network.models import VISIBILITY_BLOCKS, Affiliation, Family, Membership, Organisation


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    commune: str = ""
    family: str = ""
    sector: str = ""
    legal_form: str = ""


def directory_organisations(user: Any, filters: DirectoryFilters = DirectoryFilters()) -> QuerySet[Organisation]:
    """The organisations of the directory this user may see, filtered and ordered by name."""
    queryset = Organisation.objects.filter(membership__status=Membership.Status.ACTIVE).select_related(
        "commune", "sector", "legal_form", "membership"
    )
    levels = permissions.listing_levels(user)
    if levels is not None:
        queryset = queryset.filter(listing_visibility__in=levels)
    for word in fold(filters.q).split():
        queryset = queryset.filter(search_text__contains=word)
    if filters.commune:
        queryset = queryset.filter(commune_id=filters.commune)
    if filters.family:
        queryset = queryset.filter(family=filters.family)
    if filters.sector:
        queryset = queryset.filter(sector__slug=filters.sector)
    if filters.legal_form:
        # Legal form is in the identifiers block: filter only on organisations that show it.
        queryset = queryset.filter(legal_form_id=filters.legal_form)
        if levels is not None:
            queryset = queryset.filter(identifiers_visibility__in=levels)
    return queryset.order_by("sort_name", "pk")


def directory_filter_choices(user: Any) -> dict[str, list[str]]:
    """Commune and legal-form codes present in the directory this user sees (for the filters)."""
    listed = directory_organisations(user)
    levels = permissions.listing_levels(user)
    with_forms = listed if levels is None else listed.filter(identifiers_visibility__in=levels)
    return {
        "commune_codes": sorted(set(listed.values_list("commune_id", flat=True))),
        "legal_form_codes": sorted(set(with_forms.exclude(legal_form=None).values_list("legal_form_id", flat=True))),
    }


def get_organisation_for_user(user: Any, slug: str) -> tuple[Organisation, frozenset[str]]:
    """The organisation and the blocks of it this user may see; 404 when it may see none."""
    try:
        organisation = Organisation.objects.select_related("commune", "sector", "legal_form", "membership").get(
            slug=slug
        )
    except Organisation.DoesNotExist:
        raise Http404 from None
    blocks = permissions.visible_blocks(user, organisation)
    if not blocks:
        raise Http404
    return organisation, blocks


def get_organisation_by_id_for_user(user: Any, pk: int) -> tuple[Organisation, frozenset[str]]:
    slug = Organisation.objects.filter(pk=pk).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404
    return get_organisation_for_user(user, slug)


def organisation_fields(organisation: Organisation, blocks: frozenset[str]) -> dict[str, Any]:
    """The organisation as plain data, with only the visible blocks (API and exports)."""
    data: dict[str, Any] = {"id": organisation.pk, "slug": organisation.slug}
    for block, names in VISIBILITY_BLOCKS.items():
        if block not in blocks:
            continue
        for name in names:
            value = getattr(organisation, name)
            if name == "commune":
                data["commune"] = {
                    "insee_code": organisation.commune.insee_code,
                    "name": organisation.commune.name,
                    "latitude": organisation.commune.latitude,
                    "longitude": organisation.commune.longitude,
                }
            elif name == "sector":
                data["sector"] = {"slug": value.slug, "name": value.name} if value else None
            elif name == "legal_form":
                data["legal_form"] = {"code": value.code, "label": value.label} if value else None
            elif name == "logo":
                data["logo"] = value.url if value else None
            else:
                data[name] = value
    return data


def people_of(user: Any, organisation: Organisation) -> QuerySet[Affiliation]:
    if not permissions.can_see_people_of(user, organisation):
        return Affiliation.objects.none()
    return organisation.affiliations.select_related("person").order_by("person__full_name")


def pending_applications() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(membership__status=Membership.Status.CANDIDATE)
        .select_related("commune", "membership", "membership__contact", "legal_form")
        .order_by("membership__applied_on", "pk")
    )


def map_points(organisations: QuerySet[Organisation]) -> list[dict[str, Any]]:
    """Markers for the map: one per organisation whose commune has coordinates.

    Read as plain values, not model instances: the map of a large network has thousands.
    """
    families = dict(Family.choices)
    url_prefix = reverse("network:organisation", args=["slug"]).removesuffix("slug/")
    rows = organisations.filter(commune__latitude__isnull=False, commune__longitude__isnull=False).values_list(
        "name", "slug", "family", "commune__name", "commune__latitude", "commune__longitude"
    )
    return [
        {
            "name": name,
            "url": f"{url_prefix}{slug}/",
            "commune": commune,
            "family": str(families.get(family, family)),
            "lat": float(lat or 0),  # never 0: rows without coordinates are filtered out above
            "lng": float(lng or 0),
        }
        for name, slug, family, commune, lat, lng in rows
    ]
