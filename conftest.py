"""Fixtures shared by every test: the named actors of `cordee.core.testing`."""

from __future__ import annotations

import pytest
from django.test import Client

from cordee.core.testing import Actors, make_actors


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    # Uploads (logos, photos, the treasury's documents) go to a scratch folder, never to var/media.
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def actors(db) -> Actors:  # type: ignore[no-untyped-def]
    return make_actors()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """client_for(user) -> a test client logged in as that user (or anonymous for None)."""

    def make(user):  # type: ignore[no-untyped-def]
        c = Client()
        if user is not None:
            c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make
