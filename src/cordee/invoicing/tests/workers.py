"""Entry points of the processes that `test_concurrency` starts: each runs in its own OS process,
on the scratch database named by DATABASE_URL, and prints one JSON line on stdout.

    python -m cordee.invoicing.tests.workers setup
    python -m cordee.invoicing.tests.workers issue --count 20 --start-at 1700000000.5
    python -m cordee.invoicing.tests.workers auto --start-at 1700000000.5

`issue` drafts and issues invoices from organisation A to B, one after the other; `auto` issues an
invoice for each of the same few sources with `invoice_create_issued`, as the monthly invoicing of
two hosts started at once would. Both start at the same instant, so that they really overlap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from typing import Any

SOURCES = [f"concurrency:2026-03:org={n}" for n in range(6)]
ISSUE_DATE = dt.date(2026, 3, 2)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, sort_keys=True), flush=True)


def _wait(start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))


def _parties() -> tuple[Any, Any, Any]:
    from cordee.core.models import User
    from cordee.network.models import Organisation

    return (
        Organisation.objects.get(name="Les Jardins du Buëch"),
        Organisation.objects.get(name="Coopérative des Écrins"),
        User.objects.get(email="admin.a@example.org"),
    )


def _line() -> Any:
    from cordee.invoicing.totals import LineData

    return LineData(label="Location de salle", quantity=Decimal("2"), unit_price_cents=2500, vat_rate=2000)


def setup(_: argparse.Namespace) -> None:
    from cordee.core.testing import make_actors

    actors = make_actors()
    _emit({"org_a": actors.org_a.pk, "org_b": actors.org_b.pk})


def issue(args: argparse.Namespace) -> None:
    from cordee.invoicing import services

    org_a, org_b, admin = _parties()
    drafts = [
        services.invoice_draft_create(
            actor=admin, issuer=org_a, recipient=org_b, lines=[_line()], due_date=dt.date(2026, 3, 31)
        )
        for _ in range(args.count)
    ]
    _wait(args.start_at)
    numbers = [services.invoice_issue(actor=admin, invoice=draft, issue_date=ISSUE_DATE).number for draft in drafts]
    _emit({"numbers": numbers})


def auto(args: argparse.Namespace) -> None:
    from cordee.invoicing import services

    org_a, org_b, _admin = _parties()
    _wait(args.start_at)
    invoices = {
        source: services.invoice_create_issued(
            issuer=org_b,
            recipient=org_a,
            lines=[_line()],
            issue_date=ISSUE_DATE,
            due_date=dt.date(2026, 3, 31),
            source=source,
        ).pk
        for source in SOURCES
    }
    _emit({"invoices": invoices})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="workers")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").set_defaults(run=setup)
    for name, run in (("issue", issue), ("auto", auto)):
        command = commands.add_parser(name)
        command.add_argument("--count", type=int, default=10)
        command.add_argument("--start-at", type=float, default=0.0)
        command.set_defaults(run=run)
    args = parser.parse_args(argv)
    _setup_django()
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
