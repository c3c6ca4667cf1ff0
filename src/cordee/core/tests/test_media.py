"""Uploaded files at public addresses: the logos and the resources' photos only. Everything else a
member uploads (treasury documents, reports, attachments) is handed out by its app's view, which
checks who asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    for folder, name in (("logos", "jardins.png"), ("resources", "salle.jpg"), ("treasury/deposits", "pv.pdf")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / name).write_bytes(b"content of " + name.encode())
    return tmp_path


def test_logos_and_photos_are_public(media: Path) -> None:
    client = Client()
    response = client.get("/media/logos/jardins.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"content of jardins.png"
    assert client.get("/media/resources/salle.jpg").status_code == 200


def test_any_other_upload_is_not_served_even_to_its_owner(media: Path, client_for, actors) -> None:  # type: ignore[no-untyped-def]
    for client in (Client(), client_for(actors.member_admin_a), client_for(actors.treasurer)):
        assert client.get("/media/treasury/deposits/pv.pdf").status_code == 404
        assert client.get("/media/logos/../treasury/deposits/pv.pdf").status_code == 404
        assert client.get("/media/logos%2F..%2Ftreasury/deposits/pv.pdf").status_code == 404
