"""The demo hub's shared resources and three months of their bookings.

Resources are fixed (owners among the demo organisations, or the hub); bookings are laid out
around the day the demo is loaded — the two months before it (completed) and the month after
(confirmed, a few requests awaiting approval) — from a seeded generator, so a reload adds none:
a booking is found by (resource, start) before it is created. Weekly series book a coworking
desk and a meeting room. Slots never overlap on one resource (the database would refuse them).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from cordee.network.models import Commune, Organisation
from cordee.premises import pricing
from cordee.premises.models import Booking, BookingSeries, OpeningHours, Resource
from cordee.premises.services import Recurrence, rrule_text, unique_slug

HUB = None  # a resource of the hub itself
WEEKDAYS_9_18 = [(d, dt.time(9), dt.time(18)) for d in range(5)]
WEEKDAYS_8_20 = [(d, dt.time(8), dt.time(20)) for d in range(5)]
EVERY_DAY_8_22 = [(d, dt.time(8), dt.time(22)) for d in range(7)]


@dataclass(frozen=True)
class DemoResource:
    name: str
    kind: str
    owner: str | None  # an organisation's name; None: the hub
    commune: str
    capacity: int | None
    description: str
    address: str = ""
    equipment: str = ""
    access: str = ""
    accessibility: str = ""
    hours: list[tuple[int, dt.time, dt.time]] = field(default_factory=list)
    approval: bool = False
    granularity: int = 30
    min_minutes: int = 60
    max_minutes: int = 10 * 60
    lead_hours: int = 24
    member: tuple[int | None, int | None, int | None] = (None, None, None)  # per hour, half-day, day (cents)
    public: tuple[int | None, int | None, int | None] = (None, None, None)


RESOURCES = [
    DemoResource(
        "Salle du Conseil",
        Resource.Kind.MEETING_ROOM,
        HUB,
        "05061",
        20,
        "La grande salle de réunion du pôle, au rez-de-chaussée de la Maison des associations.",
        address="12 rue Carnot",
        equipment="Vidéoprojecteur\nTableau blanc\nVisioconférence",
        access="Badge à retirer à l'accueil du pôle.",
        accessibility="Plain-pied, toilettes adaptées.",
        hours=WEEKDAYS_8_20,
        member=(1000, 3500, 6000),
        public=(2000, 7000, 12000),
    ),
    DemoResource(
        "Bureau partagé n° 2",
        Resource.Kind.OFFICE,
        HUB,
        "05061",
        3,
        "Bureau fermé pour trois personnes, à la journée ou à la demi-journée.",
        address="12 rue Carnot",
        hours=WEEKDAYS_9_18,
        min_minutes=240,
        member=(None, 1500, 2500),
        public=(None, 3000, 5000),
    ),
    DemoResource(
        "Poste de coworking « Sommet »",
        Resource.Kind.COWORKING_DESK,
        HUB,
        "05061",
        1,
        "Un poste au calme dans l'espace de coworking, fibre et café compris.",
        address="12 rue Carnot",
        hours=WEEKDAYS_8_20,
        member=(300, 1000, 1500),
        public=(500, 1800, 3000),
    ),
    DemoResource(
        "Salle polyvalente des Jardins",
        Resource.Kind.HALL,
        "Jardins solidaires du Gapençais",
        "05061",
        60,
        "Salle de 120 m² avec cuisine, pour ateliers, assemblées et repas partagés.",
        equipment="Cuisine équipée\nTables et chaises pour 60\nSono",
        hours=EVERY_DAY_8_22,
        approval=True,
        member=(1500, 5000, 9000),
        public=(3000, 10000, 18000),
    ),
    DemoResource(
        "Serre pédagogique",
        Resource.Kind.OTHER,
        "Jardins solidaires du Gapençais",
        "05061",
        15,
        "Serre de 80 m² pour ateliers de jardinage avec des groupes.",
        hours=WEEKDAYS_9_18,
        member=(None, 2000, None),
    ),
    DemoResource(
        "Studio de la Radio",
        Resource.Kind.OTHER,
        "Radio Durance Montagne",
        "05046",
        4,
        "Studio d'enregistrement insonorisé, avec technicien sur demande.",
        equipment="Console 8 pistes\n4 micros\nCasques",
        hours=WEEKDAYS_9_18,
        approval=True,
        member=(2500, None, 15000),
        public=(5000, None, 30000),
    ),
    DemoResource(
        "Salle de répétition du Faubourg",
        Resource.Kind.HALL,
        "Théâtre du Faubourg",
        "05061",
        40,
        "Plateau de répétition de 10 m sur 8, parquet, loges.",
        hours=EVERY_DAY_8_22,
        approval=True,
        member=(1200, 4000, 7000),
        public=(2500, 8000, 14000),
    ),
    DemoResource(
        "Minibus 9 places",
        Resource.Kind.VEHICLE,
        "Vélo Alpin Solidaire",
        "05061",
        9,
        "Minibus diesel, permis B, pour les sorties de groupes. Plein à refaire au retour.",
        access="Clés au local de l'association, 3 avenue de Provence.",
        granularity=60,
        min_minutes=120,
        max_minutes=3 * 24 * 60,
        member=(None, 3000, 5000),
        public=(None, 6000, 10000),
    ),
    DemoResource(
        "Utilitaire 12 m³",
        Resource.Kind.VEHICLE,
        "Recyclerie du Buëch",
        "05061",
        3,
        "Fourgon pour déménagements et collectes, hayon élévateur.",
        granularity=60,
        min_minutes=120,
        max_minutes=2 * 24 * 60,
        member=(None, 2500, 4000),
        public=(None, 5000, 8000),
    ),
    DemoResource(
        "Vidéoprojecteur portable",
        Resource.Kind.EQUIPMENT,
        HUB,
        "05061",
        None,
        "Vidéoprojecteur 3 000 lumens avec écran sur pied et câbles.",
        hours=WEEKDAYS_9_18,
        min_minutes=60,
        max_minutes=3 * 24 * 60,
        lead_hours=0,
    ),
    DemoResource(
        "Sono mobile",
        Resource.Kind.EQUIPMENT,
        "Les Nuits du Queyras",
        "05023",
        None,
        "Sonorisation deux fois 500 W, table de mixage, deux micros sans fil.",
        granularity=60,
        min_minutes=240,
        max_minutes=3 * 24 * 60,
        approval=True,
        member=(None, 2000, 3500),
        public=(None, 4000, 7000),
    ),
    DemoResource(
        "Salle de formation du Fablab",
        Resource.Kind.MEETING_ROOM,
        "Le Fablab des Écrins",
        "05023",
        14,
        "Salle équipée de 8 postes et d'un écran interactif.",
        equipment="8 ordinateurs\nÉcran interactif\nImprimante 3D (sur demande)",
        hours=WEEKDAYS_9_18,
        member=(1200, 4000, 7000),
        public=(2400, 8000, 14000),
    ),
    DemoResource(
        "Bureau du Relais",
        Resource.Kind.OFFICE,
        "Le Relais des Cimes",
        "05023",
        2,
        "Petit bureau pour les permanences, à Briançon.",
        hours=WEEKDAYS_9_18,
        member=(500, 1800, 3000),
    ),
    DemoResource(
        "Poste de coworking du Champsaur",
        Resource.Kind.COWORKING_DESK,
        "Épicerie solidaire du Champsaur",
        "05132",
        1,
        "Un poste à l'étage de l'épicerie, au calme.",
        hours=WEEKDAYS_9_18,
        member=(200, 700, 1200),
        public=(400, 1400, 2400),
    ),
    DemoResource(
        "Cuisine professionnelle",
        Resource.Kind.OTHER,
        "Épicerie solidaire du Champsaur",
        "05132",
        6,
        "Cuisine aux normes pour transformer les invendus en conserves.",
        hours=WEEKDAYS_8_20,
        approval=True,
        min_minutes=120,
        member=(1500, 5000, 9000),
    ),
    DemoResource(
        "Salle des Amis du train",
        Resource.Kind.MEETING_ROOM,
        "Les Amis du train des Alpes",
        "05046",
        25,
        "Ancienne salle d'attente de la gare d'Embrun, chauffée.",
        hours=EVERY_DAY_8_22,
        member=(800, 2500, 4500),
        public=(1600, 5000, 9000),
    ),
]

PURPOSES = [
    "Réunion de bureau",
    "Assemblée générale",
    "Atelier",
    "Formation des bénévoles",
    "Permanence",
    "Comité de pilotage",
    "Répétition",
    "Rendez-vous partenaires",
]


@dataclass
class PremisesSummary:
    resources_created: int = 0
    bookings_created: int = 0
    invoices_created: int = 0


def load_premises(by_name: dict[str, Organisation], *, today: dt.date | None = None) -> PremisesSummary:
    """Create the demo resources and bookings that are missing (never changes an existing row)."""
    summary = PremisesSummary()
    today = today or timezone.localdate()
    resources = [_resource(entry, by_name, summary) for entry in RESOURCES]
    bookers = [o for o in by_name.values() if _active(o)]
    rng = random.Random(20261126)  # noqa: S311 - a demo's layout, the same at every load of the same day
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)
    first = first.replace(day=1)  # the first day of the month two months back
    last = today + dt.timedelta(days=31)
    for resource, entry in zip(resources, RESOURCES, strict=True):
        _bookings(resource, entry, bookers, rng, first, last, today, summary)
    _series(resources, by_name, today, summary)
    _invoices(today, summary)
    return summary


def _invoices(today: dt.date, summary: PremisesSummary) -> None:
    """The two months that have ended, invoiced as `cordee invoice_bookings` would (no e-mail)."""
    from cordee.premises.billing import invoice_bookings

    this_month = today.replace(day=1)
    last = (this_month - dt.timedelta(days=1)).replace(day=1)
    before = (last - dt.timedelta(days=1)).replace(day=1)
    for month in (before, last):
        summary.invoices_created += len(invoice_bookings(month, notify=False).invoices)


def _active(organisation: Organisation) -> bool:
    membership = getattr(organisation, "membership", None)
    return membership is not None and membership.status == "active"


def _resource(entry: DemoResource, by_name: dict[str, Organisation], summary: PremisesSummary) -> Resource:
    owner = by_name[entry.owner] if entry.owner else None
    existing = Resource.objects.filter(name=entry.name).first()
    if existing is not None:
        return existing
    resource = Resource.objects.create(
        kind=entry.kind,
        name=entry.name,
        slug=unique_slug(entry.name),
        owner=owner,
        description=entry.description,
        capacity=entry.capacity,
        commune=Commune.objects.get(pk=entry.commune),
        address=entry.address,
        access_notes=entry.access,
        accessibility_notes=entry.accessibility,
        equipment=entry.equipment,
        granularity_minutes=entry.granularity,
        min_minutes=entry.min_minutes,
        max_minutes=entry.max_minutes,
        lead_time_hours=entry.lead_hours,
        approval_required=entry.approval,
        member_hour_cents=entry.member[0],
        member_half_day_cents=entry.member[1],
        member_day_cents=entry.member[2],
        public_hour_cents=entry.public[0],
        public_half_day_cents=entry.public[1],
        public_day_cents=entry.public[2],
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(resource=resource, weekday=d, opens=opens, closes=closes) for d, opens, closes in entry.hours
    )
    summary.resources_created += 1
    return resource


def _bookings(
    resource: Resource,
    entry: DemoResource,
    bookers: list[Organisation],
    rng: random.Random,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    summary: PremisesSummary,
) -> None:
    """About two bookings a week, on working days, inside the opening hours, never overlapping."""
    day = first
    while day <= last:
        if day.weekday() < 5 and rng.random() < 0.4:
            organisation = rng.choice(bookers)
            if organisation.pk == resource.owner_id:
                organisation = rng.choice(bookers)
            hour = rng.choice([9, 10, 14])
            length = max(entry.min_minutes, rng.choice([60, 120, 180, 240]))
            length = min(length, entry.max_minutes, (18 - hour) * 60)
            length -= length % entry.granularity
            starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
            ends_at = starts_at + dt.timedelta(minutes=length)
            if day < today:
                state = Booking.State.COMPLETED
            elif entry.approval and rng.random() < 0.4:
                state = Booking.State.REQUESTED
            else:
                state = Booking.State.CONFIRMED
            _book(resource, organisation, starts_at, ends_at, state, rng.choice(PURPOSES), summary)
        day += dt.timedelta(days=1)


def _book(
    resource: Resource,
    organisation: Organisation | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    state: str,
    purpose: str,
    summary: PremisesSummary,
    series: BookingSeries | None = None,
) -> None:
    if Booking.objects.filter(
        resource=resource, starts_at__lt=ends_at, ends_at__gt=starts_at, state__in=[*Booking.HOLDING, "completed"]
    ).exists():
        return  # already loaded, or the slot is taken: the demo never double-books
    quote = pricing.quote(resource, organisation, starts_at, ends_at)
    Booking.objects.create(
        resource=resource,
        organisation=organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        state=state,
        purpose=purpose,
        price_cents=quote.cents,
        price_detail=quote.detail[:200],
        series=series,
    )
    summary.bookings_created += 1


def _series(
    resources: list[Resource], by_name: dict[str, Organisation], today: dt.date, summary: PremisesSummary
) -> None:
    """Two weekly series: the demo association at the coworking desk on Tuesdays, and a
    cooperative's board in the Salle du Conseil every other Thursday."""
    by_resource = {r.name: r for r in resources}
    plans = [
        ("Poste de coworking « Sommet »", "Jardins solidaires du Gapençais", 1, 1, dt.time(9), 480, "Télétravail"),
        ("Salle du Conseil", "SCOP Charpente et Bois du Champsaur", 3, 2, dt.time(18), 120, "Conseil de gérance"),
    ]
    start_day = today - dt.timedelta(days=56)
    for resource_name, organisation_name, weekday, interval, at, minutes, purpose in plans:
        resource, organisation = by_resource[resource_name], by_name[organisation_name]
        if BookingSeries.objects.filter(resource=resource, organisation=organisation).exists():
            continue
        day = start_day + dt.timedelta(days=(weekday - start_day.weekday()) % 7)
        first = timezone.make_aware(dt.datetime.combine(day, at))
        recurrence = Recurrence("weekly", interval=interval, count=12 // interval + 2)
        series = BookingSeries.objects.create(
            resource=resource,
            organisation=organisation,
            rrule=rrule_text(first, recurrence),
            first_starts_at=first,
            duration_minutes=minutes,
            purpose=purpose,
        )
        for n in range(recurrence.count or 0):
            starts_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(weeks=n * interval), at))
            state = Booking.State.COMPLETED if starts_at.date() < today else Booking.State.CONFIRMED
            _book(
                resource,
                organisation,
                starts_at,
                starts_at + dt.timedelta(minutes=minutes),
                state,
                purpose,
                summary,
                series,
            )
