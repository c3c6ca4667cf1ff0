"""`cordee clear_invoices`: compute a multilateral clearing proposal, and execute it with --execute.

The same services as the coordinator's pages, in the name of a coordinator (--actor, or the first
active one): every run is someone's decision, recorded in the audit log under their name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from cordee.clearing import services
from cordee.clearing.models import Run
from cordee.core import permissions
from cordee.core.errors import DomainError
from cordee.core.models import HubRole, User
from cordee.core.money import format_cents


def percent(part: int, whole: int) -> str:
    """1500, 2300 -> "65,22 %" in French (no float on the way)."""
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else Decimal(0)
    locale = to_locale(get_language() or "fr")
    return f"{format_decimal(share, format='#,##0.00', locale='fr_FR' if locale == 'fr' else locale)}\u00a0%"


def the_actor(email: str | None) -> User:
    if email:
        actor = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if actor is None:
            raise CommandError(_("--actor: there is no active person with the e-mail %(email)s.") % {"email": email})
        if not permissions.can_run_clearing(actor):
            raise CommandError(_("--actor: %(email)s is not a coordinator of the hub.") % {"email": email})
        return actor
    role = (
        HubRole.objects.filter(role=HubRole.Role.COORDINATOR, user__is_active=True)
        .select_related("user")
        .order_by("since", "pk")
        .first()
    )
    if role is None:
        raise CommandError(_("--actor: the hub has no active coordinator to act in the name of; give --actor EMAIL."))
    return role.user


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--as-of: %(value)s is not a date YYYY-MM-DD.") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Compute the multilateral clearing of the open internal invoices between the members that signed "
        "the set-off agreement, print its totals, and with --execute settle the invoices and post the "
        "set-off to the ledger (all or nothing; each member cleared receives its statement)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="YYYY-MM-DD: invoices issued up to this day (today by default)")
        parser.add_argument("--execute", action="store_true", help="execute the proposal once computed")
        parser.add_argument("--actor", help="e-mail of the coordinator acting (the first active one by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"])
        actor = the_actor(options["actor"])

        def progress(message: str) -> None:
            self.stderr.write(message)

        try:
            run = services.run_compute(actor=actor, as_of=as_of, progress=progress)
        except DomainError as error:
            option = "--" + (error.field or "as_of").replace("_", "-")
            raise CommandError(f"{option}: {error.message}") from None
        self.stdout.write(
            _(
                "%(reference)s: open debt %(debt)s, cleared %(cleared)s (%(share)s), %(invoices)s invoices "
                "(%(cleared_invoices)s cleared), %(parties)s parties, solved in %(ms)s ms."
            )
            % {
                "reference": run.reference,
                "debt": format_cents(run.debt_cents),
                "cleared": format_cents(run.cleared_cents),
                "share": percent(run.cleared_cents, run.debt_cents),
                "invoices": run.invoice_count,
                "cleared_invoices": run.cleared_invoice_count,
                "parties": run.party_count,
                "ms": run.solve_ms,
            }
        )
        if not options["execute"]:
            self.stdout.write(_("Proposal only: run with --execute to execute it."))
            return
        if run.cleared_cents == 0:
            self.stdout.write(_("Nothing to clear: nothing was executed."))
            return
        try:
            run = services.run_execute(actor=actor, run=run, progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from None
        assert run.status == Run.Status.EXECUTED and run.executed_on is not None
        self.stdout.write(
            _(
                "%(reference)s executed on %(date)s: %(cleared)s set off, "
                "%(invoices)s invoices settled in whole or part."
            )
            % {
                "reference": run.reference,
                "date": run.executed_on.strftime("%d/%m/%Y"),
                "cleared": format_cents(run.cleared_cents),
                "invoices": run.cleared_invoice_count,
            }
        )
