"""The sentence memo's key holds everything a sentence's versions depend on."""

from __future__ import annotations

import dataclasses

from geo.actors import ActorMention
from geo.events.memo import memo_key
from geo.events.places import Place
from geo.events.sentence import SentenceContext


def _place() -> Place:
    return Place(10, 18, "Milltown", "town", "AF", "Ghor", "AF-GHO", 34.5, 65.25, "t:1", False)


def _other(v: object) -> object:
    """A value of the same kind as ``v`` that differs from it."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, float):
        return v + 0.5
    return f"{v}x" if v is not None else "set"


def _key(cands: list[Place], actors: list[ActorMention]) -> tuple:
    return memo_key(None, "Rebels took Milltown.", 4, cands, actors, None, SentenceContext())


def test_every_field_of_a_place_is_in_the_key() -> None:
    base = _key([_place()], [])
    for f in dataclasses.fields(Place):
        p = _place()
        setattr(p, f.name, _other(getattr(p, f.name)))
        assert _key([p], []) != base, f.name


def test_every_field_of_an_actor_is_in_the_key() -> None:
    actor = ActorMention("Rebels", "non_state", "rebels", 0, 6, "Rebels")
    base = _key([_place()], [actor])
    for f in dataclasses.fields(ActorMention):
        changed = dataclasses.replace(actor, **{f.name: _other(getattr(actor, f.name))})
        assert _key([_place()], [changed]) != base, f.name


def test_places_at_the_same_offsets_from_the_sentence_give_the_same_key() -> None:
    p, q = _place(), _place()
    q.start, q.end = p.start + 100, p.end + 100
    a = memo_key(None, "s", 4, [p], [], None, SentenceContext())
    b = memo_key(None, "s", 104, [q], [], None, SentenceContext())
    assert a == b
    assert hash(a) == hash(b)
