"""The hub's dashboard and the activity report on a large hub: 10,000 member organisations and a
million ledger entries, with bookings, skills exchanges, deposits, advances and decisions.

Run in the database the runner gives (`python -m bench reporting` for this one alone; the goals are
about PostgreSQL, so run it with a postgres DATABASE_URL). The rows are written in bulk, straight into
the tables (through the services this would take hours): what the services would write, with the
ledger's hash chains and running balances computed as `bench_ledger` does. Then, logged in as the
coordinator through Django's test client (no network): the dashboard, median and p95 of repeated
requests after one warm-up, and the PDF report a few times. The slowest statements of one dashboard
request and the time of each area's indicators are listed, for whoever makes them faster.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent

ORGANISATIONS = int(os.environ.get("CORDEE_BENCH_REPORTING_ORGANISATIONS", 10_000))
ENTRIES = int(os.environ.get("CORDEE_BENCH_REPORTING_ENTRIES", 1_000_000))  # two per transfer
REPEAT = 15  # dashboard requests, after one warm-up
REPORT_REPEAT = 3
CHUNK = 20_000  # transfers copied per statement
MONTHS = 24  # the history spread over the last two years
DEPOSITORS = 2_000
BORROWERS = 1_000
RESOURCES = 40
EXCHANGES = 5_000
DECISIONS = 120
VOTERS = 60  # organisations voting on each decision
GOAL_DASHBOARD_MS = 300.0
GOAL_REPORT_S = 10.0
SEED = 9
SLOWEST = 10

FAMILIES = [  # (family, weight): associations dominate, as in the Hautes-Alpes
    ("association", 70),
    ("cooperative", 10),
    ("esus_company", 8),
    ("mutual", 3),
    ("foundation", 2),
    ("local_authority", 4),
    ("other_company", 3),
]
WORDS = ["Jardins", "Atelier", "Coopérative", "Maison", "Ressourcerie", "Collectif", "Fabrique", "Tiers-lieu"]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _days_ago(today: dt.date, rng: random.Random, days: int) -> dt.date:
    return today - dt.timedelta(days=rng.randrange(days))


# --- The population ---------------------------------------------------------------------------


def _organisations(rng: random.Random, today: dt.date) -> list[int]:
    """10,000 member organisations across the communes, families, sectors and circles; about 5% left
    and 2% suspended during the two years."""
    from django.db import transaction

    from cordee.core.testing import valid_siren, valid_siret
    from cordee.lib.text import fold
    from cordee.network.models import Commune, LegalForm, Membership, Organisation, Sector, Visibility

    communes = list(Commune.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.all())
    legal_forms = list(LegalForm.objects.filter(retired=False).values_list("pk", flat=True)[:40])
    families = [family for family, weight in FAMILIES for _ in range(weight)]
    organisations = []
    for n in tqdm(range(ORGANISATIONS), desc="organisations", disable=None):
        name = f"{WORDS[n % len(WORDS)]} {n} du pays"
        siren = valid_siren(n + 1)
        organisations.append(
            Organisation(
                name=name,
                slug=f"bench-{n}",
                family=rng.choice(families),
                sector=sectors[n % len(sectors)] if sectors else None,
                legal_form_id=rng.choice(legal_forms) if legal_forms else None,
                siren=siren,
                siret=valid_siret(siren),
                commune_id=rng.choice(communes),
                employees=rng.randrange(0, 40),
                volunteers=rng.randrange(0, 200),
                listing_visibility=Visibility.PUBLIC if n % 4 else Visibility.MEMBERS,
                search_text=fold(name),
                sort_name=fold(name),
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        ids = list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
        memberships = []
        for pk in ids:
            joined = today - dt.timedelta(days=rng.randrange(6 * 365))
            roll = rng.random()
            status, left, suspended = "active", None, None
            if roll < 0.05:
                status, left = "left", min(today, joined + dt.timedelta(days=rng.randrange(1, 730)))
            elif roll < 0.07:
                status, suspended = "suspended", min(today, joined + dt.timedelta(days=rng.randrange(1, 730)))
            circle = "founding" if rng.random() < 0.03 else ("partner" if rng.random() < 0.12 else "member")
            memberships.append(
                Membership(
                    organisation_id=pk,
                    status=status,
                    circle=circle,
                    applied_on=joined - dt.timedelta(days=30),
                    joined_on=joined,
                    left_on=left,
                    suspended_on=suspended,
                )
            )
        Membership.objects.bulk_create(memberships, batch_size=1000)
    return ids


def _people() -> Any:
    from cordee.core.models import HubRole, User

    coordinator = User.objects.create_user(email="bench.coordinator@example.org", full_name="Coordination (bench)")
    HubRole.objects.create(user=coordinator, role=HubRole.Role.COORDINATOR)
    return coordinator


def _ledger(rng: random.Random, today: dt.date, ids: list[int]) -> dict[str, Any]:
    """ENTRIES / 2 transfers over two years, on the accounts the treasury's indicators read: the
    pool's bank account (512POOL), the members' deposit accounts (168<id>) and advance accounts
    (274<id>), as `cordee.treasury.books` names them. Written as `bench_ledger.cmd_load` does."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from bench.bench_ledger import _copy_rows
    from cordee.ledger.models import Account, Entry, Ledger, Transfer
    from cordee.ledger.posting import transfer_hash
    from cordee.treasury import books

    ledger = Ledger.objects.get(code="EUR")
    pool = books.pool().pk
    books.hub_account("102POOL")
    depositors = rng.sample(ids, DEPOSITORS)
    borrowers = rng.sample(ids, BORROWERS)
    Account.objects.bulk_create(
        [Account(ledger=ledger, number=f"168{pk:06d}", label="Apports en trésorerie", owner_id=pk) for pk in depositors]
        + [
            Account(ledger=ledger, number=f"274{pk:06d}", label="Avances remboursables", owner_id=pk)
            for pk in borrowers
        ],
        batch_size=1000,
    )
    deposit_accounts = list(Account.objects.filter(number__startswith="168").values_list("pk", flat=True))
    advance_accounts = list(Account.objects.filter(number__startswith="274").values_list("pk", flat=True))
    transfer_fields = list(Transfer._meta.concrete_fields)
    entry_fields = [field for field in Entry._meta.concrete_fields if not field.primary_key]
    names = ("debits_pending", "debits_posted", "credits_pending", "credits_posted", "last_hash")
    count = ENTRIES // 2
    # Value dates in order, spread over the two years (the order a ledger is written in).
    start_day = today - dt.timedelta(days=MONTHS * 30)
    dates = sorted(start_day + dt.timedelta(days=rng.randrange((today - start_day).days + 1)) for _ in range(count))
    started = time.perf_counter()
    with transaction.atomic():
        balances = {row[0]: list(row[1:]) for row in Account.objects.filter(ledger=ledger).values_list("pk", *names)}
        now = timezone.now()
        transfer = Transfer(
            ledger=ledger, kind=Transfer.Kind.POSTED, timeout=0, chain_length=1, code="bench.reporting",
            value_date=today, created_at=now,
        )  # fmt: skip
        prep = {field.attname: field for field in transfer_fields}
        varying = {
            "id", "sequence", "debit_account_id", "credit_account_id", "amount", "debit_prev_hash",
            "credit_prev_hash", "hash", "value_date", "code",
        }  # fmt: skip
        fixed = {
            name: prep[name].get_db_prep_save(getattr(transfer, name), connection)
            for name in prep
            if name not in varying
        }
        sequence = Transfer.objects.aggregate(last=Max("sequence"))["last"] or 0
        for first in tqdm(range(0, count, CHUNK), desc="ledger (transfers)", disable=None):
            transfers, entries = [], []
            for value_date in dates[first : first + CHUNK]:
                roll = rng.random()
                if roll < 0.4:  # a deposit received
                    debit, credit, code = pool, rng.choice(deposit_accounts), "treasury.deposit"
                elif roll < 0.6:  # a withdrawal paid
                    debit, credit, code = rng.choice(deposit_accounts), pool, "treasury.withdrawal"
                elif roll < 0.8:  # an advance paid out
                    debit, credit, code = rng.choice(advance_accounts), pool, "treasury.advance"
                else:  # a repayment
                    debit, credit, code = pool, rng.choice(advance_accounts), "treasury.repayment"
                sequence += 1
                transfer.id = uuid.UUID(int=rng.getrandbits(128), version=4)
                transfer.sequence, transfer.amount, transfer.value_date = (
                    sequence,
                    rng.randint(100, 2_000_000),
                    value_date,
                )
                transfer.debit_account_id, transfer.credit_account_id, transfer.code = debit, credit, code
                d, c = balances[debit], balances[credit]
                transfer.debit_prev_hash, transfer.credit_prev_hash = d[4], c[4]
                transfer.hash = d[4] = c[4] = transfer_hash(transfer)
                values = {
                    **fixed,
                    "id": prep["id"].get_db_prep_save(transfer.id, connection),
                    "sequence": sequence,
                    "debit_account_id": debit,
                    "credit_account_id": credit,
                    "amount": transfer.amount,
                    "debit_prev_hash": transfer.debit_prev_hash,
                    "credit_prev_hash": transfer.credit_prev_hash,
                    "hash": transfer.hash,
                    "value_date": prep["value_date"].get_db_prep_save(value_date, connection),
                    "code": code,
                }
                transfers.append(tuple(values[field.attname] for field in transfer_fields))
                d[1] += transfer.amount
                c[3] += transfer.amount
                for account, side in ((debit, d), (credit, c)):
                    amounts = (transfer.amount, 0) if side is d else (0, transfer.amount)
                    entries.append((account, values["id"], sequence, *amounts, side[1] - side[3]))
            _copy_rows(Transfer, transfer_fields, transfers)
            _copy_rows(Entry, entry_fields, entries)
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {qn(Account._meta.db_table)} SET {', '.join(f'{qn(n)} = %s' for n in names)} "  # noqa: S608
                f"WHERE {qn(Account._meta.pk.column)} = %s",
                [(*values, pk) for pk, values in balances.items()],
            )
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval('ledger_transfer_sequence', %s)", [sequence])
    return {"transfers": count, "entries": Entry.objects.count(), "seconds": time.perf_counter() - started}


