"""What the authorization matrix is made of, shared by the apps that add rows to it.

Each app with URLs or admin models of its own keeps its rows in `cordee/<app>/tests/matrix.py`:
`ROWS` (URL name -> rows), `ADMIN_MODELS` (model label -> what the admin answers the coordinator)
and `populate(world)`, which creates the objects its rows need in `world.objects`. The matrix in
`cordee/core/tests/test_authorization_matrix.py` gathers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cordee.core.testing import Actors

LOGIN = "login"
REDIRECT = "redirect"
ROLES = [
    "visitor",
    "outsider",
    "member_user_a",
    "member_admin_a",
    "member_admin_b",
    "coordinator",
    "treasurer",
    "committee",
]


@dataclass
class World:
    actors: Actors
    candidate_pk: int
    objects: dict[str, Any] = field(default_factory=dict)


def everyone(status: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


def logged_in(status: Any) -> dict[str, Any]:
    return {**everyone(status), "visitor": LOGIN}


def coordinator_only(status: Any = 200) -> dict[str, Any]:
    return {**everyone(403), "visitor": LOGIN, "coordinator": status}


@dataclass(frozen=True)
class Row:
    url: Callable[[World], str]
    expect: dict[str, Any]
    method: str = "get"
    data: Callable[[World], Any] | None = None


# The admin's answers to the coordinator for a model whose rows are written by services only.
READ_ONLY: dict[str, int | None] = {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200}
