"""The committee's scores turned into a ranking, and the ranking walked down against the envelope.

No Django here, and no floats: a score is a `Fraction`, so that two treasurers checking the page by
hand find the same figures.

- A scorer's score of an application is the weighted average of their marks, out of 100:
  100 × Σ(weight × mark) / (Σ weight × highest mark). Only a complete sheet (every criterion
  marked) counts: a half-filled grid would weigh the criteria differently from the others.
- The application's score is the plain mean of its scorers' scores.
- The ranking puts the best score first; equal scores go to the smaller request (more actions for
  the same envelope), then to the earlier key. Applications nobody scored come last.
- Walking down the ranking, each application's amount is added to the cumulative total; it fits
  while the cumulative total stays within the envelope. The first one that does not fit is where the
  envelope runs out; the applications after it do not fit either, even a smaller one that would:
  the committee decides those by hand, the walk only shows where the line falls.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


def sheet_score(marks: Mapping[int, int], weights: Mapping[int, int], score_max: int) -> Fraction | None:
    """One scorer's score out of 100, or None when their sheet lacks a criterion."""
    if not weights or score_max <= 0 or any(criterion not in marks for criterion in weights):
        return None
    total_weight = sum(weights.values())
    weighted = sum(weight * marks[criterion] for criterion, weight in weights.items())
    return Fraction(100 * weighted, total_weight * score_max)


def mean_score(scores: Sequence[Fraction]) -> Fraction | None:
    """The mean of the scorers' scores, None when nobody scored."""
    if not scores:
        return None
    return sum(scores, Fraction(0)) / len(scores)


def application_score(
    sheets: Mapping[Any, Mapping[int, int]], weights: Mapping[int, int], score_max: int
) -> tuple[Fraction | None, int]:
    """The application's score from its scorers' sheets, and how many complete sheets it counts."""
    scores = [score for score in (sheet_score(m, weights, score_max) for m in sheets.values()) if score is not None]
    return mean_score(scores), len(scores)


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    score: Fraction | None
    amount_cents: int
    order: int = 0  # breaks the last ties: the application's number or id


@dataclass(frozen=True)
class Step:
    """One line of the walk down the ranking."""

    rank: int
    candidate: Candidate
    cumulative_cents: int
    remaining_cents: int  # envelope minus the cumulative total (negative once it runs out)
    fits: bool


def rank(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Best score first; ties to the smaller amount, then the lower order; unscored last."""
    return sorted(
        candidates,
        key=lambda c: (c.score is None, -(c.score or 0), c.amount_cents, c.order),
    )


def walk(candidates: Sequence[Candidate], envelope_cents: int) -> list[Step]:
    """The ranking with each line's cumulative amount and what remains of the envelope."""
    steps: list[Step] = []
    cumulative = 0
    ran_out = False
    for position, candidate in enumerate(rank(candidates), start=1):
        cumulative += candidate.amount_cents
        ran_out = ran_out or cumulative > envelope_cents
        steps.append(
            Step(
                rank=position,
                candidate=candidate,
                cumulative_cents=cumulative,
                remaining_cents=envelope_cents - cumulative,
                fits=not ran_out,
            )
        )
    return steps


def runs_out_at(steps: Sequence[Step]) -> int | None:
    """The rank of the first application the envelope cannot hold, None when all fit."""
    return next((step.rank for step in steps if not step.fits), None)


def out_of_100(score: Fraction | None) -> str:
    """The score rounded half up to a tenth, written the French way ("72,5"); "—" when unscored."""
    if score is None:
        return "—"
    tenths = (score * 10 * 2 + 1) // 2  # floor(x + 1/2): half up, scores are never negative
    whole, tenth = divmod(int(tenths), 10)
    return f"{whole},{tenth}"
