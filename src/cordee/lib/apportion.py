"""Sharing a whole number of cents over whole-number weights so that the parts add up exactly.

The largest-remainder method (Hamilton's): each key first gets the floor of its exact share
`total × weight / Σ weights`; the cents still missing go, one each, to the keys with the largest
remainders. Ties are broken by the larger weight, then by the order the keys were given in, so the
same input always gives the same parts. Every part is therefore within one cent of its exact share,
and the parts always sum to the total.

The arithmetic stays in integers (floor division and remainders), never floats. Nothing here needs
Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def apportion(total: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Share `total` cents over `weights`, keys in the mapping's order.

    A key of weight 0 gets 0. With no weight at all (every weight 0, or no key) there is nothing
    to share on: ValueError, unless the total is 0 too. A negative total is shared as the opposite
    of the sharing of its absolute value, so refunds split the same way as charges.
    """
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("weights cannot be negative")
    if total < 0:
        return {key: -part for key, part in apportion(-total, weights).items()}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        if total:
            raise ValueError("cannot share a non-zero total over no weight")
        return dict.fromkeys(weights, 0)
    parts: dict[K, int] = {}
    remainders: list[tuple[int, int, int, K]] = []
    for position, (key, weight) in enumerate(weights.items()):
        share, remainder = divmod(total * weight, weight_sum)
        parts[key] = share
        if weight:
            # Sorted ascending: the largest remainder first, then the larger weight, then the
            # earlier key.
            remainders.append((-remainder, -weight, position, key))
    missing = total - sum(parts.values())
    for _remainder, _weight, _position, key in sorted(remainders)[:missing]:
        parts[key] += 1
    return parts
