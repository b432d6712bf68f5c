"""The versions of a sentence told again: :class:`SentenceMemo` and its key.

A sentence told again with the same places (offsets from the sentence start), actors,
earlier actor, heading, entry date and report date gives the same versions but for the
report's own fields, the offsets and the ids (:func:`geo.events.sentence.sentence_versions`
fills those in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geo.actors import ActorMention
from geo.events.places import Place

if TYPE_CHECKING:
    from geo.events.sentence import SentenceContext

__all__ = ["SentenceMemo", "memo_key"]

# a sentence's versions without their report (see geo.events.sentence)
_Told = list[tuple[tuple, tuple, tuple, int, int, int, str]]


class SentenceMemo:
    """Versions already read, for one set of rules and one actor table.

    A sentence told again with the same places, actors and report date, wherever it
    stands (a long report's refrain, a wire story's repeated paragraph), gives the same
    versions but for the report and the offsets. Its key costs a few microseconds to
    make, so the memo watches its own use: after ``probe`` look-ups that found fewer
    than one in eight, it rests for ``rest`` sentences, then tries again (reports whose
    sentences never come back pay for a look-up about one sentence in ten).
    """

    def __init__(self, size: int = 4096, probe: int = 256, rest: int = 2048) -> None:
        self._found: dict[tuple, _Told] = {}
        self._size, self._probe, self._rest = size, probe, rest
        self._tries = self._hits = self._resting = 0

    def wanted(self) -> bool:
        """Whether to look the next sentence up (``False`` while resting)."""
        if self._resting:
            self._resting -= 1
            return False
        return True

    def get(self, key: tuple) -> _Told | None:
        got = self._found.get(key)
        self._tries += 1
        self._hits += got is not None
        if self._tries >= self._probe:
            if self._hits * 8 < self._tries:
                self._resting = self._rest
            self._tries = self._hits = 0
        return got

    def put(self, key: tuple, told: _Told) -> None:
        if len(self._found) >= self._size:
            self._found.clear()
        self._found[key] = told


def _place_key(p: Place, s0: int) -> tuple:
    """Every field of a place, its offsets from the sentence start (``tests/test_events_memo``
    checks that each field of :class:`Place` is here). Read one by one, not by an
    ``attrgetter``: compiled, each read is a load from the object, not a look-up by name."""
    return (
        p.start - s0,
        p.end - s0,
        p.name,
        p.kind,
        p.country,
        p.admin1,
        p.iso,
        p.lat,
        p.lon,
        p.source,
        p.capital,
        p.via,
        p.admin2,
    )


def _actor_key(a: ActorMention) -> tuple:
    """Every field of an actor (equal actors have equal fields, and a tuple of them is
    hashed and compared in C, not by the dataclass's methods)."""
    return (a.actor, a.kind, a.side, a.start, a.end, a.text)


def memo_key(
    report_date: dt.date | None,
    s_text: str,
    s0: int,
    cands: list[Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    ctx: SentenceContext,
) -> tuple:
    """Everything the versions of a sentence depend on (what ``_told`` in
    :mod:`geo.events.sentence` reads), with offsets from the sentence start (the rules'
    matches follow from the sentence; the heading place is the candidate it is, if any)."""
    h = ctx.heading
    heading: tuple | int | None = None
    if h is not None:
        heading = next((i for i, p in enumerate(cands) if p is h), None)
        if heading is None:
            heading = _place_key(h, s0)
    return (
        s_text,
        report_date,
        tuple([_place_key(p, s0) for p in cands]),
        heading,
        ctx.entry_date,
        ctx.previous,
        tuple([_actor_key(a) for a in s_actors]),
        None if prev_actor is None else _actor_key(prev_actor),
    )
