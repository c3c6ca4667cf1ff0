"""Timesheets: saving a week under the working-time limits, submitting it, validating and disputing lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.staffing.models import Employee, MonthInvoicing, TimeEntry, Timesheet, WorkDay
from cordee.staffing.services.timesheets import (
    WorkTimeError,
    time_dispute,
    time_validate,
    timesheet_save,
    timesheet_submit,
)
from cordee.staffing.templatetags.staffing import format_hours, parse_hours
from cordee.staffing.tests.factories import employee, plan, submitted_week, validated_week, week_entries

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)
T = dt.time


@pytest.fixture
def staff(actors: Actors) -> Employee:
    """35 h a week from 1 January 2026, planned in November 2026 for A (90 h) and B (60 h)."""
    person = employee(person=actors.member_user_a, actor=actors.coordinator)
    plan(person, {actors.org_a: 90 * 60, actors.org_b: 60 * 60}, actor=actors.coordinator)
    return person


def _save(staff: Employee, entries: dict, days: dict, week: dt.date = MONDAY) -> Timesheet:
    assert staff.person is not None
    return timesheet_save(actor=staff.person, employee=staff, week=week, entries=entries, days=days)


def _nothing_written(staff: Employee) -> bool:
    return not TimeEntry.objects.filter(timesheet__employee=staff).exists() and not WorkDay.objects.exists()


def test_it_saves_a_week_of_hours_per_day_and_organisation(actors: Actors, staff: Employee) -> None:
    a, b = actors.org_a.pk, actors.org_b.pk
    sheet = _save(
        staff,
        {(MONDAY, a): 240, (MONDAY, b): 180, (MONDAY + dt.timedelta(days=1), a): 420},
        {MONDAY: (T(8), T(16)), MONDAY + dt.timedelta(days=1): (T(9), T(17))},
    )
    assert sheet.state == Timesheet.State.DRAFT
    assert sorted(sheet.entries.values_list("organisation_id", "minutes", "state")) == sorted(
        [(a, 240, "pending"), (b, 180, "pending"), (a, 420, "pending")]
    )
    assert sheet.days.count() == 2
    assert AuditEvent.objects.filter(action="staffing.timesheet.save", target_id=str(sheet.pk)).exists()


@pytest.mark.parametrize(
    ("entries", "days", "code"),
    [
        ({0: 601}, {0: (T(7), T(19))}, "daily_max"),
        ({0: 600, 1: 600, 2: 600, 3: 600, 4: 481}, None, "weekly_max"),
        ({0: 421}, {0: (T(9), T(16))}, "amplitude"),
    ],
    ids=["10h01-a-day", "48h01-a-week", "hours-beyond-start-and-end"],
)
def test_it_refuses_a_week_over_a_legal_limit_and_writes_nothing(
    actors: Actors, staff: Employee, entries: dict, days: dict | None, code: str
) -> None:
    cells = {(MONDAY + dt.timedelta(days=d), actors.org_a.pk): m for d, m in entries.items()}
    times = (
        {MONDAY + dt.timedelta(days=d): value for d, value in days.items()}
        if days
        else {MONDAY + dt.timedelta(days=d): (T(7), T(18)) for d in entries}
    )
    with pytest.raises(WorkTimeError) as caught:
        _save(staff, cells, times)
    assert caught.value.code == code
    assert _nothing_written(staff)
    assert not Timesheet.objects.filter(employee=staff).exists()


def test_ten_hours_a_day_and_forty_eight_a_week_are_allowed(actors: Actors, staff: Employee) -> None:
    cells = {(MONDAY + dt.timedelta(days=d), actors.org_a.pk): m for d, m in enumerate([600, 600, 600, 600, 480])}
    times = {MONDAY + dt.timedelta(days=d): (T(7), T(18)) for d in range(5)}
    sheet = _save(staff, {**cells}, times)
    assert sum(sheet.entries.values_list("minutes", flat=True)) == 48 * 60


def test_the_limit_message_names_the_article(actors: Actors, staff: Employee) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(WorkTimeError) as caught:
        _save(staff, {(MONDAY, actors.org_a.pk): 601}, {MONDAY: (T(7), T(19))})
    assert "L3121-18" in caught.value.message


def test_it_refuses_less_than_eleven_hours_of_rest_across_weeks(actors: Actors, staff: Employee) -> None:
    sunday = MONDAY + dt.timedelta(days=6)
    next_monday = MONDAY + dt.timedelta(days=7)
    _save(staff, {(sunday, actors.org_a.pk): 300}, {sunday: (T(17), T(22))})
    with pytest.raises(WorkTimeError) as caught:
        _save(staff, {(next_monday, actors.org_a.pk): 420}, {next_monday: (T(8), T(16))}, week=next_monday)
    assert caught.value.code == "daily_rest"
    assert caught.value.violations[0].day == next_monday
    _save(staff, {(next_monday, actors.org_a.pk): 420}, {next_monday: (T(9), T(17))}, week=next_monday)


def test_the_rest_is_checked_when_the_earlier_week_changes(actors: Actors, staff: Employee) -> None:
    next_monday = MONDAY + dt.timedelta(days=7)
    _save(staff, {(next_monday, actors.org_a.pk): 420}, {next_monday: (T(7), T(15))}, week=next_monday)
    sunday = MONDAY + dt.timedelta(days=6)
    with pytest.raises(WorkTimeError) as caught:
        _save(staff, {(sunday, actors.org_a.pk): 300}, {sunday: (T(17), T(22))})
    assert caught.value.code == "daily_rest"


def test_it_refuses_an_average_over_forty_four_hours_in_twelve_weeks(actors: Actors) -> None:
    staff = employee(person=actors.member_user_a, actor=actors.coordinator, weekly_minutes=48 * 60)
    plan(
        staff,
        {actors.org_a: 1},
        period="season",
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2026, 12, 31),
        basis="percent",
        actor=actors.coordinator,
    )
    first = dt.date(2026, 8, 10)
    long_week = {0: 600, 1: 600, 2: 600, 3: 600, 4: 480}
    for n in range(11):
        submitted_week(staff, first + dt.timedelta(weeks=n), {actors.org_a: long_week})
    twelfth = first + dt.timedelta(weeks=11)
    # 11 × 48 h = 528 h: a twelfth week of any hours takes the average over 44 h.
    with pytest.raises(WorkTimeError) as caught:
        _save(staff, {(twelfth, actors.org_a.pk): 60}, {twelfth: (T(9), T(10))}, week=twelfth)
    assert caught.value.code == "average_12_weeks"
    assert not Timesheet.objects.filter(employee=staff, week=twelfth).exists()


def test_it_requires_start_and_end_times_on_days_with_hours(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _save(staff, {(MONDAY, actors.org_a.pk): 420}, {})
    assert (caught.value.code, caught.value.field) == ("times_missing", "days")
    assert _nothing_written(staff)


def test_it_refuses_a_line_for_an_organisation_not_in_the_plan(actors: Actors, staff: Employee) -> None:
    other = make_organisation("Régie de quartier")
    with pytest.raises(DomainError) as caught:
        _save(staff, {(MONDAY, actors.org_a.pk): 120, (MONDAY, other.pk): 120}, {MONDAY: (T(9), T(13))})
    assert caught.value.code == "not_in_plan"
    assert _nothing_written(staff)


def test_it_refuses_a_day_no_plan_covers(actors: Actors, staff: Employee) -> None:
    october = dt.date(2026, 10, 26)
    with pytest.raises(DomainError) as caught:
        _save(staff, {(october, actors.org_a.pk): 120}, {october: (T(9), T(11))}, week=october)
    assert caught.value.code == "not_in_plan"


def test_it_refuses_a_day_outside_the_contract(actors: Actors) -> None:
    staff = employee(
        person=actors.member_user_a, actor=actors.coordinator, contract_type="cdd", ends_on=dt.date(2026, 11, 3)
    )
    plan(staff, {actors.org_a: 10 * 60}, actor=actors.coordinator)
    wednesday = MONDAY + dt.timedelta(days=2)
    with pytest.raises(DomainError) as caught:
        _save(staff, {(wednesday, actors.org_a.pk): 120}, {wednesday: (T(9), T(11))})
    assert caught.value.code == "contract_dates"


def test_it_refuses_a_day_of_a_month_already_reinvoiced(actors: Actors, staff: Employee) -> None:
    MonthInvoicing.objects.create(
        employee=staff,
        month=dt.date(2026, 11, 1),
        cost_cents=1,
        expenses_cents=0,
        minutes=0,
        invoiced_cents=0,
        employer_cents=1,
    )
    with pytest.raises(DomainError) as caught:
        _save(staff, {(MONDAY, actors.org_a.pk): 120}, {MONDAY: (T(9), T(11))})
    assert caught.value.code == "month_invoiced"
    assert _nothing_written(staff)


def test_it_refuses_a_week_that_does_not_start_on_monday(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _save(staff, {}, {}, week=MONDAY + dt.timedelta(days=1))
    assert caught.value.code == "week"


def test_only_the_employee_or_the_coordinator_logs_its_time(actors: Actors, staff: Employee) -> None:
    entries, days = week_entries(MONDAY, {actors.org_a: {0: 120}})
    with pytest.raises(NotAllowed):
        timesheet_save(actor=actors.member_admin_a, employee=staff, week=MONDAY, entries=entries, days=days)
    sheet = timesheet_save(actor=actors.coordinator, employee=staff, week=MONDAY, entries=entries, days=days)
    assert sheet.entries.count() == 1


def test_submitting_tells_the_member_admins_of_each_organisation(
    actors: Actors, staff: Employee, django_capture_on_commit_callbacks: Any
) -> None:
    entries, days = week_entries(MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    sheet = _save(staff, entries, days)
    mail.outbox.clear()
    with pytest.raises(NotAllowed):
        timesheet_submit(actor=actors.member_admin_b, timesheet=sheet)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = timesheet_submit(actor=actors.member_user_a, timesheet=sheet)
    assert sheet.state == Timesheet.State.SUBMITTED and sheet.submitted_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["admin.a@example.org", "admin.b@example.org"]
    body_a = next(message.body for message in mail.outbox if message.to == ["admin.a@example.org"])
    assert format_hours(240) in body_a and format_hours(180) not in body_a
    assert "/personnel/validation/" in body_a
    with pytest.raises(DomainError) as caught:
        timesheet_submit(actor=actors.member_user_a, timesheet=sheet)
    assert caught.value.code == "state"


def test_an_empty_week_cannot_be_submitted(actors: Actors, staff: Employee) -> None:
    sheet = _save(staff, {}, {})
    with pytest.raises(DomainError) as caught:
        timesheet_submit(actor=actors.member_user_a, timesheet=sheet)
    assert caught.value.code == "empty"


def test_a_member_admin_validates_only_its_organisation_lines(actors: Actors, staff: Employee) -> None:
    sheet = submitted_week(staff, MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    with pytest.raises(NotAllowed):
        time_validate(actor=actors.member_admin_b, timesheet=sheet, organisation=actors.org_a)
    with pytest.raises(NotAllowed):
        time_validate(actor=actors.member_user_a, timesheet=sheet, organisation=actors.org_a)
    assert not sheet.entries.filter(state="validated").exists()
    time_validate(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a)
    states = dict(sheet.entries.values_list("organisation_id", "state"))
    assert states == {actors.org_a.pk: "validated", actors.org_b.pk: "pending"}
    assert sheet.entries.get(organisation=actors.org_a).decided_by == actors.member_admin_a
    with pytest.raises(DomainError) as caught:
        time_validate(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a)
    assert caught.value.code == "nothing_pending"


def test_only_a_submitted_week_is_validated(actors: Actors, staff: Employee) -> None:
    entries, days = week_entries(MONDAY, {actors.org_a: {0: 240}})
    sheet = _save(staff, entries, days)
    with pytest.raises(DomainError) as caught:
        time_validate(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a)
    assert caught.value.code == "state"


def test_a_validated_line_can_no_longer_change(actors: Actors, staff: Employee) -> None:
    validated_week(staff, MONDAY, {actors.org_a: {0: 240}})
    entries, days = week_entries(MONDAY, {actors.org_a: {0: 300}})
    with pytest.raises(DomainError) as caught:
        _save(staff, entries, days)
    assert caught.value.code == "validated_line"
    with pytest.raises(DomainError):
        _save(staff, {}, {})
    assert list(TimeEntry.objects.filter(timesheet__employee=staff).values_list("minutes", "state")) == [
        (240, "validated")
    ]


def test_changed_lines_go_back_to_pending_and_the_week_to_draft(actors: Actors, staff: Employee) -> None:
    sheet = submitted_week(staff, MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    time_validate(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a)
    time_dispute(actor=actors.member_admin_b, timesheet=sheet, organisation=actors.org_b, comment="Mardi : 2 h")
    entries, days = week_entries(MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 120}})
    sheet = _save(staff, entries, days)
    assert sheet.state == Timesheet.State.DRAFT
    states = {
        org: (minutes, state, comment)
        for org, minutes, state, comment in sheet.entries.values_list("organisation_id", "minutes", "state", "comment")
    }
    assert states == {actors.org_a.pk: (240, "validated", ""), actors.org_b.pk: (120, "pending", "")}


def test_a_dispute_needs_a_comment_and_tells_the_employee(
    actors: Actors, staff: Employee, django_capture_on_commit_callbacks: Any
) -> None:
    sheet = submitted_week(staff, MONDAY, {actors.org_a: {0: 240}})
    with pytest.raises(DomainError) as caught:
        time_dispute(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a, comment="  ")
    assert caught.value.field == "comment"
    assert sheet.entries.get().state == "pending"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        time_dispute(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a, comment="Lundi férié ?")
    line = sheet.entries.get()
    assert (line.state, line.comment) == ("disputed", "Lundi férié ?")
    assert [message.to for message in mail.outbox] == [["user.a@example.org"]]
    assert "Lundi férié ?" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="staffing.time.dispute").exists()


def test_a_disputed_week_can_be_submitted_again_unchanged(actors: Actors, staff: Employee) -> None:
    sheet = submitted_week(staff, MONDAY, {actors.org_a: {0: 240}})
    time_dispute(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a, comment="Vraiment ?")
    timesheet_submit(actor=actors.member_user_a, timesheet=sheet)
    assert sheet.entries.get().state == "pending"
    time_validate(actor=actors.member_admin_a, timesheet=sheet, organisation=actors.org_a)
    assert sheet.entries.get().state == "validated"


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("3,5", 210), ("3.5", 210), ("3h30", 210), ("3:30", 210), ("3 h", 180), ("45 min", 45), ("", None)],
)
def test_typed_hours_are_read_as_minutes(typed: str, minutes: int | None) -> None:
    assert parse_hours(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "code"), [("trois", "hours_format"), ("3h75", "hours_format"), ("25", "hours_range")]
)
def test_badly_typed_hours_are_refused(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_hours(typed)
    assert caught.value.code == code


def test_hours_are_shown_the_french_way() -> None:
    assert (format_hours(450, "fr"), format_hours(420, "fr"), format_hours(80, "fr"), format_hours(450, "en")) == (
        "7,5 h",
        "7 h",
        "1,33 h",
        "7.5 h",
    )
