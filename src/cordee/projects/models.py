"""Calls for projects and the territorial actions the hub funds.

The coordinator opens a call (*appel à projets*): its text, budget envelope, eligibility rules, the
questions of its application form, a scoring grid (criteria with weights), opening and closing
days, and the committee (a governance body) that decides. A member organisation applies, alone or
with partners: description, territory, a budget whose expense lines and resource lines (co-funding)
add up, the amount asked of the hub, expected indicators; the application stays a draft until
submitted, and only before the call closes.

Review: the coordinator checks eligibility; each member of the committee scores the grid, except
on an application of the organisation they sit for (conflict of interest); the committee decides
through the governance machinery (one decision per application); the ranking and the envelope are
shown side by side; applicants are told the decision and its reasons.

A funded application becomes an action: an agreement (PDF), tranches paid from the hub's fund to
the ledger, each tied to a milestone whose progress goes from 0 to 100 %, reports uploaded by the
member, and indicators planned and reached. Actions are listed on a public page and on a map.

Money is in integer cents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.governance.models import Body, Decision
from cordee.network.models import Commune, Organisation


class Call(models.Model):
    """A call for projects. Its state follows from its dates once published: announced before
    `opens_on`, open from `opens_on` to `closes_on` included, then closed (review and decisions);
    `archived` once every application has its decision."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("call", "draft")
        PUBLISHED = "published", pgettext_lazy("call", "published")
        ARCHIVED = "archived", pgettext_lazy("call", "archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    text = models.TextField(_("text of the call"))  # rich text, cleaned on save
    envelope_cents = models.BigIntegerField(_("budget envelope (cents)"))
    max_request_cents = models.BigIntegerField(
        _("largest amount one application may ask (cents)"), null=True, blank=True
    )
    # Share of the action's budget the hub may fund at most, in whole percent (100: no limit).
    max_share_percent = models.PositiveSmallIntegerField(_("largest share of the budget (%)"), default=100)
    eligibility = models.TextField(_("eligibility rules"))  # rich text, cleaned on save
    # Member organisations only (the usual case) or any organisation of the directory.
    members_only = models.BooleanField(_("open to member organisations only"), default=True)
    # Extra questions of the application form:
    # [{"key", "label", "help", "kind": "text"|"long"|"number"|"yesno", "required"}].
    form_fields = models.JSONField(_("questions of the application form"), default=list, blank=True)
    # Largest score a member of the committee may give on each criterion (0 to score_max).
    score_max = models.PositiveSmallIntegerField(_("highest score per criterion"), default=5)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    committee = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="calls", verbose_name=_("committee that decides")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(envelope_cents__gt=0), name="projects_call_envelope_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="projects_call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_share_percent__gte=1) & Q(max_share_percent__lte=100), name="projects_call_share_1_100"
            ),
            models.CheckConstraint(
                condition=Q(score_max__gte=1) & Q(score_max__lte=100), name="projects_call_score_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what the committee looks at"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="projects_criterion_weight_positive")]

    def __str__(self) -> str:
        return self.label


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application", "draft")
        SUBMITTED = "submitted", pgettext_lazy("application", "submitted")
        INELIGIBLE = "ineligible", pgettext_lazy("application", "not eligible")
        ELIGIBLE = "eligible", pgettext_lazy("application", "eligible, in review")
        FUNDED = "funded", pgettext_lazy("application", "funded")
        REJECTED = "rejected", pgettext_lazy("application", "not funded")
        WITHDRAWN = "withdrawn", pgettext_lazy("application", "withdrawn")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    number = models.CharField(_("number"), max_length=20, blank=True)  # given on submission: AAP-2026-01-003
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("lead organisation")
    )
    title = models.CharField(_("title of the action"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"))  # rich text, cleaned on save
    communes = models.ManyToManyField(Commune, blank=True, related_name="+", verbose_name=_("communes concerned"))
    territory = models.CharField(_("territory"), max_length=300, blank=True)
    starts_on = models.DateField(_("action starts on"), null=True, blank=True)
    ends_on = models.DateField(_("action ends on"), null=True, blank=True)
    requested_cents = models.BigIntegerField(_("amount asked of the hub (cents)"), default=0)
    answers = models.JSONField(_("answers to the call's questions"), default=dict, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact person")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    eligibility_note = models.TextField(_("eligibility: the coordinator's note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    # The committee's decision on it (governance), and what it granted.
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("decision"),
    )
    granted_cents = models.BigIntegerField(_("amount granted (cents)"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons given to the applicant"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_cents__gte=0), name="projects_application_request_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(granted_cents__isnull=True) | Q(granted_cents__gt=0),
                name="projects_application_grant_positive",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="projects_application_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:application", args=[self.pk])


class Partner(models.Model):
    """Another organisation carrying the action with the lead: a member of the directory, or named
    in full when it is not in the directory."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name (if not in the directory)"), max_length=200, blank=True)
    role = models.CharField(_("role in the action"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""), name="projects_partner_named"
            ),
            models.UniqueConstraint(
                fields=["application", "organisation"],
                condition=Q(organisation__isnull=False),
                name="projects_partner_once",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name if self.organisation is not None else self.name


class BudgetLine(models.Model):
    """One line of the action's budget. Expenses and resources must add up; the resource line
    `is_request` is what the hub is asked for (equal to the application's `requested_cents`)."""

    class Kind(models.TextChoices):
        EXPENSE = "expense", _("expense")
        RESOURCE = "resource", _("resource")

    class Status(models.TextChoices):
        # For resources: whether the co-funding is obtained, asked for, or the member's own.
        OWN = "own", _("own funds")
        OBTAINED = "obtained", _("obtained")
        REQUESTED = "requested", _("requested")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("line"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    is_request = models.BooleanField(_("asked of the hub"), default=False)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="projects_budget_line_positive"),
            models.CheckConstraint(
                condition=Q(is_request=False) | Q(kind="resource"), name="projects_budget_request_is_resource"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_request=True), name="projects_budget_one_request_line"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    """What the action should achieve, planned in the application and reached as the action goes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    planned = models.PositiveIntegerField(_("planned"))
    reached = models.PositiveIntegerField(_("reached"), null=True, blank=True)
    reached_note = models.CharField(_("about the figure reached"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["application", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Score(models.Model):
    """A committee member's score of one criterion of one application (0 to the call's score_max)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["application", "criterion", "scorer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "scorer"], name="projects_one_score_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.criterion}: {self.value}"


class Action(models.Model):
    """A funded application: the territorial action the hub follows until it ends."""

    class Status(models.TextChoices):
        AGREEMENT = "agreement", pgettext_lazy("action", "agreement to sign")
        IN_PROGRESS = "in_progress", pgettext_lazy("action", "in progress")
        COMPLETED = "completed", pgettext_lazy("action", "completed")
        ABANDONED = "abandoned", pgettext_lazy("action", "abandoned")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="action")
    number = models.CharField(_("agreement number"), max_length=20, unique=True)  # CONV-2026-004
    granted_cents = models.BigIntegerField(_("amount granted (cents)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AGREEMENT)
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    signed_by = models.CharField(_("signed for the member by"), max_length=150, blank=True)
    public = models.BooleanField(_("shown on the public page"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(pgettext_lazy("action", "closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("funded action")
        verbose_name_plural = _("funded actions")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(granted_cents__gt=0), name="projects_action_grant_positive")]

    def __str__(self) -> str:
        return self.application.title


class Milestone(models.Model):
    """A step of the action, with its progress from 0 to 100 % and the tranche paid when it is reached
    (0: no payment tied to it)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    tranche_cents = models.BigIntegerField(_("tranche paid at this milestone (cents)"), default=0)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action", "position", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="projects_milestone_progress_0_100"),
            models.CheckConstraint(condition=Q(tranche_cents__gte=0), name="projects_milestone_tranche_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    """A tranche paid to the member from the hub's fund, posted to the ledger. A record is never
    changed; a tranche paid in error is corrected by a reversal (a new row with `reverses`)."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="disbursements")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements"
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["action", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount_cents__gt=0))
                | (Q(reverses__isnull=False) & Q(amount_cents__lt=0)),
                name="projects_disbursement_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.amount_cents}"


def report_path(instance: Report, filename: str) -> str:
    return f"projects/reports/{instance.action_id}/{filename}"


class Report(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim report")
        FINAL = "final", _("final report")
        FINANCIAL = "financial", _("financial report")
        OTHER = "other", _("other document")

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=report_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["action", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title
