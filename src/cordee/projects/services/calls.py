"""Calls for projects: the coordinator writes them (a draft), publishes them, and changes them.

A call is a draft until published; once published its phase follows from its dates (see
`cordee.projects.phases`). Publication needs a complete call: its texts, a scoring grid of at least
one criterion, a committee. The grid cannot change once a member of the committee has scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.governance.models import Body
from cordee.practices.richtext import clean_html, plain_text
from cordee.projects.models import Call, Criterion, Score

MAX_CENTS = 100_000_000_00  # 100 million euros: beyond, a typing mistake
RICH_TEXT_MAX_LENGTH = 30_000
MAX_QUESTIONS = 30
MAX_CRITERIA = 12
QUESTION_KINDS = ("text", "long", "number", "yesno")
SLUG_BASE_LENGTH = 70
# Words of the addresses under /appels-a-projets/ that a call's address must not take.
RESERVED_SLUGS = frozenset({"nouveau", "api", "candidatures"})


@dataclass(frozen=True)
class CriterionInput:
    label: str
    weight: int
    description: str = ""


def _length(field: str) -> int:
    return int(getattr(Call._meta.get_field(field), "max_length", None) or 0)


def _required(field: str, message: str) -> DomainError:
    return DomainError(message, field=field, code="required")


def question_key(label: str, taken: Iterable[str]) -> str:
    base = slugify(label)[:40].replace("-", "_") or "question"
    used = set(taken)
    key, n = base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    return key


def clean_form_fields(fields: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The questions of the application form, checked: a label, a known kind, unique keys."""
    if len(fields) > MAX_QUESTIONS:
        raise DomainError(
            _("A call asks at most %(n)s questions.") % {"n": MAX_QUESTIONS}, field="form_fields", code="too_many"
        )
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(fields, start=1):
        label = " ".join(str(item.get("label", "")).split())
        if not label or len(label) > 200:
            raise DomainError(
                _("Question %(n)s: its label must be 1 to 200 characters long.") % {"n": index},
                field="form_fields",
                code="label",
            )
        kind = str(item.get("kind") or "text")
        if kind not in QUESTION_KINDS:
            raise DomainError(
                _("Question %(n)s: the kind of answer must be one of %(kinds)s.")
                % {"n": index, "kinds": ", ".join(QUESTION_KINDS)},
                field="form_fields",
                code="kind",
            )
        key = str(item.get("key") or "") or question_key(label, (q["key"] for q in cleaned))
        if key in {q["key"] for q in cleaned}:
            key = question_key(label, (q["key"] for q in cleaned))
        cleaned.append(
            {
                "key": key[:50],
                "label": label,
                "help": " ".join(str(item.get("help", "")).split())[:300],
                "kind": kind,
                "required": bool(item.get("required", False)),
            }
        )
    return cleaned


def _clean_criteria(criteria: Sequence[CriterionInput]) -> list[CriterionInput]:
    if len(criteria) > MAX_CRITERIA:
        raise DomainError(
            _("A scoring grid has at most %(n)s criteria.") % {"n": MAX_CRITERIA}, field="criteria", code="too_many"
        )
    cleaned = []
    for index, criterion in enumerate(criteria, start=1):
        label = " ".join((criterion.label or "").split())
        if not label or len(label) > 200:
            raise DomainError(
                _("Criterion %(n)s: its label must be 1 to 200 characters long.") % {"n": index},
                field="criteria",
                code="label",
            )
        if (
            not isinstance(criterion.weight, int)
            or isinstance(criterion.weight, bool)
            or not 1 <= criterion.weight <= 100
        ):
            raise DomainError(
                _("Criterion %(n)s (%(label)s): its weight must be a whole number from 1 to 100.")
                % {"n": index, "label": label},
                field="criteria",
                code="weight",
            )
        cleaned.append(
            CriterionInput(label=label, weight=criterion.weight, description=(criterion.description or "").strip())
        )
    return cleaned


