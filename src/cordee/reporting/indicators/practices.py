"""Indicators of the area `practices` (see cordee.reporting.indicators): the good-practice sheets.

A sheet counts as published in the period if it is published today and was published in it (a
sheet taken back to draft loses its publication date). Readings are those of `practices.ReadDay`,
counted per day by `practices.services.sheets.practice_record_read` like the sheet's total: a
published sheet opened by anyone but its authors.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cordee.practices.models import Comment, Practice, ReadDay, Theme
from cordee.reporting.figures import Breakdown, Figure, Section, Series, Share, Unit
from cordee.reporting.periods import Period


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    start, after = period.moments()
    sheets = Practice.objects.all()
    if organisation_id is not None:
        sheets = Practice.objects.filter(
            pk__in=Practice.organisations.through.objects.filter(organisation_id=organisation_id).values("practice_id")
        )
    published = sheets.filter(state=Practice.State.PUBLISHED, published_at__gte=start, published_at__lt=after)
    reads = ReadDay.objects.filter(day__range=(period.start, period.end))
    comments = Comment.objects.filter(created_at__gte=start, created_at__lt=after)
    if organisation_id is not None:
        reads = reads.filter(practice__in=sheets.values("pk"))
        received = comments.filter(practice__in=sheets.values("pk"))
    else:
        received = comments
    tried = received.aggregate(
        tried=Count("pk", filter=Q(kind=Comment.Kind.TRIED)),
        questions=Count("pk", filter=Q(kind=Comment.Kind.QUESTION)),
    )

    figures = [
        Figure(
            "practices_published_count",
            _("Good practices published"),
            published.count(),
            Unit.COUNT,
            _("Sheets published in the period and still published."),
        ),
        Figure(
            "practices_reads_count",
            _("Readings of the good practices"),
            reads.aggregate(total=Sum("count"))["total"] or 0,
            Unit.COUNT,
            _("Times a published sheet was opened in the period, by anyone but its authors."),
        ),
        Figure(
            "practices_tried_count",
            _("Testimonies “we tried it too”"),
            tried["tried"],
            Unit.COUNT,
            _("Members who said in the period that they tried a practice too, with a short testimony."),
        ),
        Figure(
            "practices_questions_count",
            _("Questions to the authors"),
            tried["questions"],
            Unit.COUNT,
            _("Questions asked to the authors of a sheet in the period."),
        ),
    ]
    if organisation_id is not None:
        figures.append(
            Figure(
                "practices_tried_given_count",
                _("Our testimonies “we tried it too”"),
                comments.filter(kind=Comment.Kind.TRIED, organisation_id=organisation_id).count(),
                Unit.COUNT,
                _("Testimonies the organisation gave in the period on other members' sheets."),
            )
        )

    by_theme = dict(published.order_by().values("theme").annotate(n=Count("pk")).values_list("theme", "n"))
    breakdowns = [
        Breakdown(
            "practices_published_by_theme",
            _("Good practices published, by theme"),
            Unit.COUNT,
            tuple(Share(theme.value, str(theme.label), by_theme.get(theme.value, 0)) for theme in Theme),
        )
    ]
    monthly = dict(
        reads.annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(total=Sum("count"))
        .values_list("month", "total")
    )
    series = [
        Series(
            "practices_reads_by_month",
            _("Readings, month by month"),
            Unit.COUNT,
            tuple((month, int(monthly.get(month) or 0)) for month in period.months()),
        )
    ]
    return Section("practices", _("Good practices"), figures=figures, breakdowns=breakdowns, series=series)
