"""The demo hub's good practices, loaded through their services: the sheets of `practices_data`
(published, in the coordinator's review queue, or drafts), and what members said of them.

Each sheet is written and submitted by its contact person when they belong to every organisation
that did it, else by the coordinator on their behalf (as when a joint sheet is sent in by e-mail);
the demo coordinator publishes it, or sends one draft back with a note. The services clean the HTML
and compute the search words. Then the story's dates and read counts are set: the sheets were
published over the past months, not this morning. Comments, questions and "we tried it too" go
through their service too, by people of other member organisations.

Like the skills exchange's demo, it runs after the rest of the demo has committed (the services are
durable transactions). Sheets are found by slug and comments by sheet, author and kind: a second
run creates nothing. No e-mail is sent while loading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cordee.core import permissions
from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.data import DEMO_ACCOUNTS
from cordee.demo.practices_data import COMMENTS, PRACTICES, DemoComment, DemoPractice
from cordee.network.models import Organisation
from cordee.practices.models import Comment, Practice, ReadDay
from cordee.practices.services.comments import comment_create
from cordee.practices.services.sheets import practice_create, practice_publish, practice_send_back, practice_submit

COORDINATOR_EMAIL = next(account.email for account in DEMO_ACCOUNTS if account.hub_role == "coordinator")


@dataclass
class PracticesSummary:
    published: int = 0
    members_only: int = 0  # of the published
    in_review: int = 0
    drafts: int = 0
    comments: int = 0
    practices_created: int = 0
    comments_created: int = 0

    @property
    def created(self) -> int:
        return self.practices_created + self.comments_created


def load_practices() -> PracticesSummary:
    """Load whatever of the demo's good practices is missing. Call it outside any transaction."""
    summary = PracticesSummary()
    with silenced():
        _Loader(summary).run()
    sheets = Practice.objects.all()
    summary.published = sheets.filter(state=Practice.State.PUBLISHED).count()
    summary.members_only = sheets.filter(state=Practice.State.PUBLISHED, visibility=Practice.Visibility.MEMBERS).count()
    summary.in_review = sheets.filter(state=Practice.State.REVIEW).count()
    summary.drafts = sheets.filter(state=Practice.State.DRAFT).count()
    summary.comments = Comment.objects.count()
    return summary


class _Loader:
    def __init__(self, summary: PracticesSummary) -> None:
        self.summary = summary
        self.now = timezone.now()
        self.coordinator = User.objects.get(email=COORDINATOR_EMAIL)
        names = {name for entry in PRACTICES for name in entry.organisations} | {c.organisation for c in COMMENTS}
        self.organisations = {
            organisation.name: organisation
            for organisation in Organisation.objects.filter(name__in=names).select_related("commune")
        }

    def run(self) -> None:
        existing = set(
            Practice.objects.filter(slug__in=[entry.slug for entry in PRACTICES]).values_list("slug", flat=True)
        )
        for entry in PRACTICES:
            # An organisation renamed since the demo was loaded: its sheets are left out.
            if entry.slug not in existing and all(name in self.organisations for name in entry.organisations):
                self._practice(entry)
        for comment in COMMENTS:
            self._comment(comment)

    def _person(self, full_name: str, organisations: list[Organisation]) -> User | None:
        return (
            User.objects.filter(affiliations__organisation__in=organisations, full_name=full_name, is_active=True)
            .order_by("pk")
            .first()
        )

    def _practice(self, entry: DemoPractice) -> None:
        organisations = [self.organisations[name] for name in entry.organisations]
        contact = self._person(entry.contact, organisations)
        actor = self.coordinator
        if contact is not None and permissions.can_write_practices(contact):
            roles = permissions.actor_for(contact)
            if all(roles.belongs_to(organisation.pk) for organisation in organisations):
                actor = contact
        practice = practice_create(
            actor=actor,
            organisations=organisations,
            title=entry.title,
            summary=entry.summary,
            context=entry.context,
            steps=entry.steps,
            results=entry.results,
            watch_out=entry.watch_out,
            cost_cents=entry.cost_cents,
            cost_note=entry.cost_note,
            theme=entry.theme,
            tags=entry.tags,
            commune=organisations[0].commune,
            contact_name=contact.full_name if contact is not None else entry.contact,
            contact_email=contact.email if contact is not None else "",
            visibility=entry.visibility,
        )
        # The demo's own address, by which a second run finds the sheet, before anything can fail.
        Practice.objects.filter(pk=practice.pk).update(slug=entry.slug)
        self.summary.practices_created += 1
        if entry.state != Practice.State.DRAFT or entry.review_note:
            practice = practice_submit(actor=actor, practice=practice)
        if entry.review_note:
            practice = practice_send_back(actor=self.coordinator, practice=practice, note=entry.review_note)
        if entry.state == Practice.State.PUBLISHED:
            practice = practice_publish(actor=self.coordinator, practice=practice)
        # Back-date the story: written, submitted and published over the past months.
        day = self.now - dt.timedelta(days=entry.days_ago)
        dates: dict[str, object] = {"author": contact or actor, "read_count": entry.read_count}
        if entry.state == Practice.State.PUBLISHED:
            dates |= {
                "created_at": day - dt.timedelta(days=12),
                "submitted_at": day - dt.timedelta(days=3),
                "published_at": day,
                "updated_at": day,
            }
        elif entry.state == Practice.State.REVIEW:
            dates |= {"created_at": day - dt.timedelta(days=5), "submitted_at": day, "updated_at": day}
        elif entry.review_note:
            sent_back = {"created_at": day - dt.timedelta(days=9), "submitted_at": day - dt.timedelta(days=4)}
            dates |= sent_back | {"updated_at": day}
        else:
            dates |= {"created_at": day, "updated_at": day}
        Practice.objects.filter(pk=practice.pk).update(**dates)
        if entry.state == Practice.State.PUBLISHED:
            _spread_readings(practice, entry.read_count, since=timezone.localdate(day))

    def _comment(self, entry: DemoComment) -> None:
        practice = Practice.objects.filter(slug=entry.practice, state=Practice.State.PUBLISHED).first()
        organisation = self.organisations.get(entry.organisation)
        author = self._person(entry.author, [organisation]) if organisation is not None else None
        if practice is None or author is None:
            return
        if Comment.objects.filter(practice=practice, author=author, kind=entry.kind).exists():
            return
        comment = comment_create(
            actor=author,
            practice=practice,
            kind=entry.kind,
            text=entry.text,
            organisation=organisation if entry.kind == Comment.Kind.TRIED else None,
        )
        written_at = self.now - dt.timedelta(days=entry.days_ago)
        Comment.objects.filter(pk=comment.pk).update(created_at=written_at)
        self.summary.comments_created += 1


def _spread_readings(practice: Practice, total: int, *, since: dt.date) -> None:
    """The sheet's readings day by day (the reports count them per period), spread evenly over the
    weeks since it was published: one day a week, the remainder on the first weeks."""
    today = timezone.localdate()
    days = [since + dt.timedelta(weeks=n) for n in range(max(1, (today - since).days // 7 + 1))]
    days = [day for day in days if day <= today] or [today]
    share, remainder = divmod(total, len(days))
    ReadDay.objects.bulk_create(
        [
            ReadDay(practice=practice, day=day, count=share + (1 if n < remainder else 0))
            for n, day in enumerate(days)
            if share + (1 if n < remainder else 0)
        ]
    )
