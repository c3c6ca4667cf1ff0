"""Bodies of the hub and the decisions they take by vote.

A body (the general assembly, the board, a committee) has members for a term; a member sits for
the organisation they come from. A decision is put to one body, about one subject (an advance, a
project, a rule change: any row, through the content types framework), and lists the
organisations it concerns: the members coming from those organisations are recused, they cannot
vote and do not count for the quorum. Each member votes once (and may change the vote until the
decision closes); closing counts the votes against the body's quorum and majority rules and freezes
the outcome with the figures it came from, so that a later change of the body's members or rules
does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation


class Body(models.Model):
    class Kind(models.TextChoices):
        GENERAL_ASSEMBLY = "assembly", _("General assembly")
        BOARD = "board", _("Board")
        COMMITTEE = "committee", _("Committee")

    class Majority(models.TextChoices):
        # More votes for than against; abstentions count for the quorum only.
        SIMPLE = "simple", _("Simple majority (more for than against)")
        # More than half of the votes cast, abstentions included.
        ABSOLUTE = "absolute", _("Absolute majority (more than half of the votes cast)")
        TWO_THIRDS = "two_thirds", _("Two thirds of the votes cast")
        UNANIMITY = "unanimity", _("Unanimity of the votes for or against")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Share of the members entitled to vote who must take part (abstaining counts as taking part).
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percentage of the members entitled to vote)"), default=50
    )
    majority = models.CharField(_("majority"), max_length=10, choices=Majority.choices, default=Majority.SIMPLE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="governance_body_quorum_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("body"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="body_seats", verbose_name=_("person")
    )
    # The organisation the person sits for: decisions concerning it recuse them. NULL: the hub's
    # own staff or a qualified person.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(_("role"), max_length=80, blank=True)
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "person", "starts_on"], name="governance_one_seat_per_term"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="governance_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.body}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal (for, against, abstain)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKED = "ranked", _("Ranked choice")
        SCORE = "score", _("Score")
        MEETING = "meeting", _("Meeting time")

    class Category(models.TextChoices):
        # What the register of decisions files it under.
        GENERAL = "general", _("General")
        ADVANCE = "advance", _("Treasury advance")
        PROJECT = "project", _("Call for projects")
        RULE_CHANGE = "rule_change", _("Rule change")
        MEMBERSHIP = "membership", _("Membership")
        BUDGET = "budget", _("Budget and accounts")
        ELECTION = "election", _("Election")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NO_QUORUM = "no_quorum", _("No quorum")
        # Polls: an option came first (`winning_option`), or several tied for first.
        DECIDED = "decided", _("Decided")
        TIE = "tie", _("Tie")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("body"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.GENERAL)
    # Multiple choice: how many options a voter may pick at most (NULL: as many as they like).
    max_choices = models.PositiveSmallIntegerField(_("most options a voter may choose"), null=True, blank=True)
    # Score: each option is scored from 0 to score_max.
    score_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    concerned = models.ManyToManyField(
        Organisation, blank=True, related_name="concerning_decisions", verbose_name=_("organisations concerned")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Frozen when the decision closes.
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    entitled_count = models.PositiveIntegerField(_("members entitled to vote"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    # Polls: the option that came first, and each option's figures, frozen at closing.
    winning_option = models.ForeignKey(
        "Option", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("option retained")
    )
    results = models.JSONField(_("results"), default=dict, blank=True)
    # Given when the decision closes: 2026-014, the 14th entry of 2026 in the register of decisions.
    register_number = models.CharField(_("register number"), max_length=12, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-opens_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(outcome="")),
                name="governance_outcome_iff_closed",
            ),
            models.UniqueConstraint(
                fields=["register_number"], condition=~Q(register_number=""), name="governance_register_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    """One of the options of a poll (every kind but the for/against proposal). For a meeting-time
    poll, an option is a slot: `starts_at` (and `ends_at`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options", verbose_name=_("decision"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("option"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["decision", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="votes", verbose_name=_("decision"))
    # A board or committee: the member's seat. A general assembly: the member organisation, one vote
    # each, cast by a person who represents it (`cast_by`).
    seat = models.ForeignKey(
        BodyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="votes", verbose_name=_("seat")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("member organisation"),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by"),
    )
    # Proposal: for, against, abstain. Polls: blank; the ballot is in `preferences`.
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="governance_one_vote_per_seat"),
            models.UniqueConstraint(
                fields=["decision", "organisation"],
                condition=Q(seat__isnull=True),
                name="governance_one_vote_per_member_organisation",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=False) | Q(organisation__isnull=False), name="governance_vote_has_a_voter"
            ),
        ]

    def __str__(self) -> str:
        voter = self.seat.person if self.seat is not None else self.organisation
        return f"{voter} — {self.get_choice_display() or self.decision.get_kind_display()}"


class Preference(models.Model):
    """A poll ballot's value for one option. Single and multiple choice: 1 for each option chosen;
    ranked: the rank (1 first); score: 0 to the decision's score_max; meeting time: 2 available,
    1 if need be, 0 not available."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("vote"))
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="preferences", verbose_name=_("option"))
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["vote", "option"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "option"], name="governance_one_preference_per_option"),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.value}"
