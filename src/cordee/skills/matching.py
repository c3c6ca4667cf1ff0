"""Which offers answer a need, best first.

The candidates for a need are the open offers of the other active members of the hub. Each gets

    score = text_score + CATEGORY_BONUS (same category) - distance penalty

- `text_score` (0 to 1) says how many of the need's words the offer has, and where. It is
  PostgreSQL's `ts_rank` of the offer (title weighted A = 1.0, description B = 0.4) against the
  need's words joined by OR, divided by the rank of a word found once in a title: 1 when every
  word of the need is in the offer's title, about 0.4 when every word is in its description only,
  1/3 when one of three words is in its title. On PostgreSQL the French configuration stems both
  sides and the lexemes are then stripped of their accents in SQL (`translate`, no extension
  needed), so "Réseaux" meets "reseau" and "comptabilité" meets "comptable". On SQLite the same
  formula runs in Python over the stems kept in `Listing.search_text` (`cordee.lib.stemming`,
  the same Snowball French stemmer), so both databases rank alike.
- `CATEGORY_BONUS` when the offer is in the need's category.
- a penalty of `PENALTY_PER_KM` per kilometre between the two communes (as the crow flies),
  capped at `MAX_DISTANCE_PENALTY` (a member across the département is still worth showing);
  half the cap when a commune has no coordinates.

An offer with no word in common and of another category is no match. A need's people are e-mailed
about a new offer whose score reaches `NOTIFY_THRESHOLD` with at least one word in common.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Expression, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast

from cordee.lib.stemming import stems, words
from cordee.network.models import Membership
from cordee.premises.search import distance_km
from cordee.skills.models import Direction, Listing

TITLE_WEIGHT = 1.0  # PostgreSQL's default weight for A
DESCRIPTION_WEIGHT = 0.4  # and for B
ZETA_2 = 1.64493406685  # sum of 1/n², by which ts_rank divides a word's occurrences
ONE_TITLE_HIT = TITLE_WEIGHT / ZETA_2
CATEGORY_BONUS = 0.2
PENALTY_PER_KM = 0.002
MAX_DISTANCE_PENALTY = 0.2
UNKNOWN_DISTANCE_PENALTY = MAX_DISTANCE_PENALTY / 2
NOTIFY_THRESHOLD = 0.25
MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions of a lexeme

_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"


@dataclass(frozen=True)
class Match:
    offer: Listing
    score: float
    text_score: float
    same_category: bool
    distance_km: float | None


# --- Text relevance, in Python (SQLite) --------------------------------------------------


def listing_stems(listing: Listing) -> tuple[list[str], list[str]]:
    """The stems of a listing's title and of its description, from `search_text` when it holds them."""
    if "\n" in listing.search_text:
        title, description = listing.search_text.split("\n", 1)
        return title.split(), description.split()
    return stems(listing.title), stems(listing.description)


def text_rank(query: Iterable[str], title: Sequence[str], description: Sequence[str]) -> float:
    """PostgreSQL's ts_rank (tsrank.c, calc_rank_or, no normalisation) of a document made of
    `title` (weight A) then `description` (weight B) against the words of `query` joined by OR."""
    wanted = set(query)
    if not wanted:
        return 0.0
    occurrences: dict[str, list[float]] = defaultdict(list)
    for stem in title:
        occurrences[stem].append(TITLE_WEIGHT)
    for stem in description:
        occurrences[stem].append(DESCRIPTION_WEIGHT)
    total = 0.0
    for stem in wanted:
        weights = occurrences.get(stem, [])[:MAX_POSITIONS]
        if not weights:
            continue
        summed = sum(weight / (j + 1) ** 2 for j, weight in enumerate(weights))
        best = max(weights)
        first_best = weights.index(best)
        total += (best + summed - best / (first_best + 1) ** 2) / ZETA_2
    return total / len(wanted)


def text_score_of(rank: float) -> float:
    return round(min(1.0, rank / ONE_TITLE_HIT), 4)


# --- Text relevance, in PostgreSQL -------------------------------------------------------


def _fold_sql(expression: Expression) -> Func:
    ligatures = Func(
        Func(expression, Value("œ"), Value("oe"), function="replace"), Value("æ"), Value("ae"), function="replace"
    )
    return Func(ligatures, Value(_ACCENTED), Value(_PLAIN), function="translate", output_field=TextField())


def _folded_vector(field: str, weight: str) -> Cast:
    # Stem with the accents (the French stemmer needs them), then strip them from the lexemes.
    return Cast(_fold_sql(Cast(SearchVector(field, config="french", weight=weight), TextField())), SearchVectorField())


