from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from tqdm import tqdm

from cordee.core.errors import NotAllowed
from cordee.core.models import HubRole, User
from cordee.network.importing import CellError, import_file


def _describe(error: CellError) -> str:
    if not error.column:
        return f"row {error.row}: {error.reason}"
    return f"row {error.row}, column {error.column}, value {error.value}: {error.reason}"


class Command(BaseCommand):
    help = (
        "Import member organisations from a CSV (comma or semicolon) or XLSX file with a header row. "
        "Every row is checked first: all rows are imported, or none, and each refused cell is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="actor_email",
            metavar="EMAIL",
            help="e-mail of the coordinator account the import is recorded under "
            "(default: the first active technical administrator or coordinator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        actor = self._actor(options.get("actor_email"))
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc

        def progress(rows: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(rows, total=total, desc="organisations", unit="row", disable=None)

        try:
            report = import_file(actor=actor, content=content, filename=path.name, progress=progress)
        except NotAllowed as exc:
            raise CommandError(f"{actor.email} is not a coordinator: {exc.message}") from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(_describe(error))
            raise CommandError(f"{path}: {len(report.errors)} refused cell(s), nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{report.created} organisations imported."))

    def _actor(self, email: str | None) -> User:
        if email:
            actor = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account has the e-mail {email}.")
            return actor
        actor = (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(hub_roles__role=HubRole.Role.COORDINATOR))
            .order_by("pk")
            .first()
        )
        if actor is None:
            raise CommandError("No coordinator account yet: create one, or name one with --as EMAIL.")
        return actor