def _treasury(rng: random.Random, today: dt.date, ids: list[int], coordinator: Any) -> dict[str, int]:
    """Deposits (confirmed, some closed), advances at every stage with their schedules, instalments
    and repayments: the rows the treasury's flows and portfolio are computed from."""
    from django.db import transaction
    from django.utils import timezone

    from cordee.treasury.models import Advance, Deposit, Instalment, Repayment, Schedule

    now = timezone.now()
    with transaction.atomic():
        deposits = []
        for n in range(DEPOSITORS):
            received = _days_ago(today, rng, MONTHS * 30)
            deposits.append(
                Deposit(
                    reference=f"APB-{n:06d}",
                    organisation_id=rng.choice(ids),
                    kind="loan" if rng.random() < 0.85 else "returnable",
                    status="closed" if rng.random() < 0.1 else "confirmed",
                    amount_cents=rng.randrange(100_000, 5_000_000),
                    notice_days=90,
                    board_minute="bench/pv.pdf",
                    attestation="bench/attestation.pdf",
                    proposed_by=coordinator,
                    proposed_at=now,
                    received_on=received,
                    closed_on=None,
                )
            )
        Deposit.objects.bulk_create(deposits, batch_size=1000)
        advances = []
        for n in range(BORROWERS):
            requested = _days_ago(today, rng, MONTHS * 30)
            status = rng.choices(
                ["requested", "refused", "approved", "disbursed", "repaid", "written_off"], [5, 5, 5, 60, 23, 2]
            )[0]
            granted = status in ("approved", "disbursed", "repaid", "written_off")
            disbursed = status in ("disbursed", "repaid", "written_off")
            amount = rng.randrange(500_000, 8_000_000, 100)
            approved_on = min(today, requested + dt.timedelta(days=rng.randrange(5, 30))) if granted else None
            disbursed_on = min(today, approved_on + dt.timedelta(days=7)) if disbursed and approved_on else None
            advances.append(
                Advance(
                    reference=f"AVB-{n:06d}",
                    organisation_id=rng.choice(ids),
                    status=status,
                    amount_requested_cents=amount,
                    purpose="Avance sur subvention",
                    source="subsidy",
                    notification="bench/notification.pdf",
                    term_months=12,
                    mode="linear",
                    requested_by=coordinator,
                    requested_at=now,
                    amount_cents=amount if granted else None,
                    rate_bps=100,
                    approved_on=approved_on,
                    disbursed_on=disbursed_on,
                    closed_on=min(today, disbursed_on + dt.timedelta(days=365))
                    if status in ("repaid", "written_off") and disbursed_on
                    else None,
                )
            )
        Advance.objects.bulk_create(advances, batch_size=1000)
        live = list(
            Advance.objects.filter(disbursed_on__isnull=False).values_list("pk", "amount_cents", "disbursed_on")
        )
        Schedule.objects.bulk_create(
            [
                Schedule(
                    advance_id=pk,
                    version=1,
                    reason="initial",
                    effective_from=disbursed_on,
                    principal_cents=amount,
                    rate_bps=100,
                    mode="linear",
                    created_by=coordinator,
                )
                for pk, amount, disbursed_on in live
            ],
            batch_size=1000,
        )
        schedules = dict(Schedule.objects.values_list("advance_id", "pk"))
        instalments, repayments = [], []
        for pk, amount, disbursed_on in live:
            share = amount // 12
            for number in range(1, 13):
                due = disbursed_on + dt.timedelta(days=30 * number)
                principal = share if number < 12 else amount - share * 11
                instalments.append(
                    Instalment(
                        schedule_id=schedules[pk],
                        number=number,
                        due_on=due,
                        principal_cents=principal,
                        interest_cents=0,
                    )
                )
                if due <= today and rng.random() < 0.93:  # a few instalments late
                    repayments.append(
                        Repayment(
                            advance_id=pk,
                            amount_cents=principal,
                            principal_cents=principal,
                            received_on=due,
                            schedule_id=schedules[pk],
                            recorded_by=coordinator,
                            recorded_at=now,
                        )
                    )
        Instalment.objects.bulk_create(instalments, batch_size=2000)
        Repayment.objects.bulk_create(repayments, batch_size=2000)
    return {
        "deposits": len(deposits),
        "advances": len(advances),
        "instalments": len(instalments),
        "repayments": len(repayments),
    }