def _money(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_CENTS:
        messages = {
            "envelope_cents": _("The budget envelope must be an amount greater than zero."),
            "max_request_cents": _("The largest request must be an amount greater than zero (or left empty)."),
        }
        raise DomainError(messages[field], field=field, code="amount")
    return value


def _clean(
    *,
    title: str,
    summary: str,
    text: str,
    envelope_cents: int,
    max_request_cents: int | None,
    max_share_percent: int,
    eligibility: str,
    members_only: bool,
    form_fields: Sequence[Mapping[str, Any]],
    criteria: Sequence[CriterionInput],
    score_max: int,
    opens_on: dt.date,
    closes_on: dt.date,
    committee: Body | None,
) -> tuple[dict[str, Any], list[CriterionInput]]:
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= _length("title"):
        raise DomainError(
            _("The title must be %(min)s to %(max)s characters long.") % {"min": 5, "max": _length("title")},
            field="title",
            code="length",
        )
    summary = plain_text(summary or "")
    if not summary:
        raise _required("summary", _("Sum the call up in a few sentences."))
    if len(summary) > 600:
        raise DomainError(
            _("This field must be at most %(max)s characters long.") % {"max": 600}, field="summary", code="length"
        )
    for name, value in (("text", text), ("eligibility", eligibility)):
        if len(value or "") > RICH_TEXT_MAX_LENGTH:
            raise DomainError(
                _("This field must be at most %(max)s characters long.") % {"max": RICH_TEXT_MAX_LENGTH},
                field=name,
                code="length",
            )
    text, eligibility = clean_html(text or ""), clean_html(eligibility or "")
    if not plain_text(text):
        raise _required("text", _("Write the text of the call."))
    if not plain_text(eligibility):
        raise _required("eligibility", _("Say who may apply: the eligibility rules."))
    envelope = _money(envelope_cents, "envelope_cents")
    max_request = _money(max_request_cents, "max_request_cents", optional=True)
    if max_request is not None and envelope is not None and max_request > envelope:
        raise DomainError(
            _("The largest request cannot be above the budget envelope."), field="max_request_cents", code="above"
        )
    if not isinstance(max_share_percent, int) or not 1 <= max_share_percent <= 100:
        raise DomainError(
            _("The largest share of the budget is a whole percentage from 1 to 100."),
            field="max_share_percent",
            code="range",
        )
    if not isinstance(score_max, int) or not 1 <= score_max <= 100:
        raise DomainError(
            _("The highest score per criterion is a whole number from 1 to 100."), field="score_max", code="range"
        )
    if opens_on is None:
        raise _required("opens_on", _("Give the day the call opens."))
    if closes_on is None:
        raise _required("closes_on", _("Give the day the call closes."))
    if closes_on < opens_on:
        raise DomainError(_("The call cannot close before it opens."), field="closes_on", code="before_opening")
    if committee is None:
        raise _required("committee", _("Choose the committee that decides."))
    if committee.kind != Body.Kind.COMMITTEE:
        raise DomainError(
            _("The body that decides must be a committee, not %(name)s.") % {"name": committee.name},
            field="committee",
            code="not_committee",
        )
    fields = {
        "title": title,
        "summary": summary,
        "text": text,
        "envelope_cents": envelope,
        "max_request_cents": max_request,
        "max_share_percent": max_share_percent,
        "eligibility": eligibility,
        "members_only": bool(members_only),
        "form_fields": clean_form_fields(form_fields or []),
        "score_max": score_max,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "committee": committee,
    }
    return fields, _clean_criteria(criteria or [])


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:SLUG_BASE_LENGTH].strip("-") or "appel"
    existing = Call.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _write_criteria(call: Call, criteria: Sequence[CriterionInput]) -> None:
    current = [(c.label, c.weight, c.description) for c in call.criteria.all()]
    wanted = [(c.label, c.weight, c.description) for c in criteria]
    if current == wanted:
        return
    if Score.objects.filter(criterion__call=call).exists():
        raise DomainError(
            _("The scoring grid cannot change: the committee has started scoring."), field="criteria", code="scored"
        )
    call.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(call=call, position=i, label=c.label, weight=c.weight, description=c.description)
        for i, c in enumerate(criteria)
    )


def _check_publishable(call: Call, criteria_count: int) -> None:
    if criteria_count == 0:
        raise DomainError(
            _("A call is published with its scoring grid: add at least one criterion."),
            field="criteria",
            code="no_criterion",
        )


@transaction.atomic(durable=True)
def call_create(*, actor: User, criteria: Sequence[CriterionInput] = (), **fields: Any) -> Call:
    """A draft call. `fields`: title, summary, text, envelope_cents, max_request_cents,
    max_share_percent, eligibility, members_only, form_fields, score_max, opens_on, closes_on,
    committee."""
    if not permissions.can_manage_calls(actor):
        raise NotAllowed(_("Only the coordinator sets up calls for projects."))
    values, grid = _clean(criteria=criteria, **_with_defaults(fields))
    call = Call.objects.create(**values, slug=unique_slug(values["title"]), created_by=actor, state=Call.State.DRAFT)
    _write_criteria(call, grid)
    audit(actor=actor, action="projects.call.create", target=call, title=call.title)
    return call


def _with_defaults(fields: Mapping[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "max_request_cents": None,
        "max_share_percent": 100,
        "members_only": True,
        "form_fields": [],
        "score_max": 5,
    }
    unknown = set(fields) - {
        "title",
        "summary",
        "text",
        "envelope_cents",
        "max_request_cents",
        "max_share_percent",
        "eligibility",
        "members_only",
        "form_fields",
        "score_max",
        "opens_on",
        "closes_on",
        "committee",
    }
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    return {**defaults, **fields}


@transaction.atomic(durable=True)
def call_update(*, actor: User, call: Call, criteria: Sequence[CriterionInput] = (), **fields: Any) -> Call:
    """Change a call (all its fields, as call_create). A published call stays publishable."""
    if not permissions.can_manage_calls(actor):
        raise NotAllowed(_("Only the coordinator sets up calls for projects."))
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.state == Call.State.ARCHIVED:
        raise DomainError(_("An archived call cannot change."), code="archived")
    values, grid = _clean(criteria=criteria, **_with_defaults(fields))
    if call.state == Call.State.PUBLISHED:
        _check_publishable(call, len(grid))
    for name, value in values.items():
        setattr(call, name, value)
    call.save()
    _write_criteria(call, grid)
    audit(actor=actor, action="projects.call.update", target=call, title=call.title)
    return call


@transaction.atomic(durable=True)
def call_publish(*, actor: User, call: Call, today: dt.date | None = None) -> Call:
    """Publish a draft call: it is announced, then open from its opening day. `today`: the day it
    is published (today by default)."""
    if not permissions.can_manage_calls(actor):
        raise NotAllowed(_("Only the coordinator publishes calls for projects."))
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.state != Call.State.DRAFT:
        raise DomainError(_("This call is already published."), code="state")
    _check_publishable(call, call.criteria.count())
    if call.closes_on < (today or timezone.localdate()):
        raise DomainError(
            _("The closing day is past: change the dates before publishing."), field="closes_on", code="past"
        )
    call.state = Call.State.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["state", "published_at"])
    audit(actor=actor, action="projects.call.publish", target=call, title=call.title)
    return call
