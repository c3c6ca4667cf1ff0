"""Playwright fixtures: one headless Chromium per session, one fresh context per page.

The browser is the system's Chromium (never a downloaded one): `CORDEE_CHROMIUM` or
/usr/bin/chromium. Without it the browser tests are skipped, except on CI where a missing
browser must fail the build rather than silently drop the tests.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def _chromium_path() -> str | None:
    candidate = os.environ.get("CORDEE_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep each phase's report on the test item, so fixtures can tell in teardown that it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    executable = _chromium_path()
    if executable is None:
        _unavailable("no Chromium executable (set CORDEE_CHROMIUM or install /usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    from django.db import connections

    # Playwright's sync API keeps an asyncio loop running in this thread. Django then refuses ORM
    # calls here (where the tests create their data) unless told otherwise, and looks its database
    # connections up in a per-context store instead of the thread's: it would open new ones that
    # lack the test database's state (the serialized reference data that transactional tests
    # restore). Keep the very connections the test database was set up with.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    set_up = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in set_up.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """new_page(viewport=..., phone=False) -> a page in a fresh context (its own cookies: a separate
    person), on a desktop screen or, with phone=True, a phone's."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def only_the_live_server(route: Any) -> None:
        # Map tiles and anything else off-site are unreachable here: fail them at once.
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    def make(viewport: dict[str, int] | None = None, *, phone: bool = False) -> Any:
        screen = viewport or (PHONE if phone else DESKTOP)
        context = browser.new_context(locale="fr-FR", viewport=screen, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", only_the_live_server)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        directory = Path(request.config.rootpath) / "var" / "test-results"
        directory.mkdir(parents=True, exist_ok=True)
        for index, page in enumerate(pages):
            suffix = f"-{index + 1}" if index else ""
            try:
                page.screenshot(path=str(directory / f"{request.node.name}{suffix}.png"), full_page=True)
            except Exception as exc:  # a failed screenshot must not hide the real failure
                print(f"could not save a screenshot: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def log_in() -> Callable[..., None]:
    """log_in(page, email, password=PASSWORD): through the login form, waiting until the page shows
    the person logged in (the logout button)."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from cordee.core.testing import PASSWORD

    def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
        page.goto(reverse("login"))
        page.locator("main input[name=username]").fill(email)
        page.locator("main input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(f'header form[action="{reverse("logout")}"]')).to_be_attached()

    return log_in


# The tables whose rows the database keeps for ever, and the migrations that say so.
APPEND_ONLY = [
    ("cordee.ledger.migrations.0002_append_only_triggers", ("ledger_entry", "ledger_transfer")),
    (
        "cordee.invoicing.migrations.0002_issued_invoices_are_frozen",
        ("invoicing_invoiceline", "invoicing_invoice", "invoicing_invoicecounter"),
    ),
]


class _Executor:
    """What the migrations' trigger functions need of a schema editor."""

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def books_emptied_afterwards(transactional_db: None) -> Iterator[None]:
    """After the test, empty the append-only tables with their triggers lifted, then put the
    triggers back: on SQLite, the flush between transactional tests is a DELETE, which they refuse
    (PostgreSQL's TRUNCATE does not fire them)."""
    yield
    if connection.vendor != "sqlite":
        return
    executor = _Executor()
    # Rows of other apps still point to invoices (time entries, exchanges): the flush that follows
    # deletes them, so their foreign keys are not checked meanwhile.
    with connection.constraint_checks_disabled():
        for module_name, tables in APPEND_ONLY:
            module = importlib.import_module(module_name)
            module.drop(None, executor)
            for table in tables:
                executor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
            module.create(None, executor)