def _premises(rng: random.Random, today: dt.date, ids: list[int]) -> dict[str, int]:
    """Rooms, desks and vehicles of the hub, booked half-days over two years (never overlapping)."""
    from django.db import transaction
    from django.utils import timezone

    from cordee.network.models import Commune
    from cordee.premises.models import Booking, Resource

    communes = list(Commune.objects.values_list("pk", flat=True)[:20])
    kinds = ["meeting_room", "office", "coworking_desk", "hall", "vehicle", "equipment"]
    zone = timezone.get_current_timezone()
    with transaction.atomic():
        Resource.objects.bulk_create(
            [
                Resource(
                    kind=kinds[n % len(kinds)],
                    name=f"Ressource {n}",
                    slug=f"bench-ressource-{n}",
                    commune_id=communes[n % len(communes)],
                    member_half_day_cents=4_000,
                )
                for n in range(RESOURCES)
            ]
        )
        bookings = []
        for resource in Resource.objects.filter(slug__startswith="bench-ressource-"):
            for day in range(MONTHS * 30):
                date = today - dt.timedelta(days=day)
                if date.weekday() >= 5:
                    continue
                for hour in (8, 14):
                    if rng.random() < 0.55:
                        starts = dt.datetime.combine(date, dt.time(hour), zone)
                        bookings.append(
                            Booking(
                                resource=resource,
                                organisation_id=rng.choice(ids),
                                starts_at=starts,
                                ends_at=starts + dt.timedelta(hours=4),
                                attendees=rng.randrange(1, 20),
                                state="completed" if date < today else "confirmed",
                                price_cents=4_000,
                            )
                        )
        Booking.objects.bulk_create(bookings, batch_size=2000)
    return {"resources": RESOURCES, "bookings": len(bookings)}


