"""Many people book the same slot at the same instant, through the real server: exactly one wins
each slot, every other is told the resource is already booked, and the database holds one
booking per slot, never two overlapping ones.

The server is gunicorn (several processes, several threads each) on a scratch database of the
suite's vendor, made the way `ledger.tests.test_concurrency` makes its own (a SQLite file; on
PostgreSQL a `cordee_conc_<random>` database, skipped without a server), migrated and filled by
subprocesses (`cordee migrate`, then `server_setup`). The people log in through the login page;
their requests are POST /api/v1/bookings with their session cookie and CSRF token, as a browser
script sends them. On SQLite the services' write transaction takes the write lock when it starts,
so the check for a conflict and the insert cannot be separated; on PostgreSQL two requests may
both pass the check, and the exclusion constraint refuses the second insert.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zoneinfo
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from cordee.ledger.tests.test_concurrency import (
    TIMEOUT,
    Scratch,
    _create_pg,
    _drop_pg,
    _pg_server_url,
    _sqlite_url,
    _suite_vendor,
)

# The ledger's group: process-heavy tests run one after the other, on one pytest-xdist worker
# (but pytest 9.2 with pytest-xdist 3.8 loses every group: pytest-dev/pytest-xdist#1386).
pytestmark = pytest.mark.xdist_group("ledger-processes")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PEOPLE = 6
PER_SLOT = 12
THREADS = 24
REQUEST_TIMEOUT = 30  # seconds: SQLite waits up to 20 s for its write lock before giving up
ENGLISH = {"Accept-Language": "en"}  # the refusals are compared in English, whatever is translated
ALREADY_BOOKED = "The resource is already booked"
# Around a slot's hour [S, S + 60 min), each request starts up to an hour before and ends up to an
# hour after (minutes from S): any two of a slot overlap, no two of different slots do.
SHAPES = [(0, 60), (-30, 60), (0, 90), (-30, 90), (-60, 60), (0, 120), (-60, 90), (-30, 120), (-60, 120)]


@dataclass(frozen=True)
class Slot:
    resource: str  # "room" books at once; "approval" waits for its owner's approval
    hour: dt.datetime  # the hour every request of the slot covers

    def __str__(self) -> str:
        return f"{self.resource} {self.hour:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Session:
    email: str
    organisation_id: int
    cookie: str
    csrf_token: str


@dataclass(frozen=True)
class Attempt:
    slot: Slot
    session: Session
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass
class Answer:
    attempt: Attempt
    status: int | None  # None: no HTTP answer at all (see error)
    body: Any
    error: str = ""

    def __str__(self) -> str:
        shown = self.error or f"{self.status} {self.body}"
        return f"{self.attempt.slot} {self.attempt.starts_at:%H:%M}-{self.attempt.ends_at:%H:%M}: {shown}"


@dataclass
class Server:
    scratch: Scratch
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    setup: dict[str, Any]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-20_000:]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """gunicorn on a scratch database of its own, migrated and filled, answering on a free port."""
    logs = tmp_path / "logs"
    if request.param == "sqlite":
        if _suite_vendor() == "postgresql":
            pytest.skip("the suite runs on PostgreSQL: the SQLite variant runs in the SQLite run")
        scratch, pg_server = Scratch("sqlite", _sqlite_url(tmp_path / "scratch.sqlite3"), logs), None
    else:
        pg_server = _pg_server_url()
        if pg_server is None:
            pytest.skip("no PostgreSQL: the suite runs on SQLite and CORDEE_TEST_PG_URL is not set")
        scratch = Scratch("postgresql", _create_pg(pg_server), logs)
    process = None
    try:
        done = scratch.cordee("migrate", "--no-input", "-v", "0")
        assert done.returncode == 0, f"migrate failed:\n{done.stderr[-3000:]}"
        command = [sys.executable, "-m", "cordee.premises.tests.server_setup", "--people", str(PEOPLE)]
        done = subprocess.run(command, env=scratch.env(), capture_output=True, text=True, timeout=TIMEOUT)  # noqa: S603
        assert done.returncode == 0, f"server_setup failed:\n{done.stderr[-3000:]}"
        setup = json.loads(done.stdout.strip().splitlines()[-1])

        log = tmp_path / "server.log"
        env = {key: value for key, value in scratch.env().items() if key != "CORDEE_SECRET_KEY_FILE"}
        env.update(
            CORDEE_SECRET_KEY=secrets.token_urlsafe(50),
            CORDEE_DEBUG="false",
            CORDEE_HTTPS="false",  # plain http on loopback: cookies without the Secure flag
            CORDEE_MANIFEST_STATIC="false",  # no collectstatic for a test
            CORDEE_VAR_DIR=str(tmp_path / "var"),
        )
        (tmp_path / "var" / "static").mkdir(parents=True)  # whitenoise warns of a missing one
        # Port 0: the system picks a free port, which gunicorn then names in its log.
        command = [sys.executable, "-m", "gunicorn", "cordee.wsgi:application", "--bind", "127.0.0.1:0"]
        command += ["--workers", "3", "--threads", "4", "--timeout", str(TIMEOUT)]
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603
                command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        url = _wait_until_healthy(process, log)
        yield Server(scratch, url, process, log, setup)
    finally:
        if process is not None:
            _stop(process)
        if pg_server is not None:
            _drop_pg(pg_server, scratch.url)


def _wait_until_healthy(process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + TIMEOUT
    url = None
    while True:
        output = log.read_text(errors="replace")
        assert process.poll() is None, f"gunicorn exited with {process.returncode}:\n{output[-5000:]}"
        assert time.monotonic() < deadline, f"gunicorn not healthy after {TIMEOUT} s:\n{output[-5000:]}"
        if url is None:
            listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", output)
            url = listening.group(1) if listening else None
        if url is not None:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                    if json.load(answer) == {"status": "ok", "database": "ok"}:
                        return url
            except (OSError, ValueError):
                pass  # no worker answering yet
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """gunicorn's master stops its workers on SIGTERM; whatever of its group lingers is killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _request(url: str, *, headers: dict[str, str], data: bytes | None = None) -> urllib.request.Request:
    assert url.startswith("http://127.0.0.1:"), url  # the test's own server, never a file: URL
    return urllib.request.Request(url, data=data, headers=headers)  # noqa: S310


