"""Demo data: to be written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GovernanceSummary:
    created_rows: int = 0

    @property
    def created(self) -> int:
        return self.created_rows


def load_governance() -> GovernanceSummary:
    """Load whatever of this part of the demo is missing. Call it outside any transaction."""
    return GovernanceSummary()
