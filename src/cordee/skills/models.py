"""The skills exchange: what member organisations offer each other and what they look for.

- A `Listing` is an offer ("je mets à disposition") or a need ("je cherche") of a skill, a piece of
  equipment or a service, by one member organisation, with its terms: free, in time credits, or at
  a price in euros. `search_text` holds its folded and French-stemmed words, for matching on
  SQLite; PostgreSQL matches with its own French full-text search.
- An `Exchange` is one member helping another: proposed, accepted, done once both sides confirmed
  it, or cancelled. A done exchange in hours moves time credits on the ledger's HOURS unit (see
  `credits`); one in euros gets an internal invoice from the giver to the receiver.
- `Review`: each side's rating and short testimony once the exchange is done.
- `CreditSettings` (one row) holds the default floor and ceiling of every organisation's time
  credits; `CreditLimit` an organisation's own, when the coordinator set one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    OFFER = "offer", _("offer")
    NEED = "need", _("need")


class Nature(models.TextChoices):
    SKILL = "skill", _("skill")
    EQUIPMENT = "equipment", _("equipment")
    SERVICE = "service", _("service")


class Category(models.TextChoices):
    ACCOUNTING = "accounting", _("accounting and finance")
    LEGAL = "legal", _("legal and governance")
    HR = "hr", _("human resources")
    COMMUNICATION = "communication", _("communication")
    DIGITAL = "digital", _("digital and IT")
    TRAINING = "training", _("training and facilitation")
    EVENTS = "events", _("events")
    LOGISTICS = "logistics", _("logistics and transport")
    MAINTENANCE = "maintenance", _("maintenance and works")
    AGRICULTURE = "agriculture", _("agriculture and environment")
    CARE = "care", _("care and social support")
    OTHER = "other", _("other")


class Terms(models.TextChoices):
    FREE = "free", pgettext_lazy("skills terms", "free")
    HOURS = "hours", _("time credits")
    EUROS = "euros", _("price in euros")


class Listing(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    direction = models.CharField(_("offer or need"), max_length=5, choices=Direction.choices)
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="listings", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    commune = models.ForeignKey("network.Commune", on_delete=models.PROTECT, verbose_name=_("commune"))
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    terms = models.CharField(_("terms"), max_length=5, choices=Terms.choices)
    minutes = models.PositiveIntegerField(_("time credits (minutes)"), null=True, blank=True)
    price_cents = models.BigIntegerField(_("price (cents)"), null=True, blank=True)
    notify = models.BooleanField(
        _("notify me of matching offers"), default=True, help_text=_("For a need: an e-mail when a new offer matches.")
    )
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("skill listing")
        verbose_name_plural = _("skill listings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(terms="free", minutes__isnull=True, price_cents__isnull=True)
                | Q(terms="hours", minutes__gt=0, price_cents__isnull=True)
                | Q(terms="euros", minutes__isnull=True, price_cents__gt=0),
                name="skills_listing_terms_consistent",
            ),
        ]
        indexes = [models.Index(fields=["direction", "state", "category"], name="skills_listing_browse")]

    def __str__(self) -> str:
        return self.title


class Exchange(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("exchange state", "proposed")
        ACCEPTED = "accepted", pgettext_lazy("exchange state", "accepted")
        DONE = "done", pgettext_lazy("exchange state", "done")
        CANCELLED = "cancelled", pgettext_lazy("exchange state", "cancelled")

    offer = models.ForeignKey(
        Listing, on_delete=models.PROTECT, null=True, blank=True, related_name="exchanges_as_offer"
    )
    need = models.ForeignKey(Listing, on_delete=models.PROTECT, null=True, blank=True, related_name="exchanges_as_need")
    giver = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="exchanges_given", verbose_name=_("giver")
    )
    receiver = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="exchanges_received", verbose_name=_("receiver")
    )
    description = models.TextField(_("what is exchanged"), max_length=2000)
    terms = models.CharField(_("terms"), max_length=5, choices=Terms.choices)
    minutes = models.PositiveIntegerField(_("time credits (minutes)"), null=True, blank=True)
    price_cents = models.BigIntegerField(_("price (cents)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_by_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    giver_confirmed_at = models.DateTimeField(_("confirmed by the giver"), null=True, blank=True)
    receiver_confirmed_at = models.DateTimeField(_("confirmed by the receiver"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    transfer_id = models.UUIDField(null=True, blank=True, editable=False)
    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=models.F("receiver")), name="skills_exchange_two_parties"),
            models.CheckConstraint(
                condition=Q(terms="free", minutes__isnull=True, price_cents__isnull=True)
                | Q(terms="hours", minutes__gt=0, price_cents__isnull=True)
                | Q(terms="euros", minutes__isnull=True, price_cents__gt=0),
                name="skills_exchange_terms_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(done_on__isnull=False), name="skills_exchange_done_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(state="done", terms="hours") | Q(transfer_id__isnull=False),
                name="skills_exchange_hours_posted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver}"


class Review(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="reviews")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    testimony = models.CharField(_("testimony"), max_length=600, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["exchange", "organisation"], name="skills_review_one_per_side"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="skills_review_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} {self.rating}/5"


class CreditSettings(models.Model):
    """The hub's defaults for time credits (one row, pk 1)."""

    floor_minutes = models.IntegerField(_("floor (minutes)"), default=-20 * 60)
    ceiling_minutes = models.IntegerField(_("ceiling (minutes)"), default=40 * 60)

    class Meta:
        verbose_name = _("time credit settings")
        verbose_name_plural = _("time credit settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_minutes__lte=0, ceiling_minutes__gte=0), name="skills_settings_bounds_around_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.floor_minutes} / {self.ceiling_minutes}"

    @classmethod
    def current(cls) -> CreditSettings:
        return cls.objects.get_or_create(pk=1)[0]


class CreditLimit(models.Model):
    """An organisation's time-credit bounds as posted on the ledger (see `credits`)."""

    organisation = models.OneToOneField(
        "network.Organisation", on_delete=models.PROTECT, related_name="credit_limit", primary_key=True
    )
    floor_minutes = models.IntegerField(_("floor (minutes)"))
    ceiling_minutes = models.IntegerField(_("ceiling (minutes)"))
    custom = models.BooleanField(default=False, help_text=_("Set for this organisation, not the hub's default."))

    class Meta:
        verbose_name = _("time credit limit")
        verbose_name_plural = _("time credit limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_minutes__lte=0, ceiling_minutes__gte=0), name="skills_limit_bounds_around_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.floor_minutes} / {self.ceiling_minutes}"
