"""Timesheets: the employee logs its hours per day and organisation, submits the week, and each
member admin validates or disputes the lines of its organisation.

Saving a week checks the French working-time limits (cordee.lib.worktime) on the week as it would
be, with the eleven weeks around it for the 12-week average and the neighbouring days for the
rest: a week that breaks one is refused whole, the rule and its article named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.lib import worktime
from cordee.network.models import Organisation
from cordee.staffing import selectors
from cordee.staffing.models import Employee, MonthInvoicing, TimeEntry, Timesheet, WorkDay
from cordee.staffing.services.employees import contract_text, day_text, lock_employee, require
from cordee.staffing.templatetags.staffing import format_hours

WEEK = dt.timedelta(days=7)
AROUND = worktime.AVERAGE_WEEKS - 1


class WorkTimeError(DomainError):
    """A week that breaks one or more working-time limits: every violation, the first one's code."""

    def __init__(self, violations: list[worktime.Violation]) -> None:
        self.violations = violations
        self.messages = [violation_message(v) for v in violations]
        super().__init__(" ".join(self.messages), field="entries", code=violations[0].code)


def violation_message(violation: worktime.Violation) -> str:
    values = {
        "article": violation.article,
        "found": format_hours(violation.minutes),
        "limit": format_hours(violation.limit),
        "day": day_text(violation.day) if violation.day else "",
        "week": day_text(violation.week) if violation.week else "",
        "first": day_text(violation.first_week) if violation.first_week else "",
    }
    if violation.code == worktime.DAILY_MAX:
        text = _("Code du travail %(article)s: at most %(limit)s of work a day; %(found)s on %(day)s.")
    elif violation.code == worktime.WEEKLY_MAX:
        text = _("Code du travail %(article)s: at most %(limit)s in a week; %(found)s in the week of %(week)s.")
    elif violation.code == worktime.AVERAGE_12_WEEKS:
        text = _(
            "Code du travail %(article)s: at most %(limit)s a week on average over 12 consecutive weeks; "
            "%(found)s from the week of %(first)s to the week of %(week)s."
        )
    elif violation.code == worktime.DAILY_REST:
        text = _(
            "Code du travail %(article)s: at least %(limit)s of consecutive rest between two days; "
            "only %(found)s before %(day)s."
        )
    else:
        text = _("%(day)s: %(found)s of work does not fit between the start and end times (%(limit)s).")
    return text % values


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _emails(organisation_ids: set[int]) -> dict[int, list[str]]:
    rows = User.objects.filter(
        affiliations__organisation_id__in=organisation_ids,
        affiliations__role="admin",
        is_active=True,
    ).values_list("affiliations__organisation_id", "email")
    emails: dict[int, list[str]] = {}
    for organisation_id, email in rows:
        if email:
            emails.setdefault(organisation_id, []).append(email)
    return emails


