from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.treasury import services


class Command(BaseCommand):
    help = (
        "The treasury's daily run: void the approvals not disbursed in time, send the arrears reminders "
        "due, bring the provisions to their ageing bucket. Running it twice the same day does nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD, today by default (reminders and provisions as of that day)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("date: give it as YYYY-MM-DD.") from None
        if on > timezone.localdate():
            raise CommandError("date: the run cannot be made for a future day.")
        steps = (
            (_("approvals lapsed"), lambda: services.advances_expire()),
            (_("reminders sent"), lambda: services.reminders_send(on=on)),
            (_("provisions changed"), lambda: services.provisions_update(on=on)),
        )
        for number, (label, step) in enumerate(steps, start=1):
            count = step()
            self.stdout.write(f"[{number}/{len(steps)}] {label}: {count}")
