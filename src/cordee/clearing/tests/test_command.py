"""`cordee clear_invoices`: a proposal by default, executed with --execute, in a coordinator's name."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from cordee.clearing import services
from cordee.clearing.models import Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.errors import DomainError
from cordee.core.models import AuditEvent, HubRole
from cordee.core.money import format_cents
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.ledger.models import Account

pytestmark = pytest.mark.django_db


def clear(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("fr"):
        call_command("clear_invoices", *args, stdout=out, stderr=err)
    return " ".join(out.getvalue().replace("\u202f", " ").replace("\u00a0", " ").split()), err.getvalue()


def fr(cents: int) -> str:
    return format_cents(cents, "fr").replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture
def triangle(actors: Actors) -> dict[str, Invoice]:
    """A owes B 1 234,56 € (40 days ago), B owes C 800 € (35), C owes A 500 € (30)."""
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    return {
        "ab": owe(actors.org_a, actors.org_b, 123_456, days_ago=40),
        "bc": owe(actors.org_b, c, 80_000, days_ago=35),
        "ca": owe(c, actors.org_a, 50_000, days_ago=30),
    }


def test_it_computes_a_proposal_and_prints_its_totals(actors: Actors, triangle: dict[str, Invoice]) -> None:
    out, err = clear()

    run = Run.objects.get()
    assert run.status == Run.Status.PROPOSED
    assert run.computed_by == actors.coordinator
    assert run.reference in out
    assert fr(253_456) in out and fr(150_000) in out and "59,18 %" in out
    assert " 3 " in out and f"{run.solve_ms} ms" in out
    assert err.strip()  # the progress lines
    assert Invoice.objects.get(pk=triangle["ca"].pk).status == Invoice.Status.ISSUED


def test_with_execute_it_settles_the_invoices_and_posts_the_setoff(
    actors: Actors, triangle: dict[str, Invoice]
) -> None:
    out, _err = clear("--execute", "--actor", actors.coordinator.email.upper())

    run = Run.objects.get()
    assert run.status == Run.Status.EXECUTED and run.executed_by == actors.coordinator
    assert timezone.localdate().strftime("%d/%m/%Y") in out
    assert Invoice.objects.get(pk=triangle["ca"].pk).status == Invoice.Status.PAID
    suspense = Account.objects.get(ledger__code="EUR", number=services.SUSPENSE_ACCOUNT)
    assert suspense.debits_posted == suspense.credits_posted == 150_000
    assert AuditEvent.objects.filter(action="clearing.run.execute", actor=actors.coordinator).count() == 1

    # Run again: what is left holds no cycle; nothing to execute, and no error for cron.
    out, _err = clear("--execute")
    assert "0,00 €" in out
    assert Run.objects.filter(status=Run.Status.EXECUTED).count() == 1


def test_as_of_leaves_out_the_invoices_issued_later(actors: Actors, triangle: dict[str, Invoice]) -> None:
    as_of = timezone.localdate() - dt.timedelta(days=32)

    clear("--as-of", as_of.isoformat())

    run = Run.objects.get()
    assert (run.as_of, run.invoice_count, run.cleared_cents) == (as_of, 2, 0)


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--as-of", "26/11/2026"], "--as-of"),
        (["--as-of", "2999-01-01"], "--as-of"),
        (["--actor", "nobody@example.org"], "--actor"),
        (["--actor", "treasurer@example.org"], "--actor"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(
    actors: Actors, triangle: dict[str, Invoice], args: list[str], names: str
) -> None:
    with pytest.raises(CommandError) as refused:
        clear(*args, "--execute")
    assert names in str(refused.value)
    assert not Run.objects.exists()


def test_it_needs_a_coordinator_to_act_in_the_name_of(actors: Actors, triangle: dict[str, Invoice]) -> None:
    HubRole.objects.filter(role=HubRole.Role.COORDINATOR).delete()
    with pytest.raises(CommandError) as refused:
        clear()
    assert "--actor" in str(refused.value)
    assert not Run.objects.exists()


def test_a_refused_execution_is_a_command_error(
    actors: Actors, triangle: dict[str, Invoice], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> Run:
        raise DomainError("Recompute: the invoices have changed.", code="stale")

    monkeypatch.setattr(services, "run_execute", refuse)
    with pytest.raises(CommandError) as refused:
        clear("--execute")
    assert str(refused.value) == "Recompute: the invoices have changed."
    assert Run.objects.get().status == Run.Status.PROPOSED
