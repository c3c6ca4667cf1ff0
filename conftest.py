"""Fixtures shared by every test: the named actors of `cordee.core.testing`."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

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
    # A request through the test client leaves its language active in the thread (the locale
    # middleware activates it and nothing deactivates it): each test starts in the site's language.
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """After a transactional test with serialized rollback (the browser tests, the races between
    connections), put the reference data of the migrations back (communes, legal forms, ledgers):
    Django's flush leaves the tables empty, and the tests that follow on the same worker expect them."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # With no test after it, the session's teardown has just destroyed the test database.
    restore = nextitem is not None and marker is not None
    if restore and marker.kwargs.get("transaction") and marker.kwargs.get("serialized_rollback"):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents and not _has_reference_data(connection):
                    connection.creation.deserialize_db_from_string(contents)
    return result


def _has_reference_data(connection):  # type: ignore[no-untyped-def]
    from cordee.network.models import Commune

    return Commune.objects.using(connection.alias).exists()
