"""An owner describes its resource on the web: rules, opening hours and photos."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cordee.core.testing import Actors
from cordee.premises.models import Resource


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "owner": "",
        "name": "Salle des Écrins",
        "kind": "meeting_room",
        "capacity": "12",
        "commune": "05061",
        "granularity_minutes": "30",
        "min_minutes": "60",
        "max_minutes": "480",
        "lead_time_hours": "24",
        "cancellation_deadline_hours": "24",
        "vat_rate": "0",
        "vat_exemption": "293B",
        "member_hour_cents": "12.50",
        "active": "on",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-0-weekday": "1",
        "opening_hours-0-opens": "09:00",
        "opening_hours-0-closes": "18:00",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-0-caption": "La salle",
        "photos-0-position": "0",
    }
    data.update(extra)
    return data


@pytest.fixture
def admin_a(actors: Actors, settings: Any, tmp_path: Any) -> Client:
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(actors.member_admin_a)
    return client


def test_a_member_admin_offers_a_room_with_its_hours_prices_and_a_photo(actors: Actors, admin_a: Client) -> None:
    data = form_data(owner=str(actors.org_a.pk), **{"photos-0-image": SimpleUploadedFile("salle.png", png())})

    response = admin_a.post(reverse("premises:resource_add"), data)

    resource = Resource.objects.get(name="Salle des Écrins")
    assert response.status_code == 302 and response["Location"] == reverse("premises:resource", args=[resource.pk])
    assert resource.owner == actors.org_a and resource.member_hour_cents == 1250
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in resource.opening_hours.all()] == [
        (1, "09:00", "18:00")
    ]
    photo = resource.photos.get()
    assert photo.caption == "La salle"
    page = admin_a.get(reverse("premises:resource", args=[resource.pk])).content.decode()
    assert photo.image.url in page


def test_a_photo_too_heavy_is_refused_and_nothing_is_written(actors: Actors, admin_a: Client, settings: Any) -> None:
    settings.LOGO_MAX_BYTES = 10
    data = form_data(owner=str(actors.org_a.pk), **{"photos-0-image": SimpleUploadedFile("salle.png", png())})

    response = admin_a.post(reverse("premises:resource_add"), data)

    assert response.status_code == 200
    [error] = response.context["photos"].forms[0].errors.as_data()["image"]
    assert error.code == "photo_size"
    assert error.message in response.content.decode()
    assert not Resource.objects.exists()


def test_a_member_admin_cannot_offer_a_resource_in_another_organisations_name(actors: Actors, admin_a: Client) -> None:
    response = admin_a.post(reverse("premises:resource_add"), form_data(owner=str(actors.org_b.pk)))

    assert response.status_code == 200
    assert not Resource.objects.exists()