def log_in(server: Server, email: str, organisation_id: int) -> Session:
    """Through the login page, as a browser does: its CSRF cookie, then the form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = f"{server.url}/compte/connexion/"
    with opener.open(_request(page, headers=ENGLISH), timeout=REQUEST_TIMEOUT) as answer:
        answer.read()
    token = {cookie.name: cookie.value for cookie in jar}.get("csrftoken")
    assert token, f"the login page set no CSRF cookie:\n{server.output()}"
    form = {"username": email, "password": server.setup["password"], "csrfmiddlewaretoken": token}
    posted = _request(page, data=urlencode(form).encode(), headers=ENGLISH)
    with opener.open(posted, timeout=REQUEST_TIMEOUT) as answer:  # followed to the home page
        answer.read()
        landed = answer.url
    cookies = {cookie.name: str(cookie.value) for cookie in jar}
    assert "sessionid" in cookies, f"{email} was not logged in (landed on {landed}):\n{server.output()}"
    return Session(
        email,
        organisation_id,
        cookie="; ".join(f"{name}={value}" for name, value in cookies.items()),
        csrf_token=cookies["csrftoken"],  # rotated by the login
    )


def book(server: Server, attempt: Attempt) -> Answer:
    payload = {
        "resource_id": server.setup["resources"][attempt.slot.resource],
        "organisation_id": attempt.session.organisation_id,
        "starts_at": attempt.starts_at.isoformat(),
        "ends_at": attempt.ends_at.isoformat(),
        "purpose": f"réunion de {attempt.session.email}",
    }
    headers = {
        **ENGLISH,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": attempt.session.cookie,
        "X-CSRFToken": attempt.session.csrf_token,
    }
    sent = _request(f"{server.url}/api/v1/bookings", data=json.dumps(payload).encode(), headers=headers)
    try:
        with urllib.request.urlopen(sent, timeout=REQUEST_TIMEOUT) as answer:  # noqa: S310
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        status, raw = refused.code, refused.read()
    except OSError as failed:  # a timeout, a reset connection: no answer at all
        return Answer(attempt, None, None, error=repr(failed))
    try:
        return Answer(attempt, status, json.loads(raw))
    except ValueError:
        return Answer(attempt, status, raw.decode(errors="replace")[:500])


def _attempts(sessions: list[Session]) -> list[Attempt]:
    """PER_SLOT requests for each of four slots: two hours of a day a month ahead, on each room
    (the same hours on both, which must not get in each other's way)."""
    day = dt.date.today() + dt.timedelta(days=30)
    hours = [dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS) for hour in (10, 15)]
    slots = [Slot(resource, hour) for resource in ("room", "approval") for hour in hours]
    attempts = []
    for s, slot in enumerate(slots):
        for n in range(PER_SLOT):
            before, after = SHAPES[n % len(SHAPES)]
            attempts.append(
                Attempt(
                    slot,
                    sessions[(n + s) % len(sessions)],
                    slot.hour + dt.timedelta(minutes=before),
                    slot.hour + dt.timedelta(minutes=after),
                )
            )
    random.Random(20270301).shuffle(attempts)  # the first wave mixes every slot
    return attempts


