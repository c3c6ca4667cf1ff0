from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from cordee.core.errors import DomainError
from cordee.core.money import format_cents
from cordee.staffing.models import Employee
from cordee.staffing.services.billing import invoice_staff, parse_month
from cordee.staffing.templatetags.staffing import format_hours


class Command(BaseCommand):
    help = (
        "Re-invoice a month of the shared employees: one internal invoice per member organisation, its share "
        "of the month's cost pro rata of its validated hours, plus its expenses. An employee whose month still "
        "has lines to validate or disputed is skipped, unless --validated-only. Running it twice creates "
        "nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, a month that has ended")
        parser.add_argument("--employee", type=int, help="the id of one employee (all by default)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be invoiced, write nothing")
        parser.add_argument(
            "--validated-only",
            action="store_true",
            help="invoice what is validated; the share of the hours not validated is left to the employer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
            employee = None
            if options["employee"] is not None:
                employee = Employee.objects.select_related("employer").filter(pk=options["employee"]).first()
                if employee is None:
                    raise DomainError(
                        _("There is no shared employee %(pk)s.") % {"pk": options["employee"]}, field="employee"
                    )
            report = invoice_staff(
                month=month,
                employee=employee,
                dry_run=options["dry_run"],
                validated_only=options["validated_only"],
                progress=lambda items: tqdm(list(items), desc="employees", unit="employee", file=self.stderr),
            )
        except DomainError as error:
            raise CommandError(f"{error.field or 'month'}: {error.message}") from None
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        for item in report.invoiced:
            self.stdout.write(
                _(
                    "%(name)s: cost %(cost)s, expenses %(expenses)s, %(hours)s validated; invoiced %(invoiced)s, "
                    "left to the employer %(employer)s."
                )
                % {
                    "name": item.employee.full_name,
                    "cost": format_cents(item.cost.total_cents),
                    "expenses": format_cents(item.expenses_cents),
                    "hours": format_hours(item.minutes),
                    "invoiced": format_cents(item.invoiced_cents),
                    "employer": format_cents(item.employer_cents),
                }
            )
            for share in item.shares:
                number = share.invoice.number if share.invoice else ("—" if share.to_employer else "")
                self.stdout.write(
                    f"  {share.organisation.name}: {format_hours(share.minutes)}, {format_cents(share.total_cents)}"
                    f"{' (' + _('left to the employer') + ')' if share.to_employer else ''} {number}".rstrip()
                )
        for item in report.pending:
            self.stdout.write(
                _("%(name)s: skipped, %(reason)s") % {"name": item.employee.full_name, "reason": item.reason}
            )
            for waiting in item.unvalidated:
                self.stdout.write(
                    "  "
                    + _("%(organisation)s: %(pending)s to validate, %(disputed)s disputed")
                    % {
                        "organisation": waiting.organisation.name,
                        "pending": format_hours(waiting.pending_minutes),
                        "disputed": format_hours(waiting.disputed_minutes),
                    }
                )
        for item in report.already:
            self.stdout.write(_("%(name)s: already re-invoiced.") % {"name": item.employee.full_name})
        self.stdout.write(
            _(
                "%(invoices)s invoices, %(invoiced)s invoiced, %(employer)s left to the employers; "
                "%(pending)s skipped, %(already)s already done."
            )
            % {
                "invoices": len(report.invoices),
                "invoiced": format_cents(report.invoiced_cents),
                "employer": format_cents(report.employer_cents),
                "pending": len(report.pending),
                "already": len(report.already),
            }
        )
        if report.failed:
            for item in report.failed:
                self.stderr.write(f"{item.employee.full_name}: {item.reason}")
            count = len(report.failed)
            raise CommandError(
                ngettext(
                    "%(count)s employee could not be re-invoiced.",
                    "%(count)s employees could not be re-invoiced.",
                    count,
                )
                % {"count": count}
            )
