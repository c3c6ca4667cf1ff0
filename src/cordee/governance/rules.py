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


# --- Polls ----------------------------------------------------------------------------------------
# A poll ballot is a dict option key -> value (what the Preference rows hold). The counting of each
# kind, in whole numbers:
# - single and multiple choice (plurality): an option scores one point per ballot that chose it;
# - ranked choice (Borda count, as Loomio counts it): with n options, the option ranked r-th on a
#   ballot scores n - r + 1 points (first n, second n - 1…), an option left unranked scores 0;
# - score: the option with the highest mean score; means are compared as fractions, sum_a × count_b
#   against sum_b × count_a, never as floats;
# - meeting time: the slot with the most "yes" (2), then the most "if need be" (1).
# The options sharing the best figures tie: no option is retained. Worked example, ranked choice
# with three options A, B, C and ballots (A, B, C), (B, A) and (A): A scores 3 + 2 + 3 = 8, B scores
# 2 + 3 = 5, C scores 1: A is retained.

PROPOSAL = "proposal"
SINGLE = "single"
MULTIPLE = "multiple"
RANKED = "ranked"
SCORE = "score"
MEETING = "meeting"
POLL_KINDS = (SINGLE, MULTIPLE, RANKED, SCORE, MEETING)

DECIDED = "decided"
TIE = "tie"

YES, IF_NEED_BE, NO = 2, 1, 0


@dataclass(frozen=True)
class OptionCount:
    key: int
    points: int  # plurality: ballots choosing it; ranked: Borda points; score: sum; meeting: "yes"
    count: int  # plurality: ballots choosing it; ranked: ballots ranking it; score: ballots scoring it
    maybe: int = 0  # meeting time: "if need be"
    distribution: tuple[int, ...] = ()  # score: how many ballots gave 0, 1, …, score_max

    def better_than(self, other: OptionCount, kind: str) -> int:
        """1 if this option comes before the other, -1 if after, 0 if they tie."""
        if kind == SCORE:
            mine, theirs = self.points * other.count, other.points * self.count
        elif kind == MEETING and self.points == other.points:
            mine, theirs = self.maybe, other.maybe
        else:
            mine, theirs = self.points, other.points
        return (mine > theirs) - (mine < theirs)


def count_poll(kind: str, keys: list[int], ballots: list[dict[int, int]], *, score_max: int = 5) -> list[OptionCount]:
    """Each option's figures, in the options' order. The ballots are assumed valid (the service
    checks each one when it is cast)."""
    n = len(keys)
    result = []
    for key in keys:
        values = [ballot[key] for ballot in ballots if key in ballot]
        if kind in (SINGLE, MULTIPLE):
            chosen = sum(1 for value in values if value > 0)
            result.append(OptionCount(key, chosen, chosen))
        elif kind == RANKED:
            result.append(OptionCount(key, sum(n - rank + 1 for rank in values), len(values)))
        elif kind == SCORE:
            spread = tuple(sum(1 for value in values if value == score) for score in range(score_max + 1))
            result.append(OptionCount(key, sum(values), len(values), distribution=spread))
        elif kind == MEETING:
            yes = sum(1 for value in values if value == YES)
            maybe = sum(1 for value in values if value == IF_NEED_BE)
            result.append(OptionCount(key, yes, len(values), maybe=maybe))
        else:
            raise ValueError(f"not a poll: {kind!r}")
    return result


def ranking(kind: str, counts: list[OptionCount]) -> list[OptionCount]:
    """The options best first; options that tie keep their order."""
    ordered: list[OptionCount] = []
    for option in counts:
        at = len(ordered)
        while at > 0 and option.better_than(ordered[at - 1], kind) > 0:
            at -= 1
        ordered.insert(at, option)
    return ordered


def poll_outcome(
    kind: str, counts: list[OptionCount], *, quorum_percent: int, entitled: int, ballots: int
) -> tuple[str, int | None]:
    """The outcome of a poll and the key of the option retained (None unless DECIDED). The body's
    quorum applies as to a proposal; then the first option is retained unless another ties with it.
    An option nobody supports (no point, no "if need be") is never retained."""
    if ballots < quorum_needed(quorum_percent, entitled):
        return NO_QUORUM, None
    ordered = ranking(kind, counts)
    if not ordered:
        return TIE, None
    first = ordered[0]
    if first.points == 0 and first.maybe == 0:
        return TIE, None
    if len(ordered) > 1 and first.better_than(ordered[1], kind) == 0:
        return TIE, None
    return DECIDED, first.key


def mean_tenths(points: int, count: int) -> int:
    """A mean score in tenths, rounded half up, in integers: 17 points over 5 ballots is 34 (3,4)."""
    if count == 0:
        return 0
    return (points * 20 + count) // (2 * count)
