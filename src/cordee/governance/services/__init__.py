"""Writes on bodies, seats, decisions and votes: the only code that changes them.

Each service is one transaction with its audit row. They are not durable: the treasury opens and
closes its credit committee's decisions inside its own transaction (an advance request and the
decision put to the committee land together or not at all); the calls for projects do the same
with their project committee.

Recusal: a member sits for an organisation (or for nobody: the hub's staff, a qualified person).
The members sitting for an organisation a decision concerns cannot vote on it and do not count
for its quorum.

The general assembly has no seats: every active member organisation has one vote, cast by one of
its member admins (permissions.represents); an organisation a decision concerns is recused the
same way. One vote per seat or organisation: a second one is refused, unless the person who cast
the vote changes it. Closing freezes the figures (`results`) and gives the decision its number in
the register of decisions.

- `electorate`: who votes on a day (seats, member organisations) and who is recused;
- `bodies`: bodies and seats;
- `decisions`: opening (proposals and polls), counting, closing into the register, cancelling;
- `votes`: casting a vote or a poll ballot.
"""

from cordee.governance.services.bodies import RESERVED_SLUGS, body_create, body_update, seat_add, seat_end
from cordee.governance.services.decisions import (
    MAX_OPTIONS,
    MAX_SCORE,
    REGISTER_LOCK,
    Figures,
    Slot,
    count,
    decision_cancel,
    decision_close,
    decision_open,
    poll_results,
)
from cordee.governance.services.electorate import (
    ALREADY_VOTED,
    NO_SEAT,
    RECUSED,
    assembly_members,
    counted_votes,
    current_seats,
    entitled_count,
    entitled_organisations,
    entitled_seats,
    recused_organisations,
    recused_seats,
    represented_organisations,
)
from cordee.governance.services.votes import MAX_COMMENT, vote_cast

__all__ = [
    "ALREADY_VOTED",
    "MAX_COMMENT",
    "MAX_OPTIONS",
    "MAX_SCORE",
    "NO_SEAT",
    "RECUSED",
    "REGISTER_LOCK",
    "RESERVED_SLUGS",
    "Figures",
    "Slot",
    "assembly_members",
    "body_create",
    "body_update",
    "count",
    "counted_votes",
    "current_seats",
    "decision_cancel",
    "decision_close",
    "decision_open",
    "entitled_count",
    "entitled_organisations",
    "entitled_seats",
    "poll_results",
    "recused_organisations",
    "recused_seats",
    "represented_organisations",
    "seat_add",
    "seat_end",
    "vote_cast",
]
