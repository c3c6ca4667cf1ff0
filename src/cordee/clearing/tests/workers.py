"""Entry points of the processes that `test_concurrency` starts: each runs in its own OS process,
on the scratch database named by DATABASE_URL, and prints one JSON line on stdout.

    python -m cordee.clearing.tests.workers setup
    python -m cordee.clearing.tests.workers execute --run 1 --start-at 1700000000.5
    python -m cordee.clearing.tests.workers pay --invoice 2 --start-at 1700000000.5

`setup` makes the actors, A's and B's consents, A owing B 300 € and B owing A 200 €, and a proposal
(200 € cleared each way, B's invoice whole). `execute` executes the proposal as the coordinator;
`pay` records the payment of an invoice as the treasurer. Each answers "ok" or the refusal's code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, sort_keys=True), flush=True)


def _wait(start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))


def _user(email: str) -> Any:
    from cordee.core.models import User

    return User.objects.get(email=email)


def setup(_: argparse.Namespace) -> None:
    from cordee.clearing import services
    from cordee.clearing.tests.support import consent, owe
    from cordee.core.mail import silenced
    from cordee.core.testing import make_actors

    actors = make_actors()
    consent(actors.org_a, actors.coordinator)
    consent(actors.org_b, actors.coordinator)
    with silenced():
        a_owes = owe(actors.org_a, actors.org_b, 30_000)
        b_owes = owe(actors.org_b, actors.org_a, 20_000)
        run = services.run_compute(actor=actors.coordinator)
    _emit({"run": run.pk, "a_owes": a_owes.pk, "b_owes": b_owes.pk})


def execute(args: argparse.Namespace) -> None:
    from cordee.clearing import services
    from cordee.clearing.models import Run
    from cordee.core.errors import DomainError
    from cordee.core.mail import silenced

    coordinator = _user("coordinator@example.org")
    run = Run.objects.get(pk=args.run)
    _wait(args.start_at)
    try:
        with silenced():
            services.run_execute(actor=coordinator, run=run)
    except DomainError as refused:
        _emit({"result": refused.code})
    else:
        _emit({"result": "ok"})


def pay(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from cordee.core.errors import DomainError
    from cordee.invoicing import services
    from cordee.invoicing.models import Invoice

    treasurer = _user("treasurer@example.org")
    invoice = Invoice.objects.get(pk=args.invoice)
    _wait(args.start_at)
    try:
        services.invoice_record_payment(actor=treasurer, invoice=invoice, paid_on=timezone.localdate())
    except DomainError as refused:
        _emit({"result": refused.code})
    else:
        _emit({"result": "ok"})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="workers")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").set_defaults(run_command=setup)
    command = commands.add_parser("execute")
    command.add_argument("--run", type=int, required=True)
    command.add_argument("--start-at", type=float, default=0.0)
    command.set_defaults(run_command=execute)
    command = commands.add_parser("pay")
    command.add_argument("--invoice", type=int, required=True)
    command.add_argument("--start-at", type=float, default=0.0)
    command.set_defaults(run_command=pay)
    args = parser.parse_args(argv)
    _setup_django()
    args.run_command(args)


if __name__ == "__main__":
    main(sys.argv[1:])
