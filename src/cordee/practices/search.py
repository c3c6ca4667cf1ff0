"""Searching the practice sheets in French, alike on PostgreSQL and SQLite.

A sheet's words are weighted by where they are: its title (A), its summary and tags (B), its
context, steps, results and what to watch out for (C); the HTML of the rich text is stripped first.
A search keeps the sheets that have every word asked for, compared as French stems without accents
("énergie" finds "energies"), best ranked first.

- On PostgreSQL the French configuration stems the words (`to_tsvector('french', ...)`) and the
  lexemes are then stripped of their accents in SQL, as in `cordee.skills.matching`: the stemmer
  needs the accents, the comparison must ignore them. The rank is `ts_rank`.
- On SQLite the same comparison runs over `Practice.search_text`, computed on every save: three
  lines (title, summary and tags, the rest) of stems from `cordee.lib.stemming` (the same Snowball
  French stemmer), each line wrapped in spaces so that a stem is found as a whole word. The rank is
  computed in Python with the same weights.

A hyphenated compound is indexed also joined, on both databases: "co-voiturage" is found by
"covoiturage" (and "covoiturages"), and a search for "co-voiturage" looks for "covoiturage".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Case, Expression, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from cordee.lib.stemming import stems
from cordee.practices.models import Practice
from cordee.practices.richtext import plain_text

# PostgreSQL's default weights of D, C, B, A, which the Python rank copies.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
FIELDS_BY_WEIGHT = {
    "A": ("title",),
    "B": ("summary", "tags"),
    "C": ("context", "steps", "results", "watch_out"),
}

_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"
_COMPOUND = re.compile(r"([^\W\d_]+)-([^\W\d_]+)")
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def with_joined_compounds(text: str) -> str:
    """Each "a-b" of `text` followed by "ab": the document side of compounds."""
    return _COMPOUND.sub(r"\1-\2 \1\2", text)


def joined_compounds(query: str) -> str:
    """The query side: "co-voiturage" looks for "covoiturage"."""
    return _HYPHEN_IN_WORD.sub("", query)


def query_stems(query: str) -> list[str]:
    return list(dict.fromkeys(stems(joined_compounds(query or ""))))


# --- SQLite: the stems kept in search_text ------------------------------------------------


def search_text_for(practice: Practice) -> str:
    """Three lines of stems (title; summary and tags; the rest), each wrapped in spaces."""
    lines = []
    for fields in FIELDS_BY_WEIGHT.values():
        text = " ".join(plain_text(getattr(practice, name) or "") for name in fields)
        lines.append(" " + " ".join(stems(with_joined_compounds(text))) + " ")
    return "\n".join(lines)


def text_rank(wanted: Iterable[str], search_text: str) -> float:
    """A rank in the spirit of ts_rank: each stem weighs by where it is found, repeats count less."""
    lines = search_text.split("\n")
    total = 0.0
    for stem in wanted:
        for weight, line in zip(WEIGHTS.values(), lines, strict=False):
            count = line.split().count(stem)
            total += weight * sum(1 / (n + 1) ** 2 for n in range(min(count, 16)))
    return total


# --- PostgreSQL: the French configuration ---------------------------------------------------


def _fold_sql(expression: Expression) -> Func:
    ligatures = Func(
        Func(expression, Value("œ"), Value("oe"), function="replace"), Value("æ"), Value("ae"), function="replace"
    )
    return Func(ligatures, Value(_ACCENTED), Value(_PLAIN), function="translate", output_field=TextField())


def _prepared_sql(field: str) -> Func:
    """The field's text without its tags, its compounds also joined."""
    text = Coalesce(F(field), Value(""), output_field=TextField())
    untagged = Func(text, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField())
    return Func(
        untagged,
        Value(r"(\w+)-(\w+)"),
        Value(r"\1-\2 \1\2"),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def search_document() -> Cast:
    """The sheet as a tsvector of accent-free French lexemes, weighted by field."""
    vectors = [
        SearchVector(_prepared_sql(field), config="french", weight=weight)
        for weight, fields in FIELDS_BY_WEIGHT.items()
        for field in fields
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector  # type: ignore[assignment]
    return Cast(_fold_sql(Cast(combined, TextField())), SearchVectorField())


def search_query(query: str) -> Cast:
    """Every word of `query` (AND), as accent-free French lexemes."""
    plain = SearchQuery(joined_compounds(query), config="french", search_type="plain")
    return Cast(_fold_sql(Cast(plain, TextField())), SearchQueryField())


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Both ---------------------------------------------------------------------------------


def search(practices: QuerySet[Practice], query: str) -> QuerySet[Practice]:
    """The sheets of `practices` that have every word of `query`, best ranked first (then newest);
    each gets a `rank`. An empty query (or one of stop words only) keeps them all, unranked."""
    wanted = query_stems(query)
    if not wanted:
        return practices
    if _on_postgresql():
        document = search_document()
        terms = search_query(query)
        matches = Func(document, terms, template="(%(expressions)s)", arg_joiner=" @@ ", output_field=BooleanField())
        return (
            practices.annotate(
                rank=SearchRank(document, terms, weights=[0.1, WEIGHTS["C"], WEIGHTS["B"], WEIGHTS["A"]])
            )
            .filter(matches)
            .order_by("-rank", "-published_at", "-pk")
        )
    for stem in wanted:
        practices = practices.filter(search_text__contains=f" {stem} ")
    # SQLite: the rank is computed here; the queryset keeps it through a CASE on the primary keys.
    found = {pk: text_rank(wanted, text) for pk, text in practices.values_list("pk", "search_text")}
    ordered = sorted(found, key=lambda pk: -found[pk])
    if not ordered:
        return practices.none()
    rank = Case(*(When(pk=pk, then=Value(found[pk])) for pk in ordered), output_field=FloatField())
    return practices.filter(pk__in=ordered).annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def related(practice: Practice, *, candidates: QuerySet[Practice], limit: int = 4) -> list[Practice]:
    """Other sheets of `candidates` of the same theme or sharing tags, best first: each tag in
    common counts 2, the same theme 1, then the newest."""
    tags = {tag.lower() for tag in practice.tag_list}
    others = candidates.exclude(pk=practice.pk)
    wanted = Q(theme=practice.theme)
    for tag in tags:
        wanted |= Q(tags__icontains=tag)
    scored: list[tuple[int, Any, int, Practice]] = []
    for other in others.filter(wanted)[:200]:
        shared = len(tags & {tag.lower() for tag in other.tag_list})
        score = 2 * shared + (1 if other.theme == practice.theme else 0)
        if score:
            published = other.published_at.timestamp() if other.published_at else 0.0
            scored.append((-score, -published, -other.pk, other))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:limit]]