@transaction.atomic(durable=True)
def timesheet_save(
    *,
    actor: User,
    employee: Employee,
    week: dt.date,
    entries: Mapping[tuple[dt.date, int], int],
    days: Mapping[dt.date, tuple[dt.time, dt.time]] | None = None,
) -> Timesheet:
    """Replace the content of the employee's week (Monday `week`).

    `entries`: (day, organisation id) -> minutes; `days`: day -> (start, end) of work, required on
    every day with hours. Refused whole, naming the rule: a line already validated changed or
    removed, a day outside the week or the contract or in a month re-invoiced, an organisation not
    in the plan covering the day, a working-time limit broken. The lines changed go back to
    pending, and the sheet to draft if it was submitted: it must be submitted again."""
    require(permissions.can_log_time_of(actor, employee))
    employee = lock_employee(employee)
    if week.weekday() != 0:
        raise DomainError(_("A timesheet starts on a Monday."), field="week", code="week")
    sunday = week + dt.timedelta(days=6)
    days = dict(days or {})
    wanted: dict[tuple[dt.date, int], int] = {}
    for (day, organisation_id), minutes in entries.items():
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 24 * 60:
            raise DomainError(
                _("%(day)s: hours are between 0 and 24.") % {"day": day_text(day)}, field="entries", code="invalid"
            )
        if not week <= day <= sunday:
            raise DomainError(
                _("%(day)s is not in the week of %(week)s.") % {"day": day_text(day), "week": day_text(week)},
                field="entries",
                code="week",
            )
        if minutes:
            wanted[(day, int(organisation_id))] = minutes
    for day, (started_at, ended_at) in days.items():
        if not week <= day <= sunday:
            raise DomainError(
                _("%(day)s is not in the week of %(week)s.") % {"day": day_text(day), "week": day_text(week)},
                field="days",
                code="week",
            )
        if ended_at <= started_at:
            raise DomainError(
                _("%(day)s: work must end after it starts.") % {"day": day_text(day)}, field="days", code="times"
            )
    worked_days = {day for day, _pk in wanted}
    for day in sorted(worked_days - set(days)):
        raise DomainError(
            _("%(day)s: give the time work started and ended, so that the daily rest can be checked.")
            % {"day": day_text(day)},
            field="days",
            code="times_missing",
        )
    for day in sorted(set(days) - worked_days):
        raise DomainError(
            _("%(day)s: start and end times are given but no hours.") % {"day": day_text(day)},
            field="days",
            code="times_without_hours",
        )

    timesheet, _created = Timesheet.objects.select_for_update(of=("self",)).get_or_create(employee=employee, week=week)
    current = {(entry.day, entry.organisation_id): entry for entry in timesheet.entries.all()}
    changed_cells = {
        cell for cell in set(current) | set(wanted) if cell not in current or current[cell].minutes != wanted.get(cell)
    }
    for cell in sorted(changed_cells):
        entry = current.get(cell)
        if entry is not None and entry.state == TimeEntry.State.VALIDATED:
            raise DomainError(
                _("%(day)s: the hours for %(name)s were validated and can no longer change.")
                % {"day": day_text(cell[0]), "name": entry.organisation.name},
                field="entries",
                code="validated_line",
            )
    touched_days = {day for day, _pk in changed_cells}
    for day in sorted(touched_days):
        if day < employee.starts_on or (employee.ends_on is not None and day > employee.ends_on):
            raise DomainError(
                _("%(day)s is outside the contract (%(contract)s).")
                % {"day": day_text(day), "contract": contract_text(employee)},
                field="entries",
                code="contract_dates",
            )
    invoiced = set(
        MonthInvoicing.objects.filter(employee=employee, month__gte=week.replace(day=1), month__lte=sunday).values_list(
            "month", flat=True
        )
    )
    old_times = {work.day: (work.started_at, work.ended_at) for work in timesheet.days.all()}
    for day in sorted(touched_days | {d for d in set(days) | set(old_times) if days.get(d) != old_times.get(d)}):
        if day.replace(day=1) in invoiced:
            raise DomainError(
                _("%(month)s was already re-invoiced for %(name)s: its hours are closed.")
                % {"month": day.strftime("%m/%Y"), "name": employee.full_name},
                field="entries",
                code="month_invoiced",
            )
    plans = selectors.plans_of(employee, week, sunday)
    organisations = {share.organisation_id: share.organisation for plan in plans for share in plan.shares.all()}
    for day, organisation_id in sorted(cell for cell in changed_cells if cell in wanted):
        plan = next((p for p in plans if p.starts_on <= day <= p.ends_on), None)
        if plan is None or organisation_id not in {share.organisation_id for share in plan.shares.all()}:
            organisation = organisations.get(organisation_id) or Organisation.objects.filter(pk=organisation_id).first()
            raise DomainError(
                _("%(name)s is not in the allocation plan covering %(day)s.")
                % {"name": organisation.name if organisation else f"#{organisation_id}", "day": day_text(day)},
                field="entries",
                code="not_in_plan",
            )

    _check_work_time(employee, week, wanted, days)

    for cell in changed_cells:
        entry = current.get(cell)
        if cell not in wanted:
            assert entry is not None
            entry.delete()
        elif entry is None:
            TimeEntry.objects.create(timesheet=timesheet, day=cell[0], organisation_id=cell[1], minutes=wanted[cell])
        else:
            entry.minutes = wanted[cell]
            entry.state = TimeEntry.State.PENDING
            entry.comment = ""
            entry.decided_by = None
            entry.decided_at = None
            entry.save(update_fields=["minutes", "state", "comment", "decided_by", "decided_at"])
    if days != old_times:
        timesheet.days.all().delete()
        WorkDay.objects.bulk_create(
            WorkDay(timesheet=timesheet, day=day, started_at=start, ended_at=end)
            for day, (start, end) in sorted(days.items())
        )
    if changed_cells and timesheet.state == Timesheet.State.SUBMITTED:
        timesheet.state = Timesheet.State.DRAFT
        timesheet.submitted_at = None
        timesheet.save(update_fields=["state", "submitted_at"])
    audit(
        actor=actor,
        action="staffing.timesheet.save",
        target=timesheet,
        minutes=sum(wanted.values()),
        changed=len(changed_cells),
    )
    return timesheet


