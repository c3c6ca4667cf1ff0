"""A PostgreSQL server for the benchmarks: the one a postgres DATABASE_URL names, or a throwaway one.

Without a postgres DATABASE_URL, `Server` runs initdb in a temporary directory (as the postgres
user when we are root, as .ci/run does), starts the server on loopback with PostgreSQL's
durable defaults (fsync, synchronous_commit and full_page_writes on), and removes it all at the
end. Either way the benchmarks work in scratch databases created here and dropped afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

PORT = 54339
# Not durability settings: room for the million-entry load without a checkpoint every few seconds.
SERVER_OPTIONS = {"max_connections": "100", "shared_buffers": "256MB", "max_wal_size": "4GB"}
SHOWN = ("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers")


def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def bin_dir() -> Path | None:
    """The newest PostgreSQL installed: Debian's /usr/lib/postgresql/N/bin, else whatever is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Server:
    """Use as a context manager; `owned` tells whether we started the server ourselves."""

    def __init__(self, url: str | None = None) -> None:
        self.given = url if is_postgres(url) else None
        self.bin = bin_dir()
        self.owned = self.given is None
        self.directory: Path | None = None
        self.databases: list[str] = []
        if self.given:
            parts = urlsplit(self.given)
            self.host = parts.hostname or "127.0.0.1"
            self.port = parts.port or 5432
            self.user = unquote(parts.username or "")
            self.password = unquote(parts.password or "")
            self.maintenance = unquote(parts.path.lstrip("/")) or "postgres"
        else:
            self.host, self.port, self.user, self.password, self.maintenance = (
                "127.0.0.1",
                PORT,
                "cordee",
                "",
                "postgres",
            )

    # --- the throwaway server ----------------------------------------------------------

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _start(self) -> None:
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (no pg_ctl): apt-get install postgresql")
        self.port = _free_port(PORT)
        self.directory = Path(tempfile.mkdtemp(prefix="cordee-bench-pg."))
        self.directory.chmod(0o755)
        if os.geteuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--home-dir", str(self.directory), "postgres"], check=True)
            shutil.chown(self.directory, "postgres")
        _log(f"starting a throwaway PostgreSQL ({self.bin}) on 127.0.0.1:{self.port}, data in {self.directory}")
        data = self.directory / "data"
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "--encoding=UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory} " + " ".join(
            f"-c {name}={value}" for name, value in SERVER_OPTIONS.items()
        )
        log = self.directory / "server.log"
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start")

    def _stop(self) -> None:
        if self.directory is None:
            return
        try:
            assert self.bin is not None
            self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "fast", "stop")
        except subprocess.CalledProcessError as exc:
            _log(f"pg_ctl stop failed: {exc.stderr.decode(errors='replace')}")
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None

    def __enter__(self) -> Server:
        if self.owned:
            try:
                self._start()
            except BaseException:
                self._stop()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for name in list(self.databases):
                self.drop_database(name)
        finally:
            if self.owned:
                self._stop()

    # --- databases ---------------------------------------------------------------------

    def url(self, database: str) -> str:
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"postgres://{auth}@{self.host}:{self.port}/{quote(database, safe='')}"

    def connect(self, database: str | None = None) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user or None,
            password=self.password or None,
            dbname=database or self.maintenance,
            autocommit=True,
        )

    def create_database(self, name: str) -> str:
        """A fresh, empty database (dropped first if a previous run left it); returns its URL."""
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        for attempt in range(5):
            try:
                with self.connect() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except Exception as exc:  # a client still disconnecting: try again shortly
                if attempt == 4:
                    _log(f"could not drop database {name}: {exc}")
                time.sleep(0.5)
        if name in self.databases:
            self.databases.remove(name)

    def settings(self) -> dict[str, str]:
        with self.connect() as conn:
            return {name: str(conn.execute(f"SHOW {name}").fetchone()[0]) for name in SHOWN}

    def env(self) -> dict[str, str]:
        """The environment for pgbench and psql."""
        env = {**os.environ, "PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def tool(self, name: str) -> str:
        if self.bin is not None and (self.bin / name).exists():
            return str(self.bin / name)
        found = shutil.which(name)
        if found is None:
            raise RuntimeError(f"{name} not found: install PostgreSQL's client programs")
        return found
