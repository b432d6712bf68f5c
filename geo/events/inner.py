"""Places inside places: "the Port-au-Prince suburb of Carrefour" is Carrefour.

:func:`inner_places` reads a city named before a suburb, a district or a neighbourhood
joined by "of" as where the place lies, not as a place of its own.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.events.places import Place

__all__ = ["inner_places"]


# "the Port-au-Prince suburb of Carrefour", "the Damascus district of Jobar": between a
# city and a place inside it
_INNER_OF_RE = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:suburbs?|district|neighbou?rhoods?|quarter|township"
    r"|enclave|camp)\s+of\s+(?:the\s+)?",
    re.I,
)
_INNER_ENDS = ("of ", "of the ", "OF ", "OF THE ")


def inner_places(s_text: str, s0: int, places: list[Place]) -> list[Place]:
    """``places`` with "the X suburb of Y" read as Y alone, its words from X's start on.

    The city before a suburb, district or neighbourhood named with "of" says where the
    place lies; the event is at the place ("Gangs attacked the Port-au-Prince suburb of
    Carrefour": Carrefour). Not "the Nad Ali district of Helmand province": a province
    after "of" holds the place before it.
    """
    if len(places) < 2 or " of " not in s_text:
        return places
    # the sentence's own mentions come first, in text order: pairs of neighbours in the
    # list (a place found by "the city" or "it" is no city named before a suburb)
    ordered = places
    inner: dict[int, Place] = {}  # index in ordered of the city -> the place inside it
    for k in range(len(ordered) - 1):
        a, b = ordered[k], ordered[k + 1]
        if b.start < a.end:
            continue
        # cheap tests first: a short gap that ends with "of" (most pairs have neither)
        if b.start - a.end > 40 or not s_text.endswith(_INNER_ENDS, 0, b.start - s0):
            continue
        if (
            a.kind not in ("province", "region", "country")
            and b.kind not in ("province", "region", "country")
            and _INNER_OF_RE.fullmatch(s_text, a.end - s0, b.start - s0)
        ):
            inner[k] = replace(b, start=a.start)
    if not inner:
        return places
    out: list[Place] = []
    k = 0
    while k < len(ordered):
        if k in inner:
            out.append(inner[k])
            k += 2
        else:
            out.append(ordered[k])
            k += 1
    return out
