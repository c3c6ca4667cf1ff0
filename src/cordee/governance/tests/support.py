"""Helpers of the governance tests: a body with as many members as a case needs, in one call."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from cordee.core.models import AuditEvent, User
from cordee.core.testing import Actors, make_person
from cordee.governance import services
from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.network.models import Organisation

START = dt.date(2026, 1, 1)
_people = itertools.count(1)


def body(actors: Actors, *, quorum: int = 50, majority: str = "simple", name: str = "Comité d'engagement") -> Body:
    return services.body_create(
        actor=actors.coordinator, kind="committee", name=name, quorum_percent=quorum, majority=majority
    )


def seat(
    actors: Actors,
    body: Body,
    person: User,
    organisation: Organisation | None = None,
    *,
    starts_on: dt.date = START,
    ends_on: dt.date | None = None,
) -> BodyMember:
    return services.seat_add(
        actor=actors.coordinator,
        body=body,
        person=person,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def members(actors: Actors, body: Body, n: int, organisation: Organisation | None = None) -> list[User]:
    """n new people, each with a seat on the body (sitting for the organisation, if given)."""
    people = []
    for _ in range(n):
        k = next(_people)
        person = make_person(f"membre{k}@example.org", f"Membre {k:03d}")
        seat(actors, body, person, organisation)
        people.append(person)
    return people


def open_decision(actors: Actors, body: Body, *, concerned: Iterable[Organisation] = (), **kwargs: Any) -> Decision:
    return services.decision_open(
        actor=actors.coordinator, body=body, title="Avance de trésorerie", concerned=concerned, **kwargs
    )


def vote_all(decision: Decision, people: list[User], choices: str) -> None:
    """choices: one letter per person, f(or), a(gainst), s(abstain)."""
    letters = {"f": Vote.Choice.FOR, "a": Vote.Choice.AGAINST, "s": Vote.Choice.ABSTAIN}
    for person, letter in zip(people, choices, strict=False):
        services.vote_cast(actor=person, decision=decision, choice=letters[letter])


def snapshot() -> tuple[int, int, list[tuple[int, str, str]], list[tuple[int, str]]]:
    """What a refused service must leave as it was."""
    return (
        Vote.objects.count(),
        AuditEvent.objects.count(),
        list(Vote.objects.order_by("pk").values_list("pk", "choice", "comment")),
        list(Decision.objects.order_by("pk").values_list("pk", "status")),
    )
