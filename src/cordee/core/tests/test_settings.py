"""The settings module and `.env.example` must agree: every variable read is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cordee.lib import env

ROOT = Path(__file__).resolve().parents[4]


def _read_variables() -> set[str]:
    source = (ROOT / "src" / "cordee" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))


def test_every_setting_read_is_listed_in_env_example() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    read = _read_variables()
    assert len(read) > 20
    assert read - documented == set(), "variables read by settings.py but missing from .env.example"
    assert documented - read == set(), ".env.example lists variables that settings.py does not read"


def test_bool_reader_refuses_what_is_not_a_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORDEE_X", "peut-être")
    with pytest.raises(env.EnvError, match="CORDEE_X must be true or false"):
        env.env_bool("CORDEE_X", False)
    monkeypatch.setenv("CORDEE_X", "Yes")
    assert env.env_bool("CORDEE_X", False) is True


def test_int_reader_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORDEE_N", "douze")
    with pytest.raises(env.EnvError, match="CORDEE_N must be a whole number"):
        env.env_int("CORDEE_N", 1)


def test_secret_is_read_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.delenv("CORDEE_K", raising=False)
    monkeypatch.setenv("CORDEE_K_FILE", str(secret))
    assert env.env_secret("CORDEE_K") == "s3cret"


def test_a_missing_secret_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORDEE_K", raising=False)
    monkeypatch.delenv("CORDEE_K_FILE", raising=False)
    with pytest.raises(env.EnvError, match="CORDEE_K"):
        env.env_secret("CORDEE_K")


def test_sqlite_writers_take_the_lock_when_they_start() -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL run")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
