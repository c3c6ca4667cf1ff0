"""Multilateral clearing: the solver on trade-shaped networks, two independent solvers on the same
instances, and a run computed and executed end to end on PostgreSQL (and SQLite).

Each measurement runs in a process of its own (`python -m bench.bench_clearing <command>`), so that
the peak memory of a solve is the solve's and a cross-check that runs too long can be stopped. The
end-to-end runs use scratch databases of their own, like the ledger's figures: on the PostgreSQL
server a postgres DATABASE_URL names, else a throwaway one (bench/_pg.py), and on a SQLite file.

`python -m bench.bench_clearing` alone runs this benchmark only and rewrites its section of
docs/benchmarks.md. CORDEE_BENCH_CLEARING_SCALE=0.1 divides every size by ten, for a quick try: the
section then says so, and such figures are not the ones to keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("CORDEE_BENCH_CLEARING_SCALE", "1"))

# Trade networks: each member's activity, as a buyer and as a seller, is drawn by preferential
# attachment (the static scale-free model of Goh, Kahng and Kim, 2001: member i weighs (i + 1)^(-1/(gamma - 1))
# and each invoice picks its debtor and its creditor with probabilities proportional to the weights,
# which gives the degree distribution k^-gamma of a Barabási-Albert graph for gamma = 3). The amounts are
# log-normal: median 300 €, sigma 1.5 (a mean near 900 €, and a few invoices of tens of thousands).
GAMMA = 3.0
MEDIAN_CENTS = 30_000
SIGMA = 1.5
MAX_CENTS = 10**8  # one invoice of a million euros at most


@dataclass(frozen=True)
class Instance:
    name: str
    members: int
    invoices: int
    seed: int
    repeat: int  # solves, the median is reported
    crosscheck: bool  # networkx and HiGHS on it too
    networkx: bool
    label: str = ""

    def scaled(self) -> Instance:
        if SCALE == 1:
            return self
        return Instance(
            self.name,
            max(10, round(self.members * SCALE)),
            max(100, round(self.invoices * SCALE)),
            self.seed,
            self.repeat,
            self.crosscheck,
            self.networkx,
            self.label,
        )


INSTANCES = [
    Instance("10k", 1_000, 10_000, 1, 3, True, True),
    Instance("100k", 10_000, 100_000, 2, 3, True, True),
    Instance("sardex", 3_200, 138_000, 3, 3, True, False, "Sardex-shaped"),
    Instance("1m", 100_000, 1_000_000, 4, 1, False, False),
]
E2E_MEMBERS, E2E_INVOICES, E2E_SEED = 10_000, 100_000, 2  # the "100k" instance

# networkx is stopped after this many seconds (the issue expects it ~500 times slower than OR-tools; on
# the 100 000-invoice instance it needs about 3 minutes here): the ratio is then a lower bound.
NETWORKX_TIMEOUT = float(os.environ.get("CORDEE_BENCH_CLEARING_NETWORKX_TIMEOUT", "120"))
GOAL_SOLVE_100K = 1.0
GOAL_SOLVE_1M = 15.0
GOAL_MEMORY_1M = 2 * 1024**3
GOAL_E2E = 10.0

E2E_DATABASE = "cordee_bench_clearing"
COORDINATOR = "coordinator@bench.example"

_STARTED = float(os.environ.get("CORDEE_BENCH_STARTED", time.time()))


def _log(message: str) -> None:
    print(f"[{time.time() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload), flush=True)


def _rss() -> int:
    """The process's resident memory now, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _peak_rss() -> int:
    """The process's peak resident memory so far, in bytes (Linux gives KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# =========================================================================================
# The networks.
# =========================================================================================


def network(members: int, invoices: int, seed: int) -> tuple[Any, Any, Any]:
    """(debtors, creditors, amounts in cents) of `invoices` invoices among `members` members,
    numbered 0 … members - 1, member 0 the busiest. numpy, no networkx: a million invoices in a second."""
    import numpy as np

    rng = np.random.default_rng(seed)
    weights = (np.arange(members) + 1.0) ** (-1 / (GAMMA - 1))
    weights /= weights.sum()
    debtors = rng.choice(members, size=invoices, p=weights)
    creditors = rng.choice(members, size=invoices, p=weights)
    while True:  # nobody invoices itself: draw the creditor again
        same = debtors == creditors
        count = int(same.sum())
        if not count:
            break
        creditors[same] = rng.choice(members, size=count, p=weights)
    amounts = np.ceil(rng.lognormal(np.log(MEDIAN_CENTS), SIGMA, size=invoices)).astype(np.int64)
    amounts = np.clip(amounts, 1, MAX_CENTS)
    return debtors.astype(np.int64), creditors.astype(np.int64), amounts


def aggregated(members: int, debtors: Any, creditors: Any, amounts: Any) -> tuple[Any, Any, Any]:
    """The invoices summed per (debtor, creditor), as the app does before solving: three arrays."""
    import numpy as np

    keys = debtors * members + creditors
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sums = np.add.reduceat(amounts[order], starts)
    unique = keys[starts]
    return unique // members, unique % members, sums


def obligations(instance: Instance) -> tuple[dict[tuple[int, int], int], dict[str, Any]]:
    """The instance's obligations mapping, as `clearing.clear` takes it, and how it was made."""
    start = time.perf_counter()
    debtors, creditors, amounts = network(instance.members, instance.invoices, instance.seed)
    edge_debtors, edge_creditors, sums = aggregated(instance.members, debtors, creditors, amounts)
    mapping = dict(zip(zip(edge_debtors.tolist(), edge_creditors.tolist(), strict=True), sums.tolist(), strict=True))
    counts = dict.fromkeys(range(instance.members), 0)
    for member in debtors.tolist():
        counts[member] += 1
    for member in creditors.tolist():
        counts[member] += 1
    busiest = sorted(counts.values(), reverse=True)
    facts = {
        "members": instance.members,
        "invoices": instance.invoices,
        "edges": len(mapping),
        "parties": len({party for edge in mapping for party in edge}),
        "debt_cents": int(sums.sum()),
        "largest_invoice_cents": int(amounts.max()),
        "top_share": sum(busiest[: max(1, instance.members // 100)]) / (2 * instance.invoices),
        "max_degree": busiest[0],
        "median_degree": busiest[len(busiest) // 2],
        "generate_s": time.perf_counter() - start,
    }
    return mapping, facts


def _instance(name: str) -> Instance:
    for instance in INSTANCES:
        if instance.name == name:
            return instance.scaled()
    raise SystemExit(f"no instance {name!r}")


# =========================================================================================
# Workers: each command runs in its own process.
# =========================================================================================


class Timers:
    """Where the time goes: in some functions, by wrapping them (the wrappers only time, and only the
    outermost wrapped call counts), and in some SQL statements run outside them (Django's execute
    wrapper, `kinds` sorting them by a piece of their text)."""

    def __init__(self, kinds: tuple[tuple[str, str], ...] = ()) -> None:
        self.spent: dict[str, float] = {}
        self.kinds = kinds
        self.statements = 0
        self._inside = False

    def _add(self, label: str, seconds: float) -> None:
        self.spent[label] = self.spent.get(label, 0.0) + seconds

    def wrap(self, owner: Any, name: str, label: str | None = None) -> None:
        original = getattr(owner, name)
        label = label or name

        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._inside:
                return original(*args, **kwargs)
            self._inside = True
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self._add(label, time.perf_counter() - start)
                self._inside = False

        setattr(owner, name, timed)

    def statement(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements += 1
        label = next((label for piece, label in self.kinds if piece in sql), None)
        if self._inside or label is None:
            return execute(sql, params, many, context)
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._add(label, time.perf_counter() - start)

    def take(self) -> tuple[dict[str, float], int]:
        spent, statements = self.spent, self.statements
        self.spent, self.statements = {}, 0
        return spent, statements


def cmd_solve(args: argparse.Namespace) -> None:
    """Solve the instance with `cordee.lib.clearing.clear` `repeat` times: timings, phases, memory."""
    from cordee.lib import clearing

    instance = _instance(args.instance)
    mapping, facts = obligations(instance)
    rss_before = _rss()
    timers = Timers()
    for name, label in (
        ("_validated", "check the input"),
        ("_numbered", "number the members"),
        ("_solve", "OR-tools min-cost flow (solve)"),
        ("_check_clearing", "check the result (bounds, conservation, no cycle left)"),
    ):
        timers.wrap(clearing, name, label)
    timings, phases = [], []
    result = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = clearing.clear(mapping)
        timings.append(time.perf_counter() - start)
        phases.append(timers.take()[0])
    assert result is not None
    median = statistics.median(timings)
    chosen = phases[timings.index(median)]  # an odd number of runs: the median is one of them
    chosen["build the arcs, read the flows (Python ↔ OR-tools)"] = median - sum(chosen.values())
    _emit(
        {
            **facts,
            "timings": timings,
            "solve_s": median,
            "phases": chosen,
            "cleared_cents": result.total_cents,
            "cleared_edges": len(result.cleared),
            "rss_before": rss_before,
            "peak_rss": _peak_rss(),
        }
    )


def cmd_networkx(args: argparse.Namespace) -> None:
    """The same instance as a min-cost circulation for networkx's network simplex: demand 0
    everywhere, capacity the amount open, weight -1."""
    import networkx as nx

    instance = _instance(args.instance)
    mapping, facts = obligations(instance)
    start = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_edges_from(
        (debtor, creditor, {"capacity": amount, "weight": -1}) for (debtor, creditor), amount in mapping.items()
    )
    built = time.perf_counter()
    cost, flows = nx.network_simplex(graph)
    solved = time.perf_counter()
    cleared = {(u, v): amount for u, targets in flows.items() for v, amount in targets.items() if amount}
    _emit(
        {
            "edges": facts["edges"],
            "seconds": solved - start,
            "build_s": built - start,
            "optimum_cents": -cost,
            "valid": _valid(mapping, cleared, -cost),
        }
    )


def cmd_highs(args: argparse.Namespace) -> None:
    """The same instance as a linear programme for HiGHS: maximise the sum of x_e subject to
    conservation at every member and 0 <= x_e <= the amount open on e."""
    import highspy
    import numpy as np

    instance = _instance(args.instance)
    mapping, facts = obligations(instance)
    start = time.perf_counter()
    members = sorted({party for edge in mapping for party in edge})
    row = {member: index for index, member in enumerate(members)}
    edges = list(mapping)
    count = len(edges)
    lp = highspy.HighsLp()
    lp.num_col_ = count
    lp.num_row_ = len(members)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.ones(count)
    lp.col_lower_ = np.zeros(count)
    lp.col_upper_ = np.array([mapping[edge] for edge in edges], dtype=np.float64)
    lp.row_lower_ = np.zeros(len(members))
    lp.row_upper_ = np.zeros(len(members))
    # Column e: -1 at its debtor's row (pays out), +1 at its creditor's (receives).
    index = np.empty(2 * count, dtype=np.int32)
    index[0::2] = [row[debtor] for debtor, _ in edges]
    index[1::2] = [row[creditor] for _, creditor in edges]
    value = np.empty(2 * count)
    value[0::2], value[1::2] = -1.0, 1.0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * count + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    # Its presolve spends 100 s on the 100 000-invoice instance, which the dual simplex then solves in
    # one second: this network LP gains nothing from presolving.
    highs.setOptionValue("presolve", "off")
    highs.passModel(lp)
    built = time.perf_counter()
    highs.run()
    solved = time.perf_counter()
    status = highs.modelStatusToString(highs.getModelStatus())
    objective = highs.getInfo().objective_function_value
    values = highs.getSolution().col_value
    # The constraint matrix is a network matrix (totally unimodular): the simplex's optimal vertex
    # is in whole cents, up to the floating point it computes in; rounded, it must still be valid.
    rounded = [round(x) for x in values]
    drift = max((abs(x - r) for x, r in zip(values, rounded, strict=True)), default=0.0)
    cleared = {edge: amount for edge, amount in zip(edges, rounded, strict=True) if amount}
    _emit(
        {
            "edges": facts["edges"],
            "seconds": solved - start,
            "build_s": built - start,
            "status": status,
            "objective": objective,
            "optimum_cents": sum(rounded),
            "drift": drift,
            "valid": _valid(mapping, cleared, sum(rounded)),
        }
    )


def _valid(mapping: dict[tuple[int, int], int], cleared: dict[tuple[int, int], int], total: int) -> bool:
    """Within the bounds, conserved at every member, adding up to `total`."""
    balance: dict[int, int] = {}
    for (debtor, creditor), amount in cleared.items():
        if not 0 <= amount <= mapping[debtor, creditor]:
            return False
        balance[debtor] = balance.get(debtor, 0) - amount
        balance[creditor] = balance.get(creditor, 0) + amount
    return not any(balance.values()) and sum(cleared.values()) == total


# --- end to end -------------------------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()


def _load(members: int, invoices: int, seed: int) -> float:
    """Members, their consents, their ledger accounts and their issued invoices, in bulk.

    Issuing 100 000 invoices through the service would take longer than the benchmark may, so the
    rows it would write are written directly: organisations with an active membership, each with
    its consent to set-off signed a year ago; one issued invoice per generated invoice, numbered
    F-<year>-<n> in its issuer's sequence in the order of the issue dates (spread over the last 90
    days, due 30 days later), its totals in cents at 0 % VAT, its parties' details; each issuer's
    counter at its last number; and each party's 411 and 401 accounts, which the issue opens. Member
    0, the busiest, is the hub (NULL issuer or recipient). Not written: the invoices' lines and the
    issue's ledger postings, which a clearing run does not read (the accounts have no limits, so
    the set-off's debits on the 401 accounts pass without them).
    """
    import datetime as dt

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from cordee.clearing.models import AGREEMENT_VERSION, Consent
    from cordee.core.models import HubRole, User
    from cordee.core.testing import valid_siren, valid_siret
    from cordee.invoicing.models import Invoice, InvoiceCounter
    from cordee.invoicing.services import format_number
    from cordee.ledger.models import Account, Ledger
    from cordee.network.models import Commune, Membership, Organisation

    start = time.perf_counter()
    debtors, creditors, amounts = network(members, invoices, seed)
    today = timezone.localdate()
    rng_days = [
        (int(d) * 7 + int(c) * 13 + n * 31) % 90 for n, (d, c) in enumerate(zip(debtors, creditors, strict=True))
    ]
    with transaction.atomic():
        coordinator = User.objects.create_user(email=COORDINATOR, full_name="Coordination", password=None)
        HubRole.objects.create(user=coordinator, role=HubRole.Role.COORDINATOR)
        commune = Commune.objects.order_by("pk").first()
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Structure {n}",
                    slug=f"clearing-{n}",
                    family="association" if n % 3 else "cooperative",
                    siren=(siren := valid_siren(n + 1)),
                    siret=valid_siret(siren),
                    commune=commune,
                )
                for n in range(1, members)
            ],
            batch_size=2_000,
        )
        ids = [None, *(organisation.pk for organisation in organisations)]  # member 0 is the hub
        Membership.objects.bulk_create(
            [
                Membership(organisation_id=pk, status="active", applied_on="2025-01-01", joined_on="2025-01-01")
                for pk in ids[1:]
            ],
            batch_size=2_000,
        )
        Consent.objects.bulk_create(
            [
                Consent(
                    organisation_id=pk,
                    agreement_version=AGREEMENT_VERSION,
                    signed_on=today - dt.timedelta(days=365),
                    signed_by=coordinator,
                    signatory="Présidence",
                )
                for pk in ids[1:]
            ],
            batch_size=2_000,
        )
        ledger = Ledger.objects.get(code="EUR")
        accounts = []
        for member, pk in enumerate(ids):
            suffix, name = ("HUB", settings.HUB_NAME) if pk is None else (f"{pk:06d}", f"Structure {member}")
            accounts += [
                Account(ledger=ledger, number=f"411{suffix}", label=f"Créances internes — {name}", owner_id=pk),
                Account(ledger=ledger, number=f"401{suffix}", label=f"Dettes internes — {name}", owner_id=pk),
            ]
        Account.objects.bulk_create(accounts, batch_size=2_000)
        names = {pk: (settings.HUB_NAME if pk is None else f"Structure {member}") for member, pk in enumerate(ids)}
        order = sorted(range(invoices), key=lambda n: (int(creditors[n]), -rng_days[n], n))
        numbers: dict[int | None, int] = {}
        last_dates: dict[int | None, dt.date] = {}
        rows = []
        for n in order:
            issuer, recipient = ids[int(creditors[n])], ids[int(debtors[n])]
            issued = today - dt.timedelta(days=rng_days[n])
            numbers[issuer] = sequence = numbers.get(issuer, 0) + 1
            last_dates[issuer] = issued
            amount = int(amounts[n])
            rows.append(
                Invoice(
                    kind=Invoice.Kind.INVOICE,
                    status=Invoice.Status.ISSUED,
                    issuer_id=issuer,
                    recipient_id=recipient,
                    sequence_number=sequence,
                    number=format_number(Invoice.Kind.INVOICE, issued, sequence),
                    issue_date=issued,
                    due_date=issued + dt.timedelta(days=30),
                    issuer_details={"name": names[issuer]},
                    recipient_details={"name": names[recipient]},
                    total_excl_vat_cents=amount,
                    vat_cents=0,
                    total_incl_vat_cents=amount,
                )
            )
        Invoice.objects.bulk_create(rows, batch_size=5_000)
        InvoiceCounter.objects.bulk_create(
            [
                InvoiceCounter(issuer_id=issuer, last_number=last, last_issue_date=last_dates[issuer])
                for issuer, last in numbers.items()
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


def cmd_e2e(args: argparse.Namespace) -> None:
    """Load (unless told the database is loaded already), then time `run_compute` and `run_execute`
    as the coordinator, e-mail silenced, and check what the run did."""
    _django()
    from django.db import connection

    from cordee.clearing import services
    from cordee.clearing.models import Allocation, Position, Run
    from cordee.core.mail import silenced
    from cordee.core.models import User
    from cordee.invoicing import books
    from cordee.invoicing.models import Invoice, Settlement
    from cordee.ledger.models import Account
    from cordee.lib import clearing

    figures: dict[str, Any] = {"vendor": connection.vendor, "load_average": os.getloadavg()}
    if args.loaded:
        figures["load_s"] = 0.0
    else:
        figures["load_s"] = _load(args.members, args.invoices, args.seed)
        _log(f"   loaded in {figures['load_s']:.1f} s")
    coordinator = User.objects.get(email=COORDINATOR)
    timers = Timers(
        kinds=(
            ("FOR UPDATE", "lock the invoices (SELECT … FOR UPDATE)"),
            ('UPDATE "invoicing_invoice"', "mark the invoices paid (UPDATE, through the trigger)"),
        )
    )
    timers.wrap(services, "_read", "read the open invoices (SQL and rows)")
    timers.wrap(services, "obligations_of", "aggregate per (debtor, creditor)")
    timers.wrap(clearing, "clear", "solve (cordee.lib.clearing.clear)")
    timers.wrap(services, "allocate", "allocate to the invoices, oldest due first")
    timers.wrap(services, "_fingerprint", "fingerprint the invoices read")
    timers.wrap(Allocation.objects, "bulk_create", "store the allocations (bulk_create)")
    timers.wrap(Position.objects, "bulk_create", "store the positions (bulk_create)")
    timers.wrap(services, "stale_reason", "stale check (reads the open invoices again)")
    timers.wrap(Settlement.objects, "bulk_create", "record the settlements (bulk_create)")
    timers.wrap(services, "transfers_create_nested", "post the ledger transfers")
    timers.wrap(books, "party_accounts", "find the parties' accounts one by one (books.party_accounts)")
    if hasattr(services, "_party_accounts"):
        timers.wrap(services, "_party_accounts", "find the parties' accounts")
    connection.ensure_connection()
    timers.wrap(connection, "_commit", "commit (deferred foreign-key checks)")
    with silenced(), connection.execute_wrapper(timers.statement):
        start = time.perf_counter()
        run = services.run_compute(actor=coordinator)
        figures["compute_s"] = time.perf_counter() - start
        figures["compute_phases"], figures["compute_statements"] = timers.take()
        _log(f"   run_compute: {figures['compute_s']:.2f} s")
        start = time.perf_counter()
        run = services.run_execute(actor=coordinator, run=run)
        figures["execute_s"] = time.perf_counter() - start
        figures["execute_phases"], figures["execute_statements"] = timers.take()
        _log(f"   run_execute: {figures['execute_s']:.2f} s")
    suspense = Account.objects.get(number=services.SUSPENSE_ACCOUNT)
    figures.update(
        {
            "status": run.status,
            "invoice_count": run.invoice_count,
            "party_count": run.party_count,
            "debt_cents": run.debt_cents,
            "cleared_cents": run.cleared_cents,
            "cleared_invoice_count": run.cleared_invoice_count,
            "solve_ms": run.solve_ms,
            "paid": Invoice.objects.filter(status=Invoice.Status.PAID).count(),
            "settlements": Settlement.objects.filter(reference=f"clearing:{run.pk}").count(),
            "transfers": 2 * run.positions.filter(cleared_cents__gt=0).count(),
            "suspense_zero": suspense.debits_posted == suspense.credits_posted == run.cleared_cents,
            "executed": run.status == Run.Status.EXECUTED,
        }
    )
    _emit(figures)


def _worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_clearing")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func in (("solve", cmd_solve), ("networkx", cmd_networkx), ("highs", cmd_highs)):
        command = commands.add_parser(name)
        command.add_argument("instance")
        command.add_argument("--repeat", type=int, default=1)
        command.set_defaults(func=func)
    e2e = commands.add_parser("e2e")
    e2e.add_argument("--members", type=int, default=E2E_MEMBERS)
    e2e.add_argument("--invoices", type=int, default=E2E_INVOICES)
    e2e.add_argument("--seed", type=int, default=E2E_SEED)
    e2e.add_argument("--loaded", action="store_true", help="the database holds the invoices already")
    e2e.set_defaults(func=cmd_e2e)
    args = parser.parse_args(argv)
    args.func(args)


# =========================================================================================
# The parent: the workers, the scratch databases, the report.
# =========================================================================================


def _env(url: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cordee.settings",
        "CORDEE_BENCH_STARTED": str(_STARTED),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }
    if url is not None:
        env["DATABASE_URL"] = url
    return env


def _worker(*args: str, url: str | None = None, timeout: float | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_clearing", *args],
        env=_env(url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        timeout=timeout,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _solvers() -> dict[str, Any]:
    results: dict[str, Any] = {}
    for instance in INSTANCES:
        instance = instance.scaled()
        _log(f"-- {instance.name}: {instance.invoices:,} invoices among {instance.members:,} members")
        figures = _worker("solve", instance.name, "--repeat", str(instance.repeat))
        _log(f"   OR-tools: {figures['solve_s']:.2f} s ({figures['edges']:,} edges)")
        if instance.crosscheck:
            figures["highs"] = _worker("highs", instance.name)
            _log(f"   HiGHS: {figures['highs']['seconds']:.2f} s")
        if instance.networkx:
            try:
                figures["networkx"] = _worker("networkx", instance.name, timeout=NETWORKX_TIMEOUT)
                _log(f"   networkx: {figures['networkx']['seconds']:.2f} s")
            except subprocess.TimeoutExpired:
                figures["networkx"] = {"timeout": NETWORKX_TIMEOUT}
                _log(f"   networkx: stopped after {NETWORKX_TIMEOUT} s")
        results[instance.name] = figures
    return results


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "cordee", "migrate", "--no-input", "-v", "0"], env=_env(url), cwd=ROOT, check=True
    )


def _e2e_args() -> list[str]:
    return [
        "e2e",
        "--members",
        str(max(10, round(E2E_MEMBERS * SCALE))),
        "--invoices",
        str(max(100, round(E2E_INVOICES * SCALE))),
    ]


def _e2e_postgres() -> dict[str, Any] | str:
    from bench import _pg

    given = os.environ.get("DATABASE_URL")
    if not _pg.is_postgres(given) and _pg.bin_dir() is None:
        return "PostgreSQL is not installed here (no pg_ctl) and DATABASE_URL names no PostgreSQL server: skipped."
    with _pg.Server(given) as server:
        url = server.create_database(E2E_DATABASE)
        _log("-- end to end, PostgreSQL: migrate, load, compute, execute")
        _migrate(url)
        figures = _worker(*_e2e_args(), url=url)
        figures["settings"] = server.settings()
        figures["owned"] = server.owned
        return figures


def _e2e_sqlite() -> dict[str, Any]:
    database = ROOT / "var" / "bench" / "clearing.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    remove()
    try:
        _log("-- end to end, SQLite: migrate, load, compute, execute")
        url = f"sqlite:///{database}"
        _migrate(url)
        return _worker(*_e2e_args(), url=url)
    finally:
        remove()


# --- the report ---------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _mib(size: float) -> str:
    return f"{size / 1024**2:,.0f} MiB".replace(",", " ")


def _title(instance: Instance) -> str:
    title = f"{_n(instance.invoices)} invoices, {_n(instance.members)} members"
    return f"{instance.label}: {title}" if instance.label else title


def _crosscheck_cell(figures: dict[str, Any], name: str) -> str:
    other = figures.get(name)
    if other is None:
        return "not run"
    if "timeout" in other:
        return f"stopped after {other['timeout']:g} s (> {_n(other['timeout'] / figures['solve_s'])}× OR-tools)"
    same = other["optimum_cents"] == figures["cleared_cents"] and other["valid"]
    verdict = "same optimum to the cent" if same else f"**differs**: {_n(other['optimum_cents'])} cents"
    return f"{_s(other['seconds'])}, {_n(other['seconds'] / figures['solve_s'])}× OR-tools; {verdict}"


def _solver_lines(results: dict[str, Any]) -> list[str]:
    lines = [
        "### The solver alone",
        "",
        "Generated networks shaped like trade: each member's activity as buyer and as seller follows "
        "preferential attachment (the static scale-free model of Goh, Kahng and Kim: member *i* weighs "
        f"(*i* + 1)^(-1/(gamma - 1)), gamma = {GAMMA:g}, the degree exponent of a Barabási–Albert graph; "
        "each invoice draws its debtor and its creditor by weight, never the same), amounts log-normal in "
        f"cents (median {MEDIAN_CENTS / 100:.0f} €, sigma {SIGMA}, at most {_n(MAX_CENTS // 100)} €), numpy "
        "only (seeded: the same instances every run). The Sardex-shaped one has the size of the Sardex "
        "network studied by Fleischman, Dini and Littera (2020), drawn the same way. As the app does, the "
        "invoices are summed per (debtor, creditor) before solving: *edges* counts those pairs. The time is "
        "`cordee.lib.clearing.clear(obligations)` as the app calls it, input checks and invariant checks "
        "included (median of the runs shown; each instance in a fresh process); *peak memory* is the "
        "process's peak resident set (`ru_maxrss`), generation and the "
        "Python mapping included.",
        "",
        "| instance | invoices → edges | busiest member | solve (`clear`) | runs | cleared | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for instance in INSTANCES:
        instance = instance.scaled()
        figures = results[instance.name]
        cleared = figures["cleared_cents"] / figures["debt_cents"]
        lines.append(
            f"| {_title(instance)} | {_n(figures['invoices'])} → {_n(figures['edges'])} "
            f"| {_n(figures['max_degree'])} invoices (median member {_n(figures['median_degree'])}) "
            f"| {_s(figures['solve_s'])} | {', '.join(_s(t) for t in figures['timings'])} "
            f"| {cleared:.1%} of {_n(figures['debt_cents'] / 100)} € | {_mib(figures['peak_rss'])} |"
        )
    small, large = results["100k"], results["1m"]
    lines += [
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| {_title(INSTANCES[1].scaled())}: solved in < {GOAL_SOLVE_100K:g} s | {_s(small['solve_s'])} "
        f"| {_met(small['solve_s'] < GOAL_SOLVE_100K)} |",
        f"| {_title(INSTANCES[3].scaled())}: solved in < {GOAL_SOLVE_1M:g} s | {_s(large['solve_s'])} "
        f"| {_met(large['solve_s'] < GOAL_SOLVE_1M)} |",
        f"| the same within 2 GiB | peak {_mib(large['peak_rss'])} ({_mib(large['rss_before'])} before `clear`: "
        f"the generated instance and its mapping) | {_met(large['peak_rss'] < GOAL_MEMORY_1M)} |",
        "",
        f"Where the time of `clear` goes on the largest instance ({_n(large['edges'])} edges):",
        "",
        "| phase | time | share |",
        "|---|---|---|",
    ]
    for label, spent in sorted(large["phases"].items(), key=lambda item: -item[1]):
        lines.append(f"| {label} | {_s(spent)} | {spent / large['solve_s']:.0%} |")
    lines += [
        "",
        "### The same instances, two independent solvers",
        "",
        "networkx: `network_simplex` on a `DiGraph` with one edge per (debtor, creditor), capacity the amount "
        "open, weight -1, every demand 0 (a min-cost circulation). HiGHS (highspy): the linear programme "
        "maximise Σ x<sub>e</sub> subject to conservation at every member and 0 ≤ x<sub>e</sub> ≤ c<sub>e</sub>, "
        "its simplex without presolve (HiGHS's presolve alone took 100 s on the 100 000-invoice instance), "
        "its solution rounded to cents (the matrix is totally unimodular, so the optimal vertex is "
        "whole) and checked again for bounds and conservation. Each time includes building the solver's model "
        "from the same mapping, as `clear`'s includes OR-tools'; ratios are to `clear`'s median time above. "
        f"networkx is stopped after {NETWORKX_TIMEOUT:g} s (the ratio is then a lower bound; "
        "CORDEE_BENCH_CLEARING_NETWORKX_TIMEOUT sets it), and not run on the Sardex-shaped instance (more "
        "edges than the 100 000-invoice one) nor on the million; HiGHS is not run on the million (about 2 minutes).",
        "",
        "| instance | edges | OR-tools (`clear`) | networkx | HiGHS |",
        "|---|---|---|---|---|",
    ]
    for instance in INSTANCES:
        instance = instance.scaled()
        if not instance.crosscheck:
            continue
        figures = results[instance.name]
        lines.append(
            f"| {_title(instance)} | {_n(figures['edges'])} | {_s(figures['solve_s'])}, {_n(figures['cleared_cents'])} "
            f"cents | {_crosscheck_cell(figures, 'networkx')} | {_crosscheck_cell(figures, 'highs')} |"
        )
    lines.append("")
    return lines


def _phase_rows(phases: dict[str, float], total: float) -> list[str]:
    rows = sorted(phases.items(), key=lambda item: -item[1])
    rest = total - sum(phases.values())
    return [f"| {label} | {_s(spent)} | {spent / total:.0%} |" for label, spent in rows] + [
        f"| the rest (other statements and Python: the run, the audit row, the model instances) | {_s(rest)} "
        f"| {rest / total:.0%} |"
    ]


def _e2e_lines(postgres: dict[str, Any] | str, sqlite: dict[str, Any]) -> list[str]:
    invoices = max(100, round(E2E_INVOICES * SCALE))
    members = max(10, round(E2E_MEMBERS * SCALE))
    lines = [
        f"### End to end: {_n(invoices)} invoices among {_n(members)} members",
        "",
        "A scratch database migrated by `cordee migrate`, then loaded in bulk (issuing "
        f"{_n(invoices)} invoices through the service would take longer than the benchmark may): the members "
        "(organisations with an active membership, each with its consent to set-off signed a year ago), one "
        "issued invoice per invoice of the 100 000-invoice instance above, numbered in its issuer's sequence in "
        "the order of its issue date (the last 90 days), its issuer's counter, and each party's 411 and 401 "
        "accounts; the busiest member is the hub. The invoices' lines and the issue's ledger postings are not "
        "written: a run does not read them, and the set-off debits the 401 accounts, which have no limit, "
        "so the ledger accepts it without them. Then, as the coordinator, e-mail silenced, each in its own "
        "transaction: `services.run_compute` (read the open invoices, aggregate, solve, allocate, store the "
        "proposal) and `services.run_execute` (lock the invoices, check the proposal is not stale, record "
        "the settlements, mark the invoices paid, post the linked chain of transfers through the suspense "
        "account).",
        "",
    ]
    sources: list[tuple[str, dict[str, Any]]] = []
    if isinstance(postgres, str):
        lines += [f"PostgreSQL: {postgres}", ""]
    else:
        settings = postgres["settings"]
        where = (
            "a throwaway server started for this run (PostgreSQL's durable defaults)"
            if postgres["owned"]
            else "the server DATABASE_URL names, in a scratch database"
        )
        shown = ", ".join(f"{name}={value}" for name, value in settings.items() if name != "server_version")
        lines += [f"PostgreSQL {settings.get('server_version', '')}: {where}; {shown}.", ""]
        sources.append(("PostgreSQL", postgres))
    sources.append(("SQLite", sqlite))
    lines += [
        "| database | load (bulk) | `run_compute` | `run_execute` | end to end | goal < 10 s | cleared | load avg. |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, figures in sources:
        total = figures["compute_s"] + figures["execute_s"]
        ok = figures["executed"] and figures["suspense_zero"]
        lines.append(
            f"| {name} | {_s(figures['load_s'])} | {_s(figures['compute_s'])} "
            f"({_n(figures['compute_statements'])} statements) | {_s(figures['execute_s'])} "
            f"({_n(figures['execute_statements'])} statements) | {_s(total)} | {_met(total < GOAL_E2E)} "
            f"| {figures['cleared_cents'] / figures['debt_cents']:.1%}: {_n(figures['cleared_invoice_count'])} "
            f"invoices settled ({_n(figures['paid'])} whole), {_n(figures['transfers'])} transfers"
            f"{'' if ok else ' — **not executed as expected**'} "
            f"| {', '.join(f'{x:.1f}' for x in figures['load_average'])} |"
        )
    lines.append("")
    for name, figures in sources:
        lines += [
            f"Where the time goes, {name}:",
            "",
            "| `run_compute` | time | share |",
            "|---|---|---|",
            *_phase_rows(figures["compute_phases"], figures["compute_s"]),
            "",
            "| `run_execute` | time | share |",
            "|---|---|---|",
            *_phase_rows(figures["execute_phases"], figures["execute_s"]),
            "",
        ]
    return lines


def _report(solvers: dict[str, Any], postgres: dict[str, Any] | str, sqlite: dict[str, Any], wall: float) -> str:
    from bench.__main__ import _machine

    lines = [
        "## Multilateral clearing",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}, in {wall:.0f} s; OR-tools "
        f"{_version('ortools')}, networkx {_version('networkx')}, highspy {_version('highspy')}. "
        f"Load average at the start: {', '.join(f'{x:.1f}' for x in solvers['load_average'])}.",
        "",
    ]
    if SCALE != 1:
        lines += [
            f"**Quick run: every size multiplied by {SCALE:g} (CORDEE_BENCH_CLEARING_SCALE); not figures to keep.**",
            "",
        ]
    lines += _solver_lines(solvers)
    lines += _e2e_lines(postgres, sqlite)
    return "\n".join(lines)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def run() -> str:
    started = time.perf_counter()
    load_average = os.getloadavg()
    solvers = _solvers()
    solvers["load_average"] = load_average
    postgres = _e2e_postgres()
    sqlite = _e2e_sqlite()
    return _report(solvers, postgres, sqlite, time.perf_counter() - started)


def _write_section(section: str) -> None:
    """Put this benchmark's section in docs/benchmarks.md in place of the one there, the others kept."""
    out = ROOT / "docs" / "benchmarks.md"
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    title = section.splitlines()[0]
    lines = text.splitlines()
    if title in lines:
        begin = lines.index(title)
        end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    else:
        begin = end = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    lines[begin:end] = [*section.rstrip("\n").splitlines(), ""]
    out.write_text("\n".join(lines) + ("\n" if text.endswith("\n") else ""), encoding="utf-8")
    print(f"Section written to {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:]:
        _worker_main(sys.argv[1:])
    else:
        _write_section(run())
