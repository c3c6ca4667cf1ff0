"""The network of actors: the territory, member organisations, their membership and people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    """A commune of the territory, from INSEE's Code officiel géographique."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["search_name"]

    def __str__(self) -> str:
        return self.name


class LegalForm(models.Model):
    """An INSEE catégorie juridique, level III (4 digits)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    label = models.CharField(_("label"), max_length=200)
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Sector(models.Model):
    """A field of activity, as the hub groups its members (editable by the coordinator)."""

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Family(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Cooperative")
    MUTUAL = "mutual", _("Mutual")
    FOUNDATION = "foundation", _("Foundation")
    ESUS_COMPANY = "esus_company", _("ESUS company")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    OTHER_COMPANY = "other_company", _("Other company")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only our organisation and the hub's staff")
    MEMBERS = "members", _("Members of the hub")
    PUBLIC = "public", _("Everyone (public)")


# The blocks of fields whose visibility a member chooses. The listing block decides whether
# the organisation appears in the directory at all; the others are shown only with it.
VISIBILITY_BLOCKS: dict[str, tuple[str, ...]] = {
    "listing": ("name", "family", "sector", "commune"),
    "profile": ("description", "logo", "founding_year", "website"),
    "contact": ("address", "postal_code", "email", "phone"),
    "identifiers": ("legal_form", "siren", "siret", "rna", "naf"),
    "figures": ("employees", "volunteers"),
}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in the directory"), max_length=80, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    legal_form = models.ForeignKey(
        LegalForm, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("legal form")
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sector"))
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rna = models.CharField(_("RNA number"), max_length=10, blank=True)
    naf = models.CharField(_("NAF/APE code"), max_length=6, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=250, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    founding_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)

    listing_visibility = models.CharField(
        _("appearance in the directory"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    profile_visibility = models.CharField(
        _("presentation (description, logo, website)"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    contact_visibility = models.CharField(
        _("contact details"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    identifiers_visibility = models.CharField(
        _("legal identifiers"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    figures_visibility = models.CharField(
        _("employees and volunteers"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )

    search_text = models.TextField(editable=False, default="")
    # The name folded (no accents, lower case), so that "École" sorts among the E on every database.
    sort_name = models.CharField(max_length=200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="network_org_siret_unique"),
            models.UniqueConstraint(fields=["rna"], condition=~Q(rna=""), name="network_org_rna_unique"),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siren="") | Q(siret__startswith=models.F("siren")),
                name="network_org_siret_matches_siren",
            ),
            models.CheckConstraint(condition=Q(family__in=[f.value for f in Family]), name="network_org_family_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation", args=[self.slug])

    def visibility_of(self, block: str) -> str:
        return str(getattr(self, f"{block}_visibility"))


class Membership(models.Model):
    """The organisation's membership of the hub (adhésion), one per organisation."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        LEFT = "left", _("left")
        REJECTED = "rejected", _("rejected")

    class Circle(models.TextChoices):
        FOUNDING = "founding", _("founding member")
        MEMBER = "member", _("member")
        PARTNER = "partner", _("partner")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="membership", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    circle = models.CharField(_("circle"), max_length=10, choices=Circle.choices, default=Circle.MEMBER)
    applied_on = models.DateField(_("applied on"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["candidate", "active", "suspended", "left", "rejected"]),
                name="network_membership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="candidate") | Q(status="rejected") | Q(joined_on__isnull=False),
                name="network_membership_joined_when_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_status_display()}"


class AnnualFee(models.Model):
    """The annual membership fee (cotisation) of one organisation for one year, in cents."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fees", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual fee")
        verbose_name_plural = _("annual fees")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="network_fee_one_per_year"),
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="network_fee_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class Affiliation(models.Model):
    """A person's role in a member organisation: member user or member admin (référent)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member user")
        ADMIN = "admin", _("member admin (référent)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("position"), max_length=100, blank=True)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organisation__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="network_affiliation_unique"),
            models.CheckConstraint(condition=Q(role__in=["member", "admin"]), name="network_affiliation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation} ({self.get_role_display()})"