def _check_work_time(
    employee: Employee,
    week: dt.date,
    wanted: Mapping[tuple[dt.date, int], int],
    times: Mapping[dt.date, tuple[dt.time, dt.time]],
) -> None:
    """The limits on the week as it would be, with the 11 weeks before and after it (the averages
    whose 12 weeks hold this one) and the Sunday before and Monday after (the rest). Other
    employments of the same person are not counted: the hub does not know them."""
    first, last = week - AROUND * WEEK, week + (AROUND + 1) * WEEK - dt.timedelta(days=1)
    minutes: dict[dt.date, int] = {}
    for day, value in (
        TimeEntry.objects.filter(timesheet__employee=employee, day__gte=first, day__lte=last)
        .exclude(timesheet__week=week)
        .values_list("day", "minutes")
    ):
        minutes[day] = minutes.get(day, 0) + value
    for (day, _pk), value in wanted.items():
        minutes[day] = minutes.get(day, 0) + value
    known_times = selectors.day_times(employee, week - dt.timedelta(days=1), week + WEEK)
    known_times = {day: value for day, value in known_times.items() if not week <= day < week + WEEK}
    known_times.update(times)
    days = {day: worktime.Day(value, *known_times.get(day, (None, None))) for day, value in minutes.items()}
    sunday = week + dt.timedelta(days=6)
    violations = [
        v
        for v in worktime.check(days)
        if (v.code == worktime.AVERAGE_12_WEEKS and v.first_week and v.week and v.first_week <= week <= v.week)
        or (v.code == worktime.WEEKLY_MAX and v.week == week)
        or (v.code == worktime.DAILY_REST and v.day and week <= v.day <= sunday + dt.timedelta(days=1))
        or (v.code in (worktime.DAILY_MAX, worktime.AMPLITUDE) and v.day and week <= v.day <= sunday)
    ]
    if violations:
        raise WorkTimeError(violations)


@transaction.atomic(durable=True)
def timesheet_submit(*, actor: User, timesheet: Timesheet) -> Timesheet:
    """Submit the week: the member admins of the organisations with lines to validate are told.
    A week with disputed lines can be submitted again as it is: the employee maintains them."""
    require(permissions.can_log_time_of(actor, timesheet.employee))
    lock_employee(timesheet.employee)
    timesheet = Timesheet.objects.select_for_update(of=("self",)).select_related("employee").get(pk=timesheet.pk)
    disputed = timesheet.entries.filter(state=TimeEntry.State.DISPUTED).exists()
    if timesheet.state != Timesheet.State.DRAFT and not disputed:
        raise DomainError(_("This week is already submitted."), field="state", code="state")
    pending = list(
        timesheet.entries.filter(state__in=(TimeEntry.State.PENDING, TimeEntry.State.DISPUTED)).select_related(
            "organisation"
        )
    )
    if not timesheet.entries.exists():
        raise DomainError(_("There are no hours to submit this week."), field="entries", code="empty")
    timesheet.state = Timesheet.State.SUBMITTED
    timesheet.submitted_at = timezone.now()
    timesheet.save(update_fields=["state", "submitted_at"])
    by_organisation: dict[int, list[TimeEntry]] = {}
    for entry in pending:
        if entry.state == TimeEntry.State.DISPUTED:
            # Submitted again unchanged: the employee maintains the hours; the admin decides again.
            entry.state = TimeEntry.State.PENDING
            entry.save(update_fields=["state"])
        by_organisation.setdefault(entry.organisation_id, []).append(entry)
    link = _absolute(reverse("staffing:validation"))
    recipients = _emails(set(by_organisation))
    for organisation_id, lines in by_organisation.items():
        email_after_commit(
            to=recipients.get(organisation_id, []),
            template="staffing/email/timesheet_submitted",
            context={
                "employee": timesheet.employee,
                "timesheet": timesheet,
                "organisation": lines[0].organisation,
                "lines": lines,
                "minutes": sum(line.minutes for line in lines),
                "link": link,
            },
        )
    audit(
        actor=actor,
        action="staffing.timesheet.submit",
        target=timesheet,
        organisations=sorted(by_organisation),
    )
    return timesheet


