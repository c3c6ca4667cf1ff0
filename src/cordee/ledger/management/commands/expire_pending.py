from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cordee.ledger.posting import pending_expire


class Command(BaseCommand):
    help = (
        "Expire the pending transfers whose timeout has passed (frees what they reserved). "
        "Run it every few minutes from cron or a systemd timer; running it twice changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while True:
            expired = pending_expire()
            total += expired
            if expired == 0:
                break
        self.stdout.write(f"{total} pending transfers expired.")
