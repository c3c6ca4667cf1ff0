from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from cordee.core.tasks import send_email

_silenced: ContextVar[bool] = ContextVar("cordee_mail_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """No e-mail is sent from inside: for loading the demo, whose people must not be written to."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def is_silenced() -> bool:
    """Whether e-mails are off here: work done only to find whom to write to can be skipped."""
    return _silenced.get()


def email_after_commit(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` now, send once the transaction commits.

    Nothing is sent if the transaction that asked for it rolls back.
    """
    recipients = [address for address in to if address]
    if not recipients or _silenced.get():
        return
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(to=recipients, subject=subject, body=body))
