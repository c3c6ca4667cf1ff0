"""Good practices (*fiches bonnes pratiques*): what a member did, step by step, with its results and
what to watch out for, so that other members can do it too.

A sheet is written by the people of one or more member organisations (its authors), as a draft; they
submit it for review; the coordinator publishes it or sends it back with a note. Published, it is
shown to visitors (public) or to the people of member organisations only. Members comment, ask the
authors a question, or say "we tried it too" with a short testimony.

Rich-text fields hold HTML cleaned on save (`cordee.practices.richtext`): only a few harmless tags
survive, never a script. `search_text` holds the folded, French-stemmed words of the sheet for the
search on SQLite; PostgreSQL searches with its French configuration (`cordee.practices.search`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.network.models import Commune, Organisation


class Theme(models.TextChoices):
    MOBILITY = "mobility", _("Mobility in mountain areas")
    FOOD = "food", _("Short food supply chains")
    EMPLOYMENT = "employment", _("Shared employment")
    TOURISM = "tourism", _("Seasonal tourism")
    CULTURE = "culture", _("Culture")
    INCLUSION = "inclusion", _("Inclusion through work")
    ENVIRONMENT = "environment", _("Energy and environment")
    POOLING = "pooling", _("Pooling and cooperation")


class Practice(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("practice", "draft")
        REVIEW = "review", pgettext_lazy("practice", "in review")
        PUBLISHED = "published", pgettext_lazy("practice", "published")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("everyone")
        MEMBERS = "members", _("members of the hub only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    context = models.TextField(_("context"), blank=True)
    steps = models.TextField(_("what was done, step by step"))
    results = models.TextField(_("results and figures"), blank=True)
    watch_out = models.TextField(_("what to watch out for"), blank=True)
    cost_cents = models.BigIntegerField(_("cost (cents)"), null=True, blank=True)
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="practices", verbose_name=_("organisations that did it")
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    review_note = models.TextField(_("reviewer's note"), blank=True, max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    read_count = models.PositiveIntegerField(_("times read"), default=0, editable=False)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["draft", "review", "published"]), name="practices_practice_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]), name="practices_practice_visibility_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="practices_practice_published_dated",
            ),
            models.CheckConstraint(
                condition=Q(cost_cents__isnull=True) | Q(cost_cents__gte=0), name="practices_practice_cost_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["state", "visibility"], name="practices_state_visibility")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:practice", args=[self.slug])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ReadDay(models.Model):
    """How many times a sheet was read on one day (Europe/Paris), for the reports per period:
    `Practice.read_count` only keeps the total. Incremented with the total, by
    `services.sheets.practice_record_read`."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="read_days", verbose_name=_("good practice")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("times read"), default=0)

    class Meta:
        verbose_name = _("readings of a day")
        verbose_name_plural = _("readings per day")
        ordering = ["practice", "day"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "day"], name="practices_read_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.practice} {self.day}: {self.count}"


class Attachment(models.Model):
    """A file of a sheet: PDF, image or office document, checked on upload (size, type, and that its
    content is what its name says)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("good practice")
    )
    file = models.FileField(_("file"), upload_to="practices/%Y/")
    label = models.CharField(_("label"), max_length=120)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["practice", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.label


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        QUESTION = "question", _("question to the authors")
        TRIED = "tried", _("we tried it too")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="comments", verbose_name=_("good practice")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("text"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["practice", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["comment", "question", "tried"]), name="practices_comment_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.text[:40]}"
