"""The demo hub's shared staff, loaded through the staffing services: two employees shared by
several members, with the three last complete months of timesheets validated and re-invoiced, and
the current month's weeks submitted and waiting for the member admins (one line disputed).

- Léa Bonnet (the demo's "shared employee" login) is employed by the hub as employers' group, on a
  permanent contract of 35 hours, shared month by month, in hours, among four members.
- Marc Eyraud is employed by the Recyclerie du Buëch, which lends him, quarter by quarter, in
  percentages, to two other members of the reuse and cycling trades — a non-profit loan of staff
  (Code du travail L8241-1), so no running costs; his time is logged by the coordinator (he has no
  account).

Like the treasury's demo, it runs after the rest of the demo has committed and does nothing once
its first employee exists. Its months are the three before the one it runs in. No e-mail is sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cordee.core import permissions
from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS
from cordee.network.models import Affiliation, Organisation
from cordee.staffing.models import Employee, MonthInvoicing, TimeEntry, Timesheet
from cordee.staffing.services.billing import invoice_staff
from cordee.staffing.services.employees import employee_create, expense_record, plan_set
from cordee.staffing.services.timesheets import time_dispute, time_validate, timesheet_save, timesheet_submit

COORDINATOR = "animateur@demo.cordee.example"
EMPLOYEE_LOGIN = "salariee@demo.cordee.example"
ADMIN_EMAIL = "personnel.{slug}@demo.cordee.example"
H = 60

THEATRE = "Théâtre du Faubourg"
RADIO = "Radio Durance Montagne"
JARDINS = ASSOCIATION_WITH_DEMO_LOGINS
PATRIMOINE = "Maison du patrimoine du Valgaudemar"
RECYCLERIE = "Recyclerie du Buëch"
VELO = "Vélo Alpin Solidaire"
REEMPLOI = "Les Ateliers du Réemploi"

# Léa's month plan, in hours, and her week: (organisation, minutes) per weekday (Monday = 0).
LEA_PLAN = {THEATRE: 50 * H, RADIO: 40 * H, JARDINS: 45 * H, PATRIMOINE: 15 * H}
LEA_WEEK = {
    0: [(THEATRE, 7 * H)],
    1: [(RADIO, 4 * H), (JARDINS, 3 * H)],
    2: [(JARDINS, 7 * H)],
    3: [(THEATRE, 4 * H), (PATRIMOINE, 3 * H)],
    4: [(RADIO, 5 * H), (THEATRE, 2 * H)],
}
# Marc's quarter plan, in basis points of his contract, and his four-day week.
MARC_PLAN = {RECYCLERIE: 4000, VELO: 3500, REEMPLOI: 2500}
MARC_WEEK = {
    0: [(RECYCLERIE, 7 * H)],
    1: [(VELO, 7 * H)],
    2: [(REEMPLOI, 7 * H)],
    3: [(RECYCLERIE, 4 * H), (VELO, 3 * H)],
}
DAY = (dt.time(8, 30), dt.time(16, 30))


@dataclass
class StaffingSummary:
    employees: int = 0
    timesheets: int = 0
    months_invoiced: int = 0
    people: int = 0
    created: int = 0


def load_staffing() -> StaffingSummary:
    """Load the demo's shared staff unless it is there already. Call it outside any transaction."""
    summary = StaffingSummary()
    if not Employee.objects.filter(full_name="Léa Bonnet").exists():
        with silenced():
            summary.created = _Loader().run()
    summary.employees = Employee.objects.count()
    summary.timesheets = Timesheet.objects.count()
    summary.months_invoiced = MonthInvoicing.objects.count()
    summary.people = User.objects.filter(email__startswith="personnel.", email__endswith="@demo.cordee.example").count()
    return summary


