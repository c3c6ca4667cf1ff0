"""The public directory with 10,000 member organisations: search, list page, API page, map."""

from __future__ import annotations

import statistics
import time

from django.db import transaction
from django.test import Client
from tqdm import tqdm

ORGANISATIONS = 10_000
REPEAT = 15
WORDS = ["école", "jardin", "coopérative", "musique", "bois", "énergie", "montagne", "solidaire", "vélo", "café"]


def _populate() -> None:
    from cordee.core.testing import valid_siren, valid_siret
    from cordee.lib.text import fold
    from cordee.network.models import Commune, Membership, Organisation, Sector, Visibility

    communes = list(Commune.objects.all())
    sectors = list(Sector.objects.all())
    organisations = []
    for n in tqdm(range(ORGANISATIONS), desc="organisations", disable=None):
        commune = communes[n % len(communes)]
        name = f"{WORDS[n % len(WORDS)].capitalize()} {WORDS[(n // 10) % len(WORDS)]} {n}"
        siren = valid_siren(n + 1)
        organisations.append(
            Organisation(
                name=name,
                slug=f"org-{n}",
                family="association" if n % 3 else "cooperative",
                sector=sectors[n % len(sectors)],
                siren=siren,
                siret=valid_siret(siren),
                commune=commune,
                description=f"{name}: une structure de l'économie sociale et solidaire à {commune.name}.",
                listing_visibility=Visibility.PUBLIC,
                profile_visibility=Visibility.PUBLIC,
                search_text=fold(f"{name} {commune.name}"),
                sort_name=fold(name),
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(organisation=org, status="active", applied_on="2025-01-01", joined_on="2025-01-01")
                for org in Organisation.objects.all().only("pk")
            ],
            batch_size=1000,
        )


def _median_ms(client: Client, url: str) -> float:
    client.get(url)  # warm-up
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def run() -> str:
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _populate()
    client = Client()
    rows = [
        ("directory, first page", "/annuaire/"),
        ("directory, search 'ecole'", "/annuaire/?q=ecole"),
        ("directory, search 'jardin gap', page 3", "/annuaire/?q=jardin+gap&page=3"),
        ("API list, page 10", "/api/v1/organisations?page=10"),
        ("map of every organisation", "/annuaire/carte/"),
    ]
    lines = [
        f"## Directory with {ORGANISATIONS:,} organisations".replace(",", " "),
        "",
        f"Median of {REPEAT} requests through Django's test client (no network), after one warm-up.",
        "",
        "| request | median |",
        "|---|---|",
    ]
    for label, url in rows:
        lines.append(f"| {label} (`{url}`) | {_median_ms(client, url):.1f} ms |")
    return "\n".join(lines) + "\n"
