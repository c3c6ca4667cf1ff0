"""The French catalogue is complete and sound, and the interface speaks French first, English on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


def _catalog() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="fr")


def _messages() -> list[Message]:
    return [message for message in _catalog() if message.id]


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _label(message: Message) -> str:
    return repr(_forms(message.id)[0])


def test_the_catalogue_has_a_french_header() -> None:
    text = PO_FILE.read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert "charset=UTF-8" in text
    assert not _catalog().fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    messages = _messages()
    assert len(messages) > 100
    untranslated = [_label(m) for m in messages if not all(form.strip() for form in _forms(m.string))]
    fuzzy = [_label(m) for m in messages if m.fuzzy]
    assert untranslated == [], "entries without a French translation"
    assert fuzzy == [], "fuzzy entries: check the translation, then remove the flag"


def test_every_translation_keeps_the_placeholders_of_its_source() -> None:
    wrong = []
    for message in _messages():
        sources = _forms(message.id)
        for index, translation in enumerate(_forms(message.string)):
            # French: form 0 for 0 and 1, form 1 for the plural; each follows its English counterpart.
            source = sources[min(index, len(sources) - 1)]
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translation)):
                wrong.append((source, translation))
    assert wrong == []


@pytest.mark.django_db
def test_the_home_page_speaks_french_by_default() -> None:
    body = Client().get("/").content.decode()
    assert '<html lang="fr">' in body
    assert "Annuaire" in body
    assert "Directory" not in body


@pytest.mark.django_db
def test_the_home_page_speaks_english_when_asked() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Directory" in body
    assert "Annuaire" not in body
