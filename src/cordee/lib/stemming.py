"""The French words of a text, reduced to what matching compares: stems without accents.

A word is lower-cased, stemmed with the Snowball French stemmer, then stripped of its accents.
Stemming comes before folding because the stemmer knows French suffixes with their accents:
"comptabilité" and "comptable" both give "comptabl", while the folded "comptabilite" would give
"comptabilit" and no longer meet "comptable". Words of one letter (the "l" of "l'association")
and French stop words are dropped, with the few words every listing says ("cherche", "propose")
that tell nothing about what is offered or looked for.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from cordee.lib.text import fold

# Letters, with the accented ones of French; anything else (spaces, apostrophes, hyphens, digits
# glued to punctuation) separates words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_STOP_WORDS_TEXT = """
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma
mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous y est sont sera etre avoir ont fait faire tout tous toute
toutes tres plus moins comme aussi si sans sous chez entre vers ici cela ceci ca dont quel quelle
quels quelles afin ainsi alors donc car puis
cherche cherchons recherche recherchons besoin besoins propose proposons offre offrons
"""
STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS_TEXT.split())

_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return fold(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """The words of `text` that carry meaning, lower-cased, accents kept: what a stemmer reads."""
    found = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 2 or word.isdigit() or fold(word) in STOP_WORDS:
            continue
        found.append(word)
    return found


def stems(text: str) -> list[str]:
    """The stems of the words of `text`, in order, repeats kept: "Les réseaux" -> ["reseau"]."""
    return [_stem(word) for word in words(text)]