def _decide(*, actor: User, timesheet: Timesheet, organisation: Organisation) -> tuple[Timesheet, list[TimeEntry]]:
    if not permissions.can_validate_time_for(actor, organisation.pk):
        raise NotAllowed(_("Only the member admins of %(name)s decide on its hours.") % {"name": organisation.name})
    lock_employee(timesheet.employee)
    timesheet = (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__person")
        .get(pk=timesheet.pk)
    )
    if timesheet.state != Timesheet.State.SUBMITTED:
        raise DomainError(_("This week is not submitted yet."), field="state", code="state")
    lines = list(timesheet.entries.filter(organisation=organisation, state=TimeEntry.State.PENDING))
    if not lines:
        raise DomainError(
            _("No hours of this week wait for a decision of %(name)s.") % {"name": organisation.name},
            field="organisation",
            code="nothing_pending",
        )
    return timesheet, lines


@transaction.atomic(durable=True)
def time_validate(*, actor: User, timesheet: Timesheet, organisation: Organisation) -> list[TimeEntry]:
    """A member admin accepts the pending lines of its organisation in a submitted week."""
    timesheet, lines = _decide(actor=actor, timesheet=timesheet, organisation=organisation)
    now = timezone.now()
    TimeEntry.objects.filter(pk__in=[line.pk for line in lines]).update(
        state=TimeEntry.State.VALIDATED, comment="", decided_by=actor, decided_at=now
    )
    audit(
        actor=actor,
        action="staffing.time.validate",
        target=timesheet,
        organisation=organisation.pk,
        minutes=sum(line.minutes for line in lines),
    )
    return list(TimeEntry.objects.filter(pk__in=[line.pk for line in lines]))


@transaction.atomic(durable=True)
def time_dispute(*, actor: User, timesheet: Timesheet, organisation: Organisation, comment: str) -> list[TimeEntry]:
    """A member admin disputes the pending lines of its organisation, saying why; the employee is
    told, corrects them (they go back to pending) or submits the week again as it is. The other
    organisations' lines stay to decide."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Say what is wrong with these hours."), field="comment", code="required")
    if len(comment) > 500:
        raise DomainError(_("The comment is 500 characters at most."), field="comment", code="too_long")
    timesheet, lines = _decide(actor=actor, timesheet=timesheet, organisation=organisation)
    now = timezone.now()
    TimeEntry.objects.filter(pk__in=[line.pk for line in lines]).update(
        state=TimeEntry.State.DISPUTED, comment=comment, decided_by=actor, decided_at=now
    )
    employee = timesheet.employee
    email_after_commit(
        to=[employee.person.email] if employee.person and employee.person.is_active else [],
        template="staffing/email/timesheet_disputed",
        context={
            "employee": employee,
            "timesheet": timesheet,
            "organisation": organisation,
            "lines": lines,
            "minutes": sum(line.minutes for line in lines),
            "comment": comment,
            "by": actor,
            "link": _absolute(reverse("staffing:week", args=[employee.pk, timesheet.week.isoformat()])),
        },
    )
    audit(
        actor=actor,
        action="staffing.time.dispute",
        target=timesheet,
        organisation=organisation.pk,
        minutes=sum(line.minutes for line in lines),
        comment=comment,
    )
    return list(TimeEntry.objects.filter(pk__in=[line.pk for line in lines]))
