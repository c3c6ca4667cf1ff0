"""Indicators of the area `governance` (see cordee.reporting.indicators): votes held and participation.

A decision counts in the period it closed in (the hub's time zone), with the figures frozen at its
closing (`governance.services.decision_close`): the seats or member organisations entitled to vote
(`entitled_count`) and the ballots counted (`results["ballots"]`: votes for, against and abstentions
of a proposal, ballots of a poll). Participation over several decisions is the ballots over the
entitled, both summed, so a decision weighs by its electorate; in basis points, rounded to the
nearest. Every closed decision is an entry of the register of decisions.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.reporting.figures import Breakdown, Figure, Section, Share, Unit
from cordee.reporting.periods import Period


def _rate(part: int, whole: int) -> int | None:
    """part / whole in basis points, rounded to the nearest; None over nothing."""
    if not whole:
        return None
    return (part * 20_000 + whole) // (2 * whole)


def closed_in(period: Period) -> QuerySet[Decision]:
    start, after = period.moments()
    return Decision.objects.filter(status=Decision.Status.CLOSED, closed_at__gte=start, closed_at__lt=after)


BALLOTS = Cast(KT("results__ballots"), IntegerField())


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    decisions = closed_in(period)
    if organisation_id is not None:
        return _organisation(decisions, organisation_id)
    assembly = Q(body__kind=Body.Kind.GENERAL_ASSEMBLY)
    totals = decisions.aggregate(
        count=Count("pk"),
        ballots=Sum(BALLOTS),
        entitled=Sum("entitled_count"),
        assembly_count=Count("pk", filter=assembly),
        assembly_ballots=Sum(BALLOTS, filter=assembly),
        assembly_entitled=Sum("entitled_count", filter=assembly),
        register=Count("pk", filter=~Q(register_number="")),
    )
    ballots, entitled = totals["ballots"] or 0, totals["entitled"] or 0
    figures = [
        Figure(
            "governance_decisions_count",
            _("Decisions voted"),
            totals["count"],
            Unit.COUNT,
            _("Votes of the hub's bodies (general assembly, board, committees) closed in the period."),
        ),
        Figure(
            "governance_ballots_count",
            _("Ballots cast"),
            ballots,
            Unit.COUNT,
            _("Ballots counted in those votes, abstentions included; the recused do not vote."),
        ),
        Figure(
            "governance_participation_bps",
            _("Participation"),
            _rate(ballots, entitled),
            Unit.BASIS_POINTS,
            _("Ballots cast over the seats (or member organisations) entitled to vote, summed over the decisions."),
        ),
        Figure(
            "governance_assembly_decisions_count",
            _("Decisions of the general assembly"),
            totals["assembly_count"],
            Unit.COUNT,
            _("Votes of the general assembly closed in the period: one vote per member organisation."),
        ),
        Figure(
            "governance_assembly_participation_bps",
            _("Participation in the general assembly"),
            _rate(totals["assembly_ballots"] or 0, totals["assembly_entitled"] or 0),
            Unit.BASIS_POINTS,
            _("Member organisations that voted over those entitled to, summed over the assembly's decisions."),
        ),
        Figure(
            "governance_register_entries_count",
            _("Entries in the register of decisions"),
            totals["register"],
            Unit.COUNT,
            _("Decisions entered in the register in the period, each with its number and the figures it came from."),
        ),
    ]

    by_body = list(
        decisions.order_by()
        .values("body__slug", "body__name", "body__kind")
        .annotate(count=Count("pk"), ballots=Sum(BALLOTS), entitled=Sum("entitled_count"))
        .order_by("body__kind", "body__name")
    )
    by_category = dict(decisions.order_by().values("category").annotate(n=Count("pk")).values_list("category", "n"))
    by_outcome = dict(decisions.order_by().values("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    breakdowns = [
        Breakdown(
            "governance_decisions_by_body",
            _("Decisions voted, by body"),
            Unit.COUNT,
            tuple(Share(row["body__slug"], row["body__name"], row["count"]) for row in by_body),
        ),
        Breakdown(
            "governance_participation_by_body",
            _("Participation, by body"),
            Unit.BASIS_POINTS,
            tuple(
                Share(row["body__slug"], row["body__name"], _rate(row["ballots"] or 0, row["entitled"]) or 0)
                for row in by_body
                if row["entitled"]
            ),
        ),
        Breakdown(
            "governance_register_by_category",
            _("Entries in the register, by category"),
            Unit.COUNT,
            tuple(
                Share(category.value, str(category.label), by_category[category.value])
                for category in Decision.Category
                if by_category.get(category.value)
            ),
        ),
        Breakdown(
            "governance_decisions_by_outcome",
            _("Decisions voted, by outcome"),
            Unit.COUNT,
            tuple(
                Share(outcome.value, str(outcome.label), by_outcome[outcome.value])
                for outcome in Decision.Outcome
                if by_outcome.get(outcome.value)
            ),
        ),
    ]
    return Section("governance", _("Governance"), figures=figures, breakdowns=breakdowns)


def _organisation(decisions: QuerySet[Decision], organisation_id: int) -> Section:
    """The votes the organisation could take part in, and how many it took: in the general assembly
    (its own vote: the organisations entitled are frozen in the decision's results), and in the
    boards and committees where people sit for it (a seat current on the day the decision closed,
    the organisation not concerned by it)."""
    assembly = decisions.filter(body__kind=Body.Kind.GENERAL_ASSEMBLY)
    entitled_ids = [
        pk
        for pk, results in assembly.values_list("pk", "results")
        if organisation_id in (results or {}).get("entitled_organisations", [])
    ]
    assembly_votes = Vote.objects.filter(
        decision_id__in=entitled_ids, organisation_id=organisation_id, seat__isnull=True
    ).count()

    zone = timezone.get_default_timezone()
    seated = BodyMember.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("closed_on")),
        body_id=OuterRef("body_id"),
        organisation_id=organisation_id,
        starts_on__lte=OuterRef("closed_on"),
    )
    seats = (
        decisions.exclude(body__kind=Body.Kind.GENERAL_ASSEMBLY)
        .exclude(concerned__pk=organisation_id)
        .annotate(closed_on=TruncDate("closed_at", tzinfo=zone))
        .filter(Exists(seated))
    )
    seat_figures = seats.aggregate(count=Count("pk", distinct=True))
    seat_votes = Vote.objects.filter(decision__in=seats.values("pk"), seat__organisation_id=organisation_id).count()

    figures = [
        Figure(
            "governance_assembly_decisions_count",
            _("Decisions of the general assembly we could vote on"),
            len(entitled_ids),
            Unit.COUNT,
            _("Votes of the general assembly closed in the period in which the organisation was entitled to vote."),
        ),
        Figure(
            "governance_assembly_votes_count",
            _("Our votes in the general assembly"),
            assembly_votes,
            Unit.COUNT,
            _("Of those, the votes the organisation cast through one of its representatives."),
        ),
        Figure(
            "governance_assembly_participation_bps",
            _("Our participation in the general assembly"),
            _rate(assembly_votes, len(entitled_ids)),
            Unit.BASIS_POINTS,
            _("The organisation's votes over the general assembly's decisions it could vote on."),
        ),
        Figure(
            "governance_seat_decisions_count",
            _("Board and committee decisions our representatives could vote on"),
            seat_figures["count"],
            Unit.COUNT,
            _(
                "Votes of a board or committee closed in the period where someone sat for the organisation "
                "and the decision did not concern it."
            ),
        ),
        Figure(
            "governance_seat_votes_count",
            _("Votes of our representatives"),
            seat_votes,
            Unit.COUNT,
            _("Ballots cast in those votes by the people sitting for the organisation."),
        ),
    ]
    return Section("governance", _("Governance"), figures=figures)
