"""The arithmetic of a vote: quorum, majority, outcome. No Django here, so the rules can be
checked by hand and by property tests.

Quorum: the votes cast (abstentions included: abstaining is taking part) must reach
`quorum_percent` % of the members entitled to vote, rounded up, and at least one vote. With 7
members entitled and a quorum of 50 %, 7 × 50 / 100 = 3.5, so 4 votes are needed.

Majorities (the votes cast include the abstentions):
- simple: more votes for than against;
- absolute: more votes for than half of the votes cast (2 × for > cast);
- two thirds: at least two thirds of the votes cast (3 × for ≥ 2 × cast);
- unanimity: no vote against, and at least one for.
Integer arithmetic only, so that no rounding can turn a tie into a majority.
"""

from __future__ import annotations

from dataclasses import dataclass

SIMPLE = "simple"
ABSOLUTE = "absolute"
TWO_THIRDS = "two_thirds"
UNANIMITY = "unanimity"
MAJORITIES = (SIMPLE, ABSOLUTE, TWO_THIRDS, UNANIMITY)

APPROVED = "approved"
REJECTED = "rejected"
NO_QUORUM = "no_quorum"


def quorum_needed(quorum_percent: int, entitled: int) -> int:
    """The number of votes (abstentions included) a decision needs to be valid: never less than 1."""
    return max(1, -(-quorum_percent * entitled // 100))


def passes(majority: str, *, votes_for: int, votes_against: int, abstentions: int) -> bool:
    cast = votes_for + votes_against + abstentions
    if majority == SIMPLE:
        return votes_for > votes_against
    if majority == ABSOLUTE:
        return 2 * votes_for > cast
    if majority == TWO_THIRDS:
        return votes_for > 0 and 3 * votes_for >= 2 * cast
    if majority == UNANIMITY:
        return votes_against == 0 and votes_for > 0
    raise ValueError(f"unknown majority rule: {majority!r}")


def outcome(
    *, quorum_percent: int, majority: str, entitled: int, votes_for: int, votes_against: int, abstentions: int
) -> str:
    cast = votes_for + votes_against + abstentions
    if cast < quorum_needed(quorum_percent, entitled):
        return NO_QUORUM
    if passes(majority, votes_for=votes_for, votes_against=votes_against, abstentions=abstentions):
        return APPROVED
    return REJECTED


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    percent: int  # whole percent of the votes cast; the shares of a tally add up to 100
    offset: int  # where the share starts on a 0–100 bar


def shares(counts: dict[str, int]) -> list[Share]:
    """Whole percentages of the votes cast that add up to exactly 100 (largest remainders), with
    each share's start on a bar. All zero when nobody voted."""
    total = sum(counts.values())
    if total == 0:
        return [Share(key, 0, 0, 0) for key in counts]
    floors = {key: count * 100 // total for key, count in counts.items()}
    missing = 100 - sum(floors.values())
    by_remainder = sorted(counts, key=lambda key: (-(counts[key] * 100 % total), list(counts).index(key)))
    for key in by_remainder[:missing]:
        floors[key] += 1
    result, offset = [], 0
    for key, count in counts.items():
        result.append(Share(key, count, floors[key], offset))
        offset += floors[key]
    return result
