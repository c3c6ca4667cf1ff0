"""Good-practice sheets for the community tests, made directly in the database.

sheet(actors.org_a, author=actors.member_user_a)                  # published, public
sheet(actors.org_a, author=..., visibility="members")             # published, for members only
sheet(actors.org_b, author=..., state="draft")                    # a draft
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.practices.models import Practice, Theme
from cordee.practices.search import search_text_for

_serial = itertools.count(1)


def sheet(*organisations: Organisation, author: User, **overrides: Any) -> Practice:
    n = next(_serial)
    values: dict[str, Any] = {
        "title": f"Covoiturage solidaire en vallée {n}",
        "slug": f"covoiturage-solidaire-{n}",
        "summary": "Une plateforme de covoiturage pour aller au travail depuis les villages.",
        "context": "<p>Peu de bus entre les villages et la ville.</p>",
        "steps": "<ol><li>Recenser les trajets</li><li>Ouvrir la plateforme</li></ol>",
        "results": "<p>40 trajets par semaine après six mois.</p>",
        "watch_out": "<p>Assurer les conducteurs bénévoles.</p>",
        "cost_cents": 123456,
        "cost_note": "la première année",
        "theme": Theme.MOBILITY,
        "tags": "covoiturage, montagne",
        "contact_name": "Alice Martin",
        "contact_email": "alice@example.org",
        "state": Practice.State.PUBLISHED,
        "visibility": Practice.Visibility.PUBLIC,
        "author": author,
    }
    values.update(overrides)
    if values["state"] == Practice.State.PUBLISHED:
        values.setdefault("published_at", timezone.now())
    practice = Practice.objects.create(**values)
    practice.organisations.set(organisations)
    practice.search_text = search_text_for(practice)
    practice.save(update_fields=["search_text"])
    return practice
