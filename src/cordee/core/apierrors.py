"""The one shape of a refused API request, for every router of `/api/v1/`.

A refusal names the rule (`code`) and the input (`field`) it concerns, with a message a person can
act on; `errors` lists each problem when there are several (every bad cell of an import, every
working-time limit a week breaks), or the one problem otherwise. One schema for all the routers
keeps the OpenAPI document true: schemas are named by class, and two routers with a `Refusal` of
their own would leave only one of them in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from ninja import Field, Schema

from cordee.core.errors import DomainError


class Problem(Schema):
    field: Annotated[str | None, Field(description="The input refused, when there is one")]
    code: Annotated[str, Field(description="The rule, e.g. daily_max, closed, exceeds_floor")] = ""
    message: str
    article: Annotated[str | None, Field(description="The legal article of the rule, when there is one")] = None
    day: Annotated[dt.date | None, Field(description="The day (or week) of the problem, when there is one")] = None


class Refusal(Schema):
    detail: str
    field: Annotated[str | None, Field(description="The input or rule refused")] = None
    code: Annotated[str, Field(description="e.g. closed, deadline, forbidden, insufficient_liquidity")] = ""
    errors: list[Problem]


def refusal(error: DomainError, problems: Sequence[Problem] = ()) -> Refusal:
    """The refusal of a `DomainError`; `problems` when it has several."""
    return Refusal(
        detail=error.message,
        field=error.field,
        code=error.code or "",
        errors=list(problems) or [Problem(field=error.field, code=error.code or "", message=error.message)],
    )


def refusal_status(error: DomainError) -> int:
    """403 when the rule is a permission, 422 otherwise."""
    return 403 if error.code == "forbidden" else 422
