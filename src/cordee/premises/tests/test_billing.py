"""The month's completed bookings become internal invoices: one per (owner, booking organisation)
pair, a line per booking at its frozen price, issued and posted; running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cordee.core.errors import DomainError
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.ledger.verify import verify
from cordee.premises.billing import invoice_bookings
from cordee.premises.models import Booking, Resource
from cordee.premises.tests.factories import at, insert_booking, make_resource

AFTER_MARCH = at("2026-04-02", "08:00")


@pytest.fixture
def rooms(actors: Actors) -> tuple[Resource, Resource]:
    """Two rooms of organisation A; the second invoices VAT at 20 %."""
    return (
        make_resource(actors.org_a, name="Salle A", member_hour_cents=1000),
        make_resource(actors.org_a, name="Salle B", member_hour_cents=2000, vat_rate=2000),
    )


def book(resource: Resource, organisation: Any, day: str, start: str, end: str, price: int, **fields: Any) -> Booking:
    fields.setdefault("state", Booking.State.COMPLETED)
    return insert_booking(
        resource, day, start, end, organisation=organisation, price_cents=price, price_detail="tarif adhérent", **fields
    )


def test_one_invoice_per_owner_and_booking_organisation_with_a_line_per_booking(
    actors: Actors, rooms: tuple[Resource, Resource]
) -> None:
    a, b = rooms
    third = make_organisation("Refuge du Pelvoux")
    first = book(a, actors.org_b, "2026-03-03", "10:00", "12:00", 2000)
    second = book(b, actors.org_b, "2026-03-10", "14:00", "15:00", 2000)
    other = book(a, third, "2026-03-17", "09:00", "10:00", 1000)
    book(a, actors.org_b, "2026-04-01", "09:00", "10:00", 1000)  # April: not this month
    free = book(a, actors.org_b, "2026-03-24", "09:00", "10:00", 0)
    cancelled = book(a, actors.org_b, "2026-03-25", "09:00", "10:00", 1000, state=Booking.State.CANCELLED)
    # Confirmed and ended: completed first, then invoiced.
    late = book(a, actors.org_b, "2026-03-31", "16:00", "18:00", 2000, state=Booking.State.CONFIRMED)

    report = invoice_bookings(dt.date(2026, 3, 1), now=AFTER_MARCH)

    assert (len(report.invoices), report.bookings, report.free) == (2, 4, 1)
    to_b = Invoice.objects.get(recipient=actors.org_b)
    assert to_b.issuer == actors.org_a and to_b.status == Invoice.Status.ISSUED and to_b.number
    assert [(line.unit_price_cents, line.vat_rate) for line in to_b.lines.order_by("position")] == [
        (2000, 0),
        (2000, 2000),
        (2000, 0),
    ]
    # 20 + 20 + 20 € excluding VAT, and 20 % on the 20 € of room B: 64 €.
    assert (to_b.total_excl_vat_cents, to_b.vat_cents, to_b.total_incl_vat_cents) == (6000, 400, 6400)
    assert to_b.lines.order_by("position").first().label.startswith("Salle A, 03/03/2026 10:00–12:00")
    assert Invoice.objects.get(recipient=third).total_incl_vat_cents == 1000
    for booking in (first, second, late):
        booking.refresh_from_db()
        assert booking.invoice == to_b and booking.state == Booking.State.COMPLETED
    other.refresh_from_db()
    free.refresh_from_db()
    cancelled.refresh_from_db()
    assert other.invoice is not None and free.invoice is None and cancelled.invoice is None
    report_ok = verify()
    assert report_ok.ok, report_ok.violations


def test_running_it_twice_invoices_nothing_twice(actors: Actors, rooms: tuple[Resource, Resource]) -> None:
    book(rooms[0], actors.org_b, "2026-03-03", "10:00", "12:00", 2000)
    invoice_bookings(dt.date(2026, 3, 1), now=AFTER_MARCH)

    again = invoice_bookings(dt.date(2026, 3, 1), now=AFTER_MARCH)

    assert (again.invoices, again.bookings) == ([], 0)
    assert Invoice.objects.count() == 1


def test_a_booking_completed_after_the_month_was_invoiced_gets_an_invoice_of_its_own(
    actors: Actors, rooms: tuple[Resource, Resource]
) -> None:
    book(rooms[0], actors.org_b, "2026-03-03", "10:00", "12:00", 2000)
    invoice_bookings(dt.date(2026, 3, 1), now=AFTER_MARCH)
    book(rooms[0], actors.org_b, "2026-03-04", "10:00", "11:00", 1000)  # recorded late

    again = invoice_bookings(dt.date(2026, 3, 1), now=AFTER_MARCH)

    assert [invoice.total_incl_vat_cents for invoice in again.invoices] == [1000]
    assert sorted(Invoice.objects.values_list("source", flat=True)) == [
        f"bookings:2026-03:{actors.org_a.pk}:{actors.org_b.pk}",
        f"bookings:2026-03:{actors.org_a.pk}:{actors.org_b.pk}:2",
    ]


def test_a_month_that_has_not_ended_is_refused(actors: Actors, rooms: tuple[Resource, Resource]) -> None:
    book(rooms[0], actors.org_b, "2026-03-03", "10:00", "12:00", 2000)

    with pytest.raises(DomainError) as refused:
        invoice_bookings(dt.date(2026, 3, 1), now=at("2026-03-31", "23:00"))

    assert refused.value.field == "month"
    assert not Invoice.objects.exists()


def test_the_command_reports_and_refuses_a_bad_month(actors: Actors, rooms: tuple[Resource, Resource]) -> None:
    book(rooms[0], actors.org_b, "2020-03-03", "10:00", "12:00", 2000)
    out = StringIO()

    call_command("invoice_bookings", "--month", "2020-03", stdout=out, stderr=StringIO())

    invoice = Invoice.objects.get()
    assert f"{invoice.number}  20,00" in out.getvalue()  # the number and the total, in either language
    with pytest.raises(CommandError, match=r"^month: "):
        call_command("invoice_bookings", "--month", "March", stdout=StringIO(), stderr=StringIO())


def test_the_treasurer_invoices_a_month_from_the_web(actors: Actors, rooms: tuple[Resource, Resource]) -> None:
    book(rooms[0], actors.org_b, "2020-03-03", "10:00", "12:00", 2000)
    client = Client()
    client.force_login(actors.treasurer)

    response = client.post(reverse("premises:invoice_bookings"), {"month": "2020-03"})

    assert response.status_code == 200
    invoice = Invoice.objects.get()
    assert invoice.number in response.content.decode()
    assert client.post(reverse("premises:invoice_bookings"), {"month": "2020-03"}).status_code == 200
    assert Invoice.objects.count() == 1
