"""Clearing statements: the PDF each party receives after a run is executed."""

from __future__ import annotations

from cordee.clearing.models import Run


def send_all(run: Run) -> None:
    """E-mail each member cleared its statement (written by the statements part)."""