def _skills(rng: random.Random, today: dt.date, ids: list[int]) -> dict[str, int]:
    """Skills exchanges done between members: free, in euros, or in hours (with their ledger id)."""
    from django.utils import timezone

    from cordee.skills.models import Exchange

    now = timezone.now()
    exchanges = []
    for _ in range(EXCHANGES):
        giver, receiver = rng.sample(ids, 2)
        terms = rng.choice(["free", "euros", "hours"])
        exchanges.append(
            Exchange(
                giver_id=giver,
                receiver_id=receiver,
                description="Accompagnement comptable",
                terms=terms,
                minutes=rng.randrange(1, 20) * 60 if terms == "hours" else None,
                price_cents=rng.randrange(5_000, 200_000) if terms == "euros" else None,
                state="done",
                proposed_by_organisation_id=giver,
                proposed_at=now,
                done_on=_days_ago(today, rng, MONTHS * 30),
                transfer_id=uuid.uuid4() if terms == "hours" else None,
            )
        )
    Exchange.objects.bulk_create(exchanges, batch_size=2000)
    return {"exchanges": len(exchanges)}


def _governance(rng: random.Random, today: dt.date, ids: list[int]) -> dict[str, int]:
    """The general assembly's decisions over two years, each voted by some member organisations."""
    from django.db import transaction
    from django.utils import timezone

    from cordee.governance.models import Body, Decision, Vote

    zone = timezone.get_current_timezone()
    with transaction.atomic():
        body = Body.objects.create(kind="assembly", name="Assemblée générale (bench)", slug="bench-ag")
        decisions = []
        for n in range(DECISIONS):
            opened = dt.datetime.combine(_days_ago(today, rng, MONTHS * 30), dt.time(18), zone)
            voters = rng.randrange(VOTERS // 2, VOTERS)
            decisions.append(
                Decision(
                    body=body,
                    kind="proposal",
                    category="general",
                    title=f"Résolution {n}",
                    status="closed",
                    opens_at=opened,
                    closes_at=opened + dt.timedelta(days=7),
                    closed_at=opened + dt.timedelta(days=7),
                    outcome="approved",
                    entitled_count=VOTERS * 2,
                    votes_for=voters,
                    register_number=f"AG-B-{n:04d}",
                )
            )
        Decision.objects.bulk_create(decisions)
        votes = []
        for decision in Decision.objects.filter(body=body):
            for organisation in rng.sample(ids, decision.votes_for):
                votes.append(
                    Vote(decision=decision, organisation_id=organisation, choice="for", cast_at=decision.opens_at)
                )
        Vote.objects.bulk_create(votes, batch_size=2000)
    return {"decisions": DECISIONS, "votes": len(votes)}


def _populate() -> tuple[Any, dict[str, Any]]:
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(SEED)
    today = timezone.localdate()
    counts: dict[str, Any] = {}
    started = time.perf_counter()
    ids = _organisations(rng, today)
    counts["organisations"] = len(ids)
    coordinator = _people()
    _log("   ledger…")
    counts["ledger"] = _ledger(rng, today, ids)
    _log("   treasury, premises, skills, governance…")
    counts.update(_treasury(rng, today, ids, coordinator))
    counts.update(_premises(rng, today, ids))
    counts.update(_skills(rng, today, ids))
    counts.update(_governance(rng, today, ids))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = time.perf_counter() - started
    return coordinator, counts


# --- The measurements ---------------------------------------------------------------------------


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return timings


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _get(client: Any, url: str, content_type: str | None = None) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if content_type:
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    return response


def _slowest(call: Callable[[], Any]) -> tuple[int, float, list[tuple[float, str]]]:
    """The statements of one call: how many, their total time, the slowest of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    timed = [(float(query["time"]), query["sql"]) for query in captured.captured_queries]
    timed.sort(key=lambda item: item[0], reverse=True)
    return len(timed), sum(seconds for seconds, _sql in timed), timed[:SLOWEST]


def _short(sql: str, width: int = 400) -> str:
    """The statement on one line, its column list elided (the FROM and WHERE say what it costs)."""
    text = " ".join(sql.split())
    select, sep, rest = text.partition(" FROM ")
    if sep and len(select) > 40:
        text = f"{select[:30]}… FROM {rest}"
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def _areas(period: Any) -> list[tuple[str, float | None, int]]:
    """Each area's indicators for the whole hub: time (median of 3) and statements; None for an area
    whose indicators are not written yet (its builder raises NotImplementedError)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cordee.reporting.indicators import AREAS

    rows: list[tuple[str, float | None, int]] = []
    for key, build in AREAS.items():
        try:
            build(period)
        except NotImplementedError:
            rows.append((key, None, 0))
            continue
        timings = _timed(lambda build=build: build(period), 3)  # type: ignore[misc]
        with CaptureQueriesContext(connection) as captured:
            build(period)
        rows.append((key, statistics.median(timings), len(captured)))
    return rows


def _measure(coordinator: Any) -> dict[str, Any]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from cordee.reporting.indicators import sections
    from cordee.reporting.periods import Period

    today = timezone.localdate()
    period = Period.year_to_date(today)
    twelve_months = Period(today - dt.timedelta(days=364), today)
    query = f"?du={twelve_months.start.isoformat()}&au={twelve_months.end.isoformat()}"
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    figures: dict[str, Any] = {"period": period, "twelve_months": twelve_months}
    try:
        dashboard: str | None = reverse("reporting:dashboard")
    except NoReverseMatch:
        dashboard = None
    if dashboard is not None:
        figures["measured"] = "page"
        for name, url in (("dashboard", dashboard), ("dashboard_12", dashboard + query)):
            _get(client, url)  # warm-up
            figures[name] = _timed(lambda url=url: _get(client, url), REPEAT)  # type: ignore[misc]
            figures[f"{name}_url"] = url
        figures["queries"] = _slowest(lambda: _get(client, dashboard))
    figures["areas"] = _areas(period)
    if dashboard is None:
        figures["measured"] = "sections"
        written = [key for key, seconds, _n_queries in figures["areas"] if seconds is not None]
        figures["dashboard"] = _timed(lambda: sections(period, areas=written), REPEAT)
        figures["queries"] = _slowest(lambda: sections(period, areas=written))
    try:
        pdf: str | None = reverse("reporting:report_pdf") + query
    except NoReverseMatch:
        pdf = None
    if pdf is not None:
        figures["report"] = _timed(lambda: _get(client, pdf, "application/pdf"), REPORT_REPEAT)
        figures["report_size"] = len(_get(client, pdf, "application/pdf").content)
        figures["report_url"] = pdf
    return figures


# --- The report ---------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
            settings = []
            for name in ("shared_buffers", "work_mem", "fsync", "synchronous_commit"):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name}={cursor.fetchone()[0]}")
        return f"{version} ({', '.join(settings)})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _report(counts: dict[str, Any], figures: dict[str, Any], load: tuple[float, ...]) -> str:
    from bench.__main__ import _machine

    ledger = counts["ledger"]
    lines = [
        "## Reporting: the hub's dashboard and the activity report",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}; {_database()}. "
        f"Load average at the start: {', '.join(f'{x:.1f}' for x in load)}.",
        "",
        f"A scratch database migrated by `cordee migrate`, then filled in bulk in {counts['seconds']:.0f} s: "
        f"{_n(counts['organisations'])} member organisations (communes, families, circles drawn at random; 5% "
        f"departed, 2% suspended), {_n(ledger['entries'])} ledger entries ({_n(ledger['transfers'])} transfers over "
        f"{MONTHS} months on the pool's bank account and {DEPOSITORS} deposit and {BORROWERS} advance accounts, hash "
        f"chains and running balances as the service writes them, {ledger['seconds']:.0f} s), {_n(counts['deposits'])} "
        f"deposits, {_n(counts['advances'])} advances with {_n(counts['instalments'])} instalments and "
        f"{_n(counts['repayments'])} repayments, {_n(counts['bookings'])} bookings of {counts['resources']} resources, "
        f"{_n(counts['exchanges'])} skills exchanges, {counts['decisions']} decisions with {_n(counts['votes'])} "
        "votes. Requests go through Django's test client (no network), logged in as the coordinator.",
        "",
    ]
    dashboard = figures["dashboard"]
    if figures["measured"] == "page":
        what = f"the dashboard page (`{figures['dashboard_url']}`, the current year to date)"
    else:
        what = "`cordee.reporting.indicators.sections(period)` (the dashboard page did not exist yet)"
    median_ms = statistics.median(dashboard) * 1000
    rows = [
        "| figure | median | p95 | goal | |",
        "|---|---|---|---|---|",
        f"| {what}, {REPEAT} requests after a warm-up | {median_ms:.0f} ms | {_p95(dashboard) * 1000:.0f} ms "
        f"| < {GOAL_DASHBOARD_MS:.0f} ms | {_met(median_ms < GOAL_DASHBOARD_MS)} |",
    ]
    if "dashboard_12" in figures:
        twelve = figures["dashboard_12"]
        rows.append(
            f"| the same over the last 12 months (`{figures['dashboard_12_url']}`) "
            f"| {statistics.median(twelve) * 1000:.0f} ms | {_p95(twelve) * 1000:.0f} ms | | |"
        )
    if "report" in figures:
        report = figures["report"]
        seconds = statistics.median(report)
        rows.append(
            f"| the activity report as PDF, last 12 months (`{figures['report_url']}`), {REPORT_REPEAT} requests, "
            f"{figures['report_size'] / 1024:.0f} KiB | {seconds:.2f} s | {max(report):.2f} s (slowest) "
            f"| < {GOAL_REPORT_S:.0f} s | {_met(seconds < GOAL_REPORT_S)} |"
        )
    else:
        rows.append("| the activity report as PDF | not measured: no URL `reporting:report_pdf` yet | | | |")
    lines += [*rows, ""]
    unwritten = [key for key, seconds, _n_queries in figures["areas"] if seconds is None]
    if unwritten:
        lines += [
            f"The indicators of {', '.join(unwritten)} were not written yet when this ran: the page and the report "
            "above left those areas out, so their figures will grow once they are.",
            "",
        ]
    areas = [row for row in figures["areas"] if row[1] is not None]
    total = sum(seconds for _key, seconds, _n_queries in areas) or 1
    lines += [
        "Each area's indicators for the whole hub over the current year (`indicators.<area>.section(period)`, "
        "median of 3 calls):",
        "",
        "| area | time | share | statements |",
        "|---|---|---|---|",
        *(
            f"| {key} | {seconds * 1000:.1f} ms | {seconds / total:.0%} | {n_queries} |"
            for key, seconds, n_queries in sorted(areas, key=lambda row: row[1], reverse=True)
        ),
        *(f"| {key} | not written yet: not measured | | |" for key in unwritten),
        "",
    ]
    count, spent, slowest = figures["queries"]
    lines += [
        f"The slowest statements of one dashboard request ({count} statements, {spent * 1000:.0f} ms in the database "
        "as Django times them):",
        "",
        "| time | statement |",
        "|---|---|",
        *(f"| {seconds * 1000:.1f} ms | `{_short(sql)}` |" for seconds, sql in slowest),
    ]
    return "\n".join(lines) + "\n"


def run() -> str:
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its layout steps, page by page
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    load = os.getloadavg()
    coordinator, counts = _populate()
    _log(f"   filled in {counts['seconds']:.0f} s; measuring…")
    figures = _measure(coordinator)
    return _report(counts, figures, load)
