"""The reporting API: the indicators of a period (hub or one organisation) and the open data."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal
from cordee.core.errors import DomainError
from cordee.reporting import selectors
from cordee.reporting.figures import Section
from cordee.reporting.periods import Period
from cordee.reporting.report import compute_sections, default_period

router = Router(tags=["reporting"])


# --- The indicators -------------------------------------------------------------------------------
# Every value is an integer in its unit (see cordee.reporting.figures): cents, minutes, basis
# points (hundredths of a percent), hundredths (of a full-time equivalent), or a count.


class IndicatorFigureOut(Schema):
    key: str
    label: str
    value: int | None = Field(description="An integer in `unit`; null when it has no meaning for the period")
    unit: str = Field(description="count, cents, minutes, basis_points or hundredths")
    help: str


class BreakdownShareOut(Schema):
    key: str
    label: str
    value: int


class BreakdownOut(Schema):
    key: str
    label: str
    unit: str
    shares: list[BreakdownShareOut]


class SeriesPointOut(Schema):
    month: dt.date = Field(description="The first day of the month")
    value: int


class SeriesOut(Schema):
    key: str
    label: str
    unit: str
    points: list[SeriesPointOut]


class MapPlaceOut(Schema):
    insee_code: str
    name: str
    latitude: float
    longitude: float
    value: int


class GraphNodeOut(Schema):
    id: int
    name: str


class GraphLinkOut(Schema):
    giver: int = Field(description="The organisation that helped")
    receiver: int = Field(description="The organisation helped")
    weight: int


class GraphOut(Schema):
    key: str
    label: str
    unit: str
    nodes: list[GraphNodeOut]
    links: list[GraphLinkOut]


class IndicatorSectionOut(Schema):
    key: str
    title: str
    figures: list[IndicatorFigureOut]
    breakdowns: list[BreakdownOut]
    series: list[SeriesOut]
    places: list[MapPlaceOut]
    graphs: list[GraphOut]


class IndicatorsOut(Schema):
    start: dt.date
    end: dt.date
    organisation_id: int | None
    sections: list[IndicatorSectionOut]


def section_out(section: Section) -> IndicatorSectionOut:
    return IndicatorSectionOut(
        key=section.key,
        title=section.title,
        figures=[
            IndicatorFigureOut(key=f.key, label=f.label, value=f.value, unit=str(f.unit), help=f.help)
            for f in section.figures
        ],
        breakdowns=[
            BreakdownOut(
                key=b.key,
                label=b.label,
                unit=str(b.unit),
                shares=[BreakdownShareOut(key=s.key, label=s.label, value=s.value) for s in b.shares],
            )
            for b in section.breakdowns
        ],
        series=[
            SeriesOut(
                key=s.key,
                label=s.label,
                unit=str(s.unit),
                points=[SeriesPointOut(month=month, value=value) for month, value in s.points],
            )
            for s in section.series
        ],
        places=[
            MapPlaceOut(insee_code=p.insee_code, name=p.name, latitude=p.latitude, longitude=p.longitude, value=p.value)
            for p in section.places
        ],
        graphs=[
            GraphOut(
                key=g.key,
                label=g.label,
                unit=str(g.unit),
                nodes=[GraphNodeOut(id=pk, name=name) for pk, name in sorted(g.nodes.items())],
                links=[GraphLinkOut(giver=link.giver, receiver=link.receiver, weight=link.weight) for link in g.links],
            )
            for g in section.graphs
        ],
    )


@router.get(
    "/reporting/indicators",
    auth=django_auth,
    response={200: IndicatorsOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="The indicators of a period: the hub's, or one organisation's own",
)
def get_indicators(
    request: HttpRequest, du: dt.date | None = None, au: dt.date | None = None, organisation: int | None = None
) -> Status[IndicatorsOut | Refusal]:
    """`du` and `au` are the first and last days of the period (the current year up to today by
    default). Without `organisation`, the whole hub (the coordinator and the treasurer); with it,
    that organisation's own figures (also its member admins)."""
    user = request.user
    if organisation is None:
        if not permissions.can_see_hub_dashboard(user):
            raise HttpError(403, "The hub's indicators are for the coordinator and the treasurer.")
    else:
        try:
            selectors.get_dashboard_organisation_for_user(user, organisation)
        except PermissionDenied:
            raise HttpError(403, "The indicators are for the hub's keepers and member admins.") from None
    try:
        if du is None and au is None:
            period = default_period()
        elif du is None or au is None:
            field = "du" if du is None else "au"
            raise DomainError(_("Give both days of the period, du and au."), field=field, code="required")
        else:
            period = Period(du, au)
    except DomainError as error:
        if error.field in ("start", "end"):
            error.field = {"start": "du", "end": "au"}[error.field]
        return Status(422, refusal(error))
    sections = compute_sections(period, organisation_id=organisation)
    return Status(
        200,
        IndicatorsOut(
            start=period.start,
            end=period.end,
            organisation_id=organisation,
            sections=[section_out(section) for section in sections],
        ),
    )