def _fire(server: Server, attempts: list[Attempt]) -> list[Answer]:
    """Every thread takes its share of the attempts, and they all start at the same instant."""
    shares = [attempts[n::THREADS] for n in range(THREADS)]
    start = threading.Barrier(THREADS)

    def run(share: list[Attempt]) -> list[Answer]:
        start.wait(timeout=TIMEOUT)
        return [book(server, attempt) for attempt in share]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return [answer for answers in pool.map(run, shares, timeout=3 * TIMEOUT) for answer in answers]


OVERLAPS = (
    "SELECT count(*) FROM premises_booking AS a JOIN premises_booking AS b"
    " ON a.resource_id = b.resource_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
    " WHERE a.state IN ('requested', 'confirmed') AND b.state IN ('requested', 'confirmed')"
)


def test_concurrent_requests_for_a_slot_leave_exactly_one_booking(server: Server) -> None:
    started = time.monotonic()
    people = server.setup["people"]
    sessions = [log_in(server, person["email"], person["organisation_id"]) for person in people]
    attempts = _attempts(sessions)
    fired = time.monotonic()
    answers = _fire(server, attempts)
    took = time.monotonic() - fired
    shown = "\n".join(sorted(str(answer) for answer in answers))
    context = f"answers:\n{shown}\n--- server output ---\n{server.output()}"

    assert len(answers) == len(attempts)
    broken = [str(answer) for answer in answers if answer.status not in (201, 422)]
    assert not broken, f"{len(broken)} requests neither booked nor refused: {broken}\n{context}"
    assert "Traceback" not in server.output(), f"the server logged an error\n{context}"

    slots = sorted({attempt.slot for attempt in attempts}, key=str)
    winners: dict[Slot, Answer] = {}
    for slot in slots:
        won = [answer for answer in answers if answer.attempt.slot == slot and answer.status == 201]
        assert len(won) == 1, f"{slot}: {len(won)} requests booked it, not 1\n{context}"
        winners[slot] = won[0]
        booking, attempt = won[0].body, won[0].attempt
        assert booking["resource_id"] == server.setup["resources"][slot.resource], booking
        assert booking["organisation_id"] == attempt.session.organisation_id, booking
        assert booking["state"] == ("requested" if slot.resource == "approval" else "confirmed"), booking
        # The others are told it is taken, and by which booking: on PostgreSQL also those refused by
        # the exclusion constraint, which look again once the winner has committed.
        taken = f"from {attempt.starts_at:%H:%M} to {attempt.ends_at:%H:%M}."
        for answer in answers:
            if answer.attempt.slot != slot or answer.status != 422:
                continue
            messages = [answer.body["detail"]] + [error["message"] for error in answer.body["errors"]]
            assert all(message.startswith(ALREADY_BOOKED) for message in messages), f"{answer}\n{context}"
            assert answer.body["detail"].endswith(taken), f"{answer} (the winner: {taken})"

    # What the database holds, read without the server: the winners, nothing else.
    count = server.scratch.count
    assert count("SELECT count(*) FROM premises_booking") == len(slots), f"rows beyond the winners\n{context}"
    for slot, winner in winners.items():
        state = winner.body["state"]
        same = "SELECT count(*) FROM premises_booking WHERE id = %s AND resource_id = %s AND state = %s"
        resource_id = str(server.setup["resources"][slot.resource])
        assert count(same, str(winner.body["id"]), resource_id, state) == 1, f"{slot}: {winner} not stored"
    holding = "SELECT count(*) FROM premises_booking WHERE state IN ('requested', 'confirmed')"
    assert count(holding) == len(slots), f"holding bookings beyond the winners\n{context}"
    assert count(OVERLAPS) == 0, f"two holding bookings of one resource overlap\n{context}"

    refused = sum(answer.status == 422 for answer in answers)
    print(
        f"\n[{server.scratch.vendor}] {len(answers)} requests from {len(sessions)} people in {took:.2f} s: "
        f"{len(winners)} booked, {refused} refused; logins and requests {time.monotonic() - started:.1f} s"
    )
