from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; runs in the task worker (or at once in the demo)."""
    return send_mail(subject, body, None, to)
