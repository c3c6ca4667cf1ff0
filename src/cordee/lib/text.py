"""Text folding for search that ignores accents and case on every database."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: "  École  Œuvre" -> "ecole oeuvre"."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
