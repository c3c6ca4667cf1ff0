"""Indicators of the area `network` (see cordee.reporting.indicators): the members of the hub.

Read from the memberships (`network.Membership`), by their dates: an organisation is a member on a
day when it joined by then (`joined_on`), had not left by then (`left_on`) and was not suspended by
then (`suspended_on`, kept while the suspension lasts). Partners count as members, in their circle.
The memberships keep the dates of their current state only: a member reinstated after leaving or
after a suspension counts from its first joining, as if it had never been away.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from cordee.network.models import Commune, Family, Membership
from cordee.reporting.figures import Breakdown, Figure, Place, Section, Series, Share, Unit
from cordee.reporting.periods import Period

NO_LEGAL_FORM = "none"
_NEVER_JOINED = [Membership.Status.CANDIDATE, Membership.Status.REJECTED]


def member_on(day: dt.date, prefix: str = "") -> Q:
    """The memberships of organisations that were members of the hub at the end of `day`.

    `prefix` is the path to the membership from the model filtered ("membership__" from an
    organisation)."""
    joined = Q(
        **{f"{prefix}status__in": [Membership.Status.ACTIVE, Membership.Status.SUSPENDED, Membership.Status.LEFT]}
    )
    joined &= Q(**{f"{prefix}joined_on__lte": day})
    # A departure without a date (a member recorded as gone at its creation) counts from its joining.
    left = Q(**{f"{prefix}status": Membership.Status.LEFT}) & (
        Q(**{f"{prefix}left_on__lte": day}) | Q(**{f"{prefix}left_on__isnull": True})
    )
    suspended = Q(**{f"{prefix}status": Membership.Status.SUSPENDED}) & (
        Q(**{f"{prefix}suspended_on__lte": day}) | Q(**{f"{prefix}suspended_on__isnull": True})
    )
    return joined & ~left & ~suspended


def _month_end(month: dt.date, period: Period) -> dt.date:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return min(following - dt.timedelta(days=1), period.end)


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    if organisation_id is not None:
        return _organisation(period, organisation_id)
    memberships = Membership.objects.all()
    active = memberships.filter(member_on(period.end))
    months = list(period.months())
    totals = memberships.aggregate(
        active=Count("pk", filter=member_on(period.end)),
        joined=Count("pk", filter=Q(joined_on__range=(period.start, period.end)) & ~Q(status__in=_NEVER_JOINED)),
        departed=Count("pk", filter=Q(status=Membership.Status.LEFT, left_on__range=(period.start, period.end))),
        **{f"m{index}": Count("pk", filter=member_on(_month_end(month, period))) for index, month in enumerate(months)},
    )
    figures = [
        Figure(
            "members_active",
            _("Members at the end of the period"),
            totals["active"],
            Unit.COUNT,
            _(
                "Organisations that had joined the hub by the last day of the period and had neither left nor "
                "been suspended by then; founding members, members and partners."
            ),
        ),
        Figure(
            "members_joined",
            _("New members"),
            totals["joined"],
            Unit.COUNT,
            _("Organisations whose membership began in the period (the date they joined)."),
        ),
        Figure(
            "members_departed",
            _("Departed members"),
            totals["departed"],
            Unit.COUNT,
            _("Organisations whose departure from the hub was recorded with a date in the period."),
        ),
    ]

    by_family = _counts(active, "organisation__family")
    by_circle = _counts(active, "circle")
    by_form = (
        active.order_by()
        .values("organisation__legal_form_id", "organisation__legal_form__label")
        .annotate(count=Count("pk"))
        .values_list("organisation__legal_form_id", "organisation__legal_form__label", "count")
    )
    by_commune = list(
        active.order_by()
        .values("organisation__commune_id")
        .annotate(count=Count("pk"))
        .values_list("organisation__commune_id", "count")
    )
    communes = {
        commune.insee_code: commune
        for commune in Commune.objects.filter(insee_code__in=[code for code, _count in by_commune])
    }
    by_commune.sort(key=lambda row: (-row[1], communes[row[0]].search_name))
    breakdowns = [
        Breakdown(
            "members_by_family",
            _("Members at the end of the period, by family"),
            Unit.COUNT,
            tuple(Share(family.value, str(family.label), by_family.get(family.value, 0)) for family in Family),
        ),
        Breakdown(
            "members_by_circle",
            _("Members at the end of the period, by circle"),
            Unit.COUNT,
            tuple(
                Share(circle.value, str(circle.label), by_circle.get(circle.value, 0)) for circle in Membership.Circle
            ),
        ),
        Breakdown(
            "members_by_legal_form",
            _("Members at the end of the period, by legal form"),
            Unit.COUNT,
            tuple(
                Share(code or NO_LEGAL_FORM, label or _("Legal form not given"), count)
                for code, label, count in sorted(by_form, key=lambda row: (-row[2], row[0] or "~"))
            ),
        ),
        Breakdown(
            "members_by_commune",
            _("Members at the end of the period, by commune"),
            Unit.COUNT,
            tuple(Share(code, communes[code].name, count) for code, count in by_commune),
        ),
    ]
    series = [
        Series(
            "members_active_by_month",
            _("Members, month by month"),
            Unit.COUNT,
            tuple((month, totals[f"m{index}"]) for index, month in enumerate(months)),
        )
    ]
    places = []
    for code, count in by_commune:
        latitude, longitude = communes[code].latitude, communes[code].longitude
        if latitude is not None and longitude is not None:
            places.append(Place(code, communes[code].name, float(latitude), float(longitude), count))
    return Section("network", _("Members"), figures=figures, breakdowns=breakdowns, series=series, places=places)


def _counts(memberships: QuerySet[Membership], field: str) -> dict[str, int]:
    return dict(memberships.order_by().values(field).annotate(count=Count("pk")).values_list(field, "count"))


def _organisation(period: Period, organisation_id: int) -> Section:
    """The organisation's own membership: whether it is a member, since when, in which circle."""
    membership = Membership.objects.filter(organisation_id=organisation_id).first()
    is_member = membership is not None and Membership.objects.filter(member_on(period.end), pk=membership.pk).exists()
    joined_on = membership.joined_on if membership is not None else None
    joined_in_period = joined_on is not None and period.contains(joined_on)
    years = None
    if is_member and joined_on is not None:
        end = period.end
        years = end.year - joined_on.year - ((end.month, end.day) < (joined_on.month, joined_on.day))
    figures = [
        Figure(
            "members_active",
            _("Member of the hub at the end of the period"),
            int(is_member),
            Unit.COUNT,
            _("1 if the organisation was a member on the last day of the period (neither left nor suspended), else 0."),
        ),
        Figure(
            "members_joined",
            _("Joined in the period"),
            int(joined_in_period),
            Unit.COUNT,
            _("1 if the organisation's membership began in the period, else 0."),
        ),
        Figure(
            "membership_years",
            _("Years of membership at the end of the period"),
            years,
            Unit.COUNT,
            _("Whole years from the day the organisation joined the hub (%(date)s) to the last day of the period.")
            % {"date": formats.date_format(joined_on, "SHORT_DATE_FORMAT") if joined_on else "—"},
        ),
    ]
    breakdowns = []
    if is_member and membership is not None:
        breakdowns.append(
            Breakdown(
                "members_by_circle",
                _("Circle of the organisation"),
                Unit.COUNT,
                tuple(
                    Share(circle.value, str(circle.label), int(circle.value == membership.circle))
                    for circle in Membership.Circle
                ),
            )
        )
    return Section("network", _("Members"), figures=figures, breakdowns=breakdowns)