class _Loader:
    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.this_month = self.today.replace(day=1)
        self.months = [self.this_month - relativedelta(months=n) for n in (3, 2, 1)]
        self.coordinator = User.objects.get(email=COORDINATOR)
        self.organisations = {
            organisation.name: organisation
            for organisation in Organisation.objects.filter(name__in=[*LEA_PLAN, *MARC_PLAN])
        }
        self.admins: dict[str, User] = {}
        self.created = 0

    def run(self) -> int:
        lea = self._lea()
        marc = self._marc()
        first, end = self.months[0], self.this_month
        # Every weekday from the first month to yesterday, week by week.
        lea_login = User.objects.get(email=EMPLOYEE_LOGIN)
        for employee, week, actor in ((lea, LEA_WEEK, lea_login), (marc, MARC_WEEK, self.coordinator)):
            monday = first - dt.timedelta(days=first.weekday())
            while monday <= self.today - dt.timedelta(days=1):
                self._week(employee, week, monday, actor, first)
                monday += dt.timedelta(days=7)
        self._decide(end)
        for month in self.months:
            report = invoice_staff(month=month, actor=self.coordinator, notify=False)
            self.created += len(report.invoices)
        return self.created

    def _org(self, name: str) -> Organisation:
        return self.organisations[name]

    def _lea(self) -> Employee:
        person = User.objects.get(email=EMPLOYEE_LOGIN)
        lea = employee_create(
            actor=self.coordinator,
            person=person,
            full_name="Léa Bonnet",
            job_title="Chargée de communication et de vie associative mutualisée",
            contract_type="cdi",
            weekly_minutes=35 * H,
            starts_on=self.this_month - relativedelta(months=14),
            gross_salary_cents=225_000,
            contributions_rate=4200,
            running_costs_rate=800,
        )
        for month in [*self.months, self.this_month]:
            plan_set(
                actor=self.coordinator,
                employee=lea,
                period="month",
                starts_on=month,
                basis="hours",
                shares={self._org(name).pk: minutes for name, minutes in LEA_PLAN.items()},
                label=f"Répartition {month:%m/%Y}",
            )
        for month in self.months:
            expense_record(
                actor=self.coordinator,
                employee=lea,
                spent_on=month + dt.timedelta(days=9),
                label="Forfait téléphone et internet",
                amount_cents=2_000,
            )
        expense_record(
            actor=self.coordinator,
            employee=lea,
            spent_on=self.months[1] + dt.timedelta(days=16),
            label="Train Gap – Briançon, enregistrement à la radio",
            amount_cents=3_860,
            organisation=self._org(RADIO),
        )
        self.created += 1
        return lea

    def _marc(self) -> Employee:
        starts_on = self.this_month - relativedelta(months=5)
        marc = employee_create(
            actor=self.coordinator,
            employer=self._org(RECYCLERIE),
            full_name="Marc Eyraud",
            job_title="Mécanicien cycles et valoriste",
            contract_type="cdd",
            weekly_minutes=28 * H,
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=12) - dt.timedelta(days=1),
            gross_salary_cents=172_000,
            contributions_cents=69_000,
            # A non-profit loan of staff invoices salary, contributions and expenses only (L8241-1).
            running_costs_cents=0,
        )
        quarter = self.months[0].replace(month=(self.months[0].month - 1) // 3 * 3 + 1)
        while quarter <= self.this_month:
            plan_set(
                actor=self.coordinator,
                employee=marc,
                period="quarter",
                starts_on=quarter,
                basis="percent",
                shares={self._org(name).pk: share for name, share in MARC_PLAN.items()},
                label=f"Trimestre {quarter:%m/%Y}",
            )
            quarter += relativedelta(months=3)
        self.created += 1
        return marc

    def _week(
        self, employee: Employee, week: dict[int, list[tuple[str, int]]], monday: dt.date, actor: User, first: dt.date
    ) -> None:
        entries: dict[tuple[dt.date, int], int] = {}
        days: dict[dt.date, tuple[dt.time, dt.time]] = {}
        for weekday, lines in week.items():
            day = monday + dt.timedelta(days=weekday)
            if day < first or day >= self.today:
                continue
            for name, minutes in lines:
                entries[(day, self._org(name).pk)] = minutes
            days[day] = DAY
        if not entries:
            return
        sheet = timesheet_save(actor=actor, employee=employee, week=monday, entries=entries, days=days)
        timesheet_submit(actor=actor, timesheet=sheet)
        self.created += 1

    def _decide(self, end: dt.date) -> None:
        """The member admins validate the weeks begun before this month (the month before must be
        complete to be re-invoiced); this month's wait, but for one week the theatre disputes."""
        disputed = False
        sheets = Timesheet.objects.select_related("employee").order_by("week", "employee__pk")
        for sheet in sheets:
            organisations = Organisation.objects.filter(
                staff_time__timesheet=sheet, staff_time__state=TimeEntry.State.PENDING
            ).distinct()
            for organisation in organisations:
                if sheet.week < end:
                    time_validate(actor=self._admin(organisation), timesheet=sheet, organisation=organisation)
                elif organisation.name == THEATRE and not disputed and sheet.employee.full_name == "Léa Bonnet":
                    time_dispute(
                        actor=self._admin(organisation),
                        timesheet=sheet,
                        organisation=organisation,
                        comment="Le lundi, la répétition a été annulée : 4 heures et non 7.",
                    )
                    disputed = True

    def _admin(self, organisation: Organisation) -> User:
        if organisation.name in self.admins:
            return self.admins[organisation.name]
        admins = User.objects.filter(
            affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN, is_active=True
        )
        admin = admins.filter(email__endswith="@demo.cordee.example").first() or admins.order_by("pk").first()
        if admin is None:
            admin = User.objects.create_user(
                email=ADMIN_EMAIL.format(slug=organisation.slug), full_name=f"Référent·e {organisation.name}"[:150]
            )
            Affiliation.objects.create(
                person=admin, organisation=organisation, role=Affiliation.Role.ADMIN, position="Référent·e"
            )
            permissions.forget_actor(admin)
        self.admins[organisation.name] = admin
        return admin
