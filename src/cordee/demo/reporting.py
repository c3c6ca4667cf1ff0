"""The demo's highlights and testimonies: what the coordinator writes next to the figures of the
activity report (a highlight of the spring, a testimony of the autumn, a picture of the pooled
hall), dated relative to today so the current year's report always has some.

Idempotent: a highlight is found again by its title."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.reporting.models import Highlight
from cordee.reporting.services import highlight_create

COORDINATOR_EMAIL = "animateur@demo.cordee.example"


@dataclass(frozen=True)
class DemoHighlight:
    kind: str
    title: str
    text: str
    days_ago: int  # the highlight's last day, counted back from today
    length_days: int
    attribution: str = ""
    organisation: str = ""  # the demo organisation's name, or ""


HIGHLIGHTS = [
    DemoHighlight(
        Highlight.Kind.HIGHLIGHT,
        "Trois associations sauvées d'une rupture de trésorerie",
        "La subvention régionale du festival, votée en mars, n'est arrivée qu'en juillet. Trois avances "
        "de la trésorerie solidaire ont permis de payer les salaires d'avril à juin ; elles sont "
        "remboursées depuis.",
        days_ago=120,
        length_days=90,
    ),
    DemoHighlight(
        Highlight.Kind.TESTIMONY,
        "« Sans le pôle, on aurait fermé l'atelier cet hiver »",
        "Le chauffage de l'atelier partagé et une salariée mise à disposition deux jours par semaine : "
        "c'est ce qui nous a permis de tenir jusqu'au printemps.",
        days_ago=40,
        length_days=30,
        attribution="Marie, bénévole",
        organisation="Jardins solidaires du Gapençais",
    ),
    DemoHighlight(
        Highlight.Kind.PICTURE,
        "La salle polyvalente mutualisée, le jour de l'assemblée générale",
        "Quarante structures réunies à Gap ; la salle est réservée par neuf membres chaque mois.",
        days_ago=200,
        length_days=1,
    ),
]


@dataclass
class ReportingSummary:
    highlights_created: int = 0

    @property
    def created(self) -> int:
        return self.highlights_created


def load_reporting() -> ReportingSummary:
    summary = ReportingSummary()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if coordinator is None:
        return summary
    today = timezone.localdate()
    for entry in HIGHLIGHTS:
        if Highlight.objects.filter(title=entry.title).exists():
            continue
        ends_on = today - dt.timedelta(days=entry.days_ago)
        picture = _picture() if entry.kind == Highlight.Kind.PICTURE else None
        highlight_create(
            actor=coordinator,
            kind=entry.kind,
            starts_on=ends_on - dt.timedelta(days=entry.length_days - 1),
            ends_on=ends_on,
            title=entry.title,
            text=entry.text,
            attribution=entry.attribution,
            organisation=Organisation.objects.filter(name=entry.organisation).first() if entry.organisation else None,
            picture=picture,
            picture_alt="Une grande salle aux murs de bois, des chaises en cercle, les montagnes par la fenêtre."
            if picture is not None
            else "",
        )
        summary.highlights_created += 1
    return summary


def _picture() -> SimpleUploadedFile:
    """A drawn picture (the demo ships no photograph): mountains behind a hall's window."""
    image = Image.new("RGB", (480, 320), (214, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 260), (140, 90), (260, 230), (360, 120), (480, 260)], fill=(92, 110, 120))
    draw.polygon([(110, 126), (140, 90), (170, 126)], fill=(250, 250, 250))
    draw.rectangle([(0, 260), (480, 320)], fill=(31, 95, 74))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("salle-polyvalente.png", buffer.getvalue(), content_type="image/png")
