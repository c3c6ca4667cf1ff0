"""What the coordinator writes next to the figures: highlights, testimonies and pictures of a period.

The activity report for a period includes every entry whose dates overlap it, in the order of
their dates. An entry is the coordinator's text: it is changed or deleted like any page (its
history is in the audit trail), unlike the figures, which are always computed from the data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation


def picture_path(instance: Highlight, filename: str) -> str:
    return f"reporting/pictures/{filename}"


class Highlight(models.Model):
    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", _("highlight")
        TESTIMONY = "testimony", _("testimony")
        PICTURE = "picture", _("picture")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HIGHLIGHT)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=4000, blank=True)
    # A testimony's author, as they agreed to be named ("Marie, bénévole aux Jardins du Buëch").
    attribution = models.CharField(_("said by"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation concerned"),
    )
    picture = models.ImageField(_("picture"), upload_to=picture_path, blank=True)
    picture_alt = models.CharField(_("description of the picture"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("highlight")
        verbose_name_plural = _("highlights")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="reporting_highlight_dates"),
            models.CheckConstraint(
                condition=~Q(kind="picture") | ~Q(picture=""), name="reporting_picture_has_a_picture"
            ),
        ]

    def __str__(self) -> str:
        return self.title
