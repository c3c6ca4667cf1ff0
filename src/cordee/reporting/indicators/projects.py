"""Indicators of the area `projects` (see cordee.reporting.indicators): the calls for projects and
the territorial actions they fund.

Calls, applications and decisions are counted by their time stamps in the hub's time zone; the fund's
money by its dates: a grant is committed when its agreement is signed (the fund's books post it
then, `cordee.projects.books`), a tranche is disbursed on the day it is paid, and a tranche corrected
is a negative row on the day of its correction, so the sum is net of reversals. The progress of an
action is `selectors_actions.overall_progress`, the figure its page shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cordee.network.models import Family
from cordee.projects.models import Action, Application, Call, Disbursement, Milestone
from cordee.projects.selectors_actions import overall_progress
from cordee.reporting.figures import Breakdown, Figure, Place, Section, Series, Share, Unit
from cordee.reporting.periods import Period


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    start, after = period.moments()
    applications = Application.objects.all()
    actions = Action.objects.all()
    disbursements = Disbursement.objects.all()
    if organisation_id is not None:
        applications = applications.filter(organisation_id=organisation_id)
        actions = actions.filter(application__organisation_id=organisation_id)
        disbursements = disbursements.filter(action__application__organisation_id=organisation_id)

    submitted = applications.filter(submitted_at__gte=start, submitted_at__lt=after).aggregate(
        count=Count("pk"), asked=Sum("requested_cents")
    )
    funded = actions.filter(application__decided_at__gte=start, application__decided_at__lt=after).aggregate(
        count=Count("pk"), granted=Sum("granted_cents")
    )
    committed = actions.filter(signed_on__range=(period.start, period.end)).aggregate(total=Sum("granted_cents"))
    paid = disbursements.filter(paid_on__range=(period.start, period.end))
    in_progress = list(actions.filter(status=Action.Status.IN_PROGRESS).values_list("pk", flat=True))
    progress = _progress(in_progress)

    figures = []
    if organisation_id is None:
        figures.append(
            Figure(
                "calls_published_count",
                _("Calls for projects published"),
                Call.objects.filter(published_at__gte=start, published_at__lt=after).count(),
                Unit.COUNT,
                _("Calls for projects the hub published in the period."),
            )
        )
    figures += [
        Figure(
            "applications_submitted_count",
            _("Applications submitted"),
            submitted["count"],
            Unit.COUNT,
            _("Applications submitted to a call in the period, whatever their outcome."),
        ),
        Figure(
            "applications_requested_cents",
            _("Amount asked by the applications"),
            submitted["asked"] or 0,
            Unit.CENTS,
            _("Sum of what the applications submitted in the period asked of the hub."),
        ),
        Figure(
            "actions_funded_count",
            _("Actions funded"),
            funded["count"],
            Unit.COUNT,
            _("Applications the project committee decided to fund in the period."),
        ),
        Figure(
            "actions_granted_cents",
            _("Amount granted"),
            funded["granted"] or 0,
            Unit.CENTS,
            _("Sum of the grants decided in the period."),
        ),
        Figure(
            "actions_committed_cents",
            _("Amount committed"),
            committed["total"] or 0,
            Unit.CENTS,
            _("Sum of the grants whose agreement was signed in the period: the fund is committed from then on."),
        ),
        Figure(
            "actions_disbursed_cents",
            _("Amount disbursed"),
            paid.aggregate(total=Sum("amount_cents"))["total"] or 0,
            Unit.CENTS,
            _("Tranches paid from the fund in the period, less the payments corrected in the period."),
        ),
        Figure(
            "actions_in_progress_count",
            _("Actions in progress"),
            len(in_progress),
            Unit.COUNT,
            _("Funded actions whose agreement is signed and which are not closed, as they stand today."),
        ),
        Figure(
            "actions_average_progress_bps",
            _("Average progress of the actions in progress"),
            sum(progress) * 100 // len(progress) if progress else None,
            Unit.BASIS_POINTS,
            _(
                "Mean of the progress of the actions in progress, each as its page shows it (its milestones' "
                "progress weighted by their tranches), as they stand today."
            ),
        ),
    ]
    monthly = dict(
        paid.annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount_cents"))
        .values_list("month", "total")
    )
    series = [
        Series(
            "actions_disbursed_by_month",
            _("Amount disbursed, month by month"),
            Unit.CENTS,
            tuple((month, int(monthly.get(month) or 0)) for month in period.months()),
        )
    ]
    breakdowns = []
    if organisation_id is None:
        by_family = dict(
            actions.filter(application__decided_at__gte=start, application__decided_at__lt=after)
            .order_by()
            .values("application__organisation__family")
            .annotate(total=Sum("granted_cents"))
            .values_list("application__organisation__family", "total")
        )
        breakdowns.append(
            Breakdown(
                "actions_granted_by_family",
                _("Amount granted, by family of the organisation carrying the action"),
                Unit.CENTS,
                tuple(Share(family.value, str(family.label), by_family.get(family.value) or 0) for family in Family),
            )
        )
    return Section(
        "projects",
        _("Calls for projects and funded actions"),
        figures=figures,
        breakdowns=breakdowns,
        series=series,
        places=_places(actions, after),
    )


def _progress(action_ids: list[int]) -> list[int]:
    """The progress of each action, in whole percent (0 for an action without milestones)."""
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(action_id__in=action_ids).only("action_id", "progress", "tranche_cents"):
        milestones[milestone.action_id].append(milestone)
    return [overall_progress(milestones.get(pk, [])) for pk in action_ids]


def _places(actions: QuerySet[Action], after: dt.datetime) -> list[Place]:
    """The communes of the actions funded by the end of the period and not abandoned, with the number
    of such actions in each (communes without coordinates are left off the map)."""
    through = Application.communes.through
    rows = (
        through.objects.filter(
            application__action__in=actions.exclude(status=Action.Status.ABANDONED).values("pk"),
            application__decided_at__lt=after,
            commune__latitude__isnull=False,
            commune__longitude__isnull=False,
        )
        .values("commune_id", "commune__name", "commune__latitude", "commune__longitude")
        .annotate(actions=Count("application_id", distinct=True))
        .order_by("commune__name", "commune_id")
    )
    return [
        Place(
            insee_code=row["commune_id"],
            name=row["commune__name"],
            latitude=float(row["commune__latitude"]),
            longitude=float(row["commune__longitude"]),
            value=row["actions"],
        )
        for row in rows
    ]
