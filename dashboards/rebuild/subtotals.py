"""Which subtotals a rebuild computes, and from what: pure functions over dimension keys.

A figure of an indicator with dimensions is stored per exact key ("nationality=SY;type=first");
the series endpoint may leave out any subset of the dimensions (DESIGN.md, second edition), so
the rebuild also stores the subtotal of every subset: "nationality=SY" (all types), "type=first",
and "" (everything). Each subtotal is computed per period from figures one dimension finer, the
smallest such set of keys (so "nationality=SY" sums four type rows rather than twelve exact
ones): a few cheap GROUP BYs level by level instead of one row per key and subset.

A forecast's series key leads with its round ("round=2026-06;scenario=low",
`dashboards.models.series_key`): the round is never left out, so subtotals are taken within a
round and rounds are never added up.

Sums are exact, so summing in steps gives what summing everything at once gives. A `mean`
indicator's subtotal averages its exact figures, which steps would not reproduce (an average of
averages), so it is taken from the exact keys in one step; so are the keys of an indicator whose
figures do not all carry the same dimensions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import NamedTuple

from dashboards.models import series_key, split_series_key


class Step(NamedTuple):
    """One mapping row: in `step`, the figures of `from_key` count towards `to_key`."""

    step: int
    indicator_id: int
    from_key: str
    to_key: str


def names_of(key: str) -> tuple[str, ...]:
    """The dimension names of a canonical key, in its (sorted) order."""
    return tuple(part.split("=", 1)[0] for part in key.split(";")) if key else ()


def restrict(key: str, names: Iterable[str]) -> str:
    """The key with only these dimensions kept ("a=1;b=2", {"b"} → "b=2")."""
    kept = set(names)
    return ";".join(part for part in key.split(";") if part.split("=", 1)[0] in kept)


def subsets_of(key: str) -> list[str]:
    """The key and every key made by leaving dimensions out, down to "" (the grand total); a
    forecast's round stays in every one of them (down to "round=2026-06")."""
    round_, rest = split_series_key(key)
    parts = rest.split(";") if rest else []
    return [
        series_key(";".join(chosen), round_)
        for size in range(len(parts), -1, -1)
        for chosen in combinations(parts, size)
    ]


def subtotal_steps(keys: Mapping[int, Iterable[str]], averaged: Iterable[int] = ()) -> list[Step]:
    """The mapping rows that turn the exact keys of each indicator into all its subtotals.

    `keys`: indicator id → its exact keys present; `averaged`: the ids of `mean` indicators.
    Step n computes the subtotals that leave out n dimensions, from those of step n − 1 (step 1
    from the exact keys); every subtotal is computed in exactly one step, from one finer set.
    """
    averaged = set(averaged)
    steps: list[Step] = []
    for indicator_id, all_exact in sorted(keys.items()):
        # Per round (a forecast's; "" for every other figure), over the keys without it.
        by_round: dict[str, set[str]] = {}
        for key in all_exact:
            round_, rest = split_series_key(key)
            by_round.setdefault(round_, set()).add(rest)
        for round_, rests in sorted(by_round.items()):
            exact = sorted(k for k in rests if k)
            if not exact:
                continue
            dimensions = {names_of(k) for k in exact}
            if indicator_id in averaged or len(dimensions) > 1:
                found = _in_one_step(indicator_id, exact)
            else:
                (names,) = dimensions
                found = _level_by_level(indicator_id, exact, names)
            steps += [
                s._replace(
                    from_key=series_key(s.from_key, round_), to_key=series_key(s.to_key, round_)
                )
                for s in found
            ]
    return steps


def _in_one_step(indicator_id: int, exact: list[str]) -> list[Step]:
    present = set(exact)
    return [
        Step(1, indicator_id, key, sub)
        for key in exact
        for sub in subsets_of(key)[1:]
        # An exact key with fewer dimensions keeps its own row (figures of an indicator whose
        # dimensions grew); the finer ones are not added to it.
        if sub not in present
    ]


def _level_by_level(indicator_id: int, exact: list[str], names: tuple[str, ...]) -> list[Step]:
    # Every key has the same dimensions in the same (sorted) order: subsets by position.
    parts = [tuple(key.split(";")) for key in exact]
    positions = range(len(names))
    level_keys = {
        chosen: sorted({";".join(p[i] for i in chosen) for p in parts})
        for size in range(len(names) + 1)
        for chosen in combinations(positions, size)
    }
    steps = []
    for size in range(len(names) - 1, -1, -1):
        for chosen in combinations(positions, size):
            finer = [tuple(sorted({*chosen, extra})) for extra in positions if extra not in chosen]
            source = min(finer, key=lambda f: (len(level_keys[f]), f))
            # Where `chosen` sits inside the finer key's parts.
            kept = [source.index(i) for i in chosen]
            for key in level_keys[source]:
                split = key.split(";")
                steps.append(
                    Step(len(names) - size, indicator_id, key, ";".join(split[k] for k in kept))
                )
    return steps