def search_document() -> Func:
    """The offer's title (A) and description (B) as a tsvector of accent-free French lexemes."""
    return Func(
        _folded_vector("title", "A"),
        _folded_vector("description", "B"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )


def search_query(text: str) -> Cast:
    """The French lexemes of `text`, accents stripped, joined by OR."""
    lexemes = _fold_sql(Cast(SearchQuery(text, config="french", search_type="plain"), TextField()))
    return Cast(Func(lexemes, Value(" & "), Value(" | "), function="replace"), SearchQueryField())


def _rank(query_text: str) -> SearchRank:
    return SearchRank(search_document(), search_query(query_text), weights=[0.1, 0.2, DESCRIPTION_WEIGHT, TITLE_WEIGHT])


def query_text_of(need: Listing) -> str:
    """The need's words that mean something, accents kept, for PostgreSQL's French stemmer."""
    return " ".join(words(f"{need.title} {need.description}"))


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _scores_of_offer(offer: Listing, needs: Sequence[Listing]) -> dict[int, float]:
    """The text score of one offer for each need of `needs` (those above zero)."""
    if not _on_postgresql():
        title, description = listing_stems(offer)
        scores = {}
        for need in needs:
            need_title, need_description = listing_stems(need)
            rank = text_rank(set(need_title) | set(need_description), title, description)
            if rank > 0:
                scores[need.pk] = text_score_of(rank)
        return scores
    scores = {}
    queries = [(need.pk, query_text_of(need)) for need in needs]
    queries = [(pk, text) for pk, text in queries if text]
    for start in range(0, len(queries), 50):  # one query per 50 needs: one rank column for each
        chunk = queries[start : start + 50]
        row = (
            Listing.objects.filter(pk=offer.pk)
            .annotate(**{f"need_{pk}": _rank(text) for pk, text in chunk})
            .values(*(f"need_{pk}" for pk, _text in chunk))
            .first()
        )
        for pk, _text in chunk:
            rank = (row or {}).get(f"need_{pk}") or 0.0
            if rank > 0:
                scores[pk] = text_score_of(rank)
    return scores


# --- Scores ------------------------------------------------------------------------------


def distance_penalty(distance: float | None) -> float:
    if distance is None:
        return UNKNOWN_DISTANCE_PENALTY
    return min(MAX_DISTANCE_PENALTY, PENALTY_PER_KM * distance)


def _match(need: Listing, offer: Listing, text_score: float) -> Match | None:
    same_category = offer.category == need.category
    if text_score <= 0 and not same_category:
        return None
    distance = distance_km(need.commune, offer.commune)
    score = text_score + (CATEGORY_BONUS if same_category else 0.0) - distance_penalty(distance)
    return Match(
        offer=offer, score=round(score, 4), text_score=text_score, same_category=same_category, distance_km=distance
    )


def _open_of_others(direction: str, organisation_id: int) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(
            direction=direction, state=Listing.State.OPEN, organisation__membership__status=Membership.Status.ACTIVE
        )
        .exclude(organisation_id=organisation_id)
        .select_related("organisation", "commune")
    )


def _best_first(match: Match) -> tuple[float, float, bool, float, int]:
    return (-match.score, -match.text_score, match.distance_km is None, match.distance_km or 0.0, -match.offer.pk)


def matches_for(need: Listing, *, limit: int = 20) -> list[Match]:
    """The open offers of other members that answer `need`, best first (see the module's docstring)."""
    candidates = _open_of_others(Direction.OFFER, need.organisation_id)
    if _on_postgresql():
        query_text = query_text_of(need)
        if query_text:
            ranked = candidates.annotate(rank=_rank(query_text)).filter(Q(rank__gt=0) | Q(category=need.category))
            text_scores = {offer.pk: text_score_of(offer.rank) for offer in ranked}
            offers: list[Listing] = list(ranked)  # evaluated once above: the queryset's cache
        else:
            offers, text_scores = list(candidates.filter(category=need.category)), {}
    else:
        title, description = listing_stems(need)
        wanted = set(title) | set(description)
        offers = list(candidates)
        text_scores = {offer.pk: text_score_of(text_rank(wanted, *listing_stems(offer))) for offer in offers}
    matches = [match for offer in offers if (match := _match(need, offer, text_scores.get(offer.pk, 0.0))) is not None]
    matches.sort(key=_best_first)
    return matches[:limit]


def _shares_a_stem(stems_: set[str], listing: Listing) -> bool:
    title, description = listing_stems(listing)
    return not stems_.isdisjoint(title) or not stems_.isdisjoint(description)


def needs_matching(offer: Listing) -> list[tuple[Listing, Match]]:
    """The open needs of other members that `offer` answers, with the offer's match for each,
    best first."""
    title, description = listing_stems(offer)
    offered = set(title) | set(description)
    needs = [
        need
        for need in _open_of_others(Direction.NEED, offer.organisation_id).order_by("pk")
        # Only needs with a stem in common or of the same category can match: the rank, which
        # costs more on PostgreSQL, is computed for these only.
        if need.category == offer.category or _shares_a_stem(offered, need)
    ]
    text_scores = _scores_of_offer(offer, needs)
    found = [
        (need, match) for need in needs if (match := _match(need, offer, text_scores.get(need.pk, 0.0))) is not None
    ]
    found.sort(key=lambda item: _best_first(item[1]))
    return found
