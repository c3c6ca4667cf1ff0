"""Run the benchmarks against a scratch database and write the figures to docs/benchmarks.md.

The database is a fresh SQLite file under var/bench/ by default, or a scratch database created on
the PostgreSQL server a postgres DATABASE_URL names (and dropped at the end); its tables are
created by the migrations, then filled by each benchmark. bench_ledger makes its own databases.

`python -m bench` runs them all and writes docs/benchmarks.md afresh; `python -m bench reporting
directory` runs only bench_reporting and bench_directory, and replaces only their sections of
docs/benchmarks.md (by their `## ` heading), keeping the others and the header as they were.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}"


def main() -> None:
    names = sys.argv[1:]
    known = {path.stem.removeprefix("bench_") for path in _benchmarks()}
    unknown = sorted(set(names) - known)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose among {', '.join(sorted(known))}")
    with contextlib.ExitStack() as stack:
        _run(stack, names)


def _benchmarks() -> list[Path]:
    return sorted(Path(__file__).parent.glob("bench_*.py"))


def _merge(previous: str, sections: list[str]) -> str:
    """`previous` with each of `sections` in place of the section of the same heading (or appended)."""
    parts = previous.rstrip("\n").split("\n## ")
    head, old = parts[0], ["## " + part.rstrip("\n") for part in parts[1:]]
    for section in sections:
        heading = section.split("\n", 1)[0]
        found = [i for i, part in enumerate(old) if part.split("\n", 1)[0] == heading]
        if found:
            old[found[0]] = section.rstrip("\n")
        else:
            old.append(section.rstrip("\n"))
    return "\n\n".join([head.rstrip("\n"), *old]) + "\n"


def _run(stack: contextlib.ExitStack, names: list[str]) -> None:
    from bench import _pg

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    scratch = ROOT / "var" / "bench"
    scratch.mkdir(parents=True, exist_ok=True)
    if _pg.is_postgres(os.environ.get("DATABASE_URL")):  # never fill the database it names
        server = stack.enter_context(_pg.Server(os.environ["DATABASE_URL"]))
        os.environ["DATABASE_URL"] = server.create_database("cordee_bench")
        stack.callback(_close_connections)
    elif "DATABASE_URL" not in os.environ:
        database = scratch / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    sections: list[str] = []
    for path in _benchmarks():
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        print(f"== {path.stem}", file=sys.stderr)
        sections.append(module.run())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    report = [
        "# Benchmarks",
        "",
        "Written by `make bench`; figures from one run, on the machine below. Not tests: goals are",
        "compared here, by a person, with the machine in mind.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit.strip() or 'unknown'}",
        f"- Machine: {_machine()}",
        f"- Database: {engine} (the ledger's figures use databases of their own, described there)",
        "",
        *sections,
    ]
    out = ROOT / "docs" / "benchmarks.md"
    if names and out.exists():  # only some benchmarks ran: keep the others' figures
        out.write_text(_merge(out.read_text(encoding="utf-8"), sections), encoding="utf-8")
    else:
        out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"Figures written to {out.relative_to(ROOT)}", file=sys.stderr)


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
