"""What "it" stands for after a verb of taking: "attacked X and captured it", "... X.
Rebels seized it hours later".

:func:`pronoun_places` gives a :class:`~geo.events.places.Place` at the pronoun for the
place named last before it, in its sentence or else in the sentence before, so the rules
read "captured it" as they read "captured X".
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.events.places import Place
from geo.gates import LiteralIndex
from geo.prefilter import fold

__all__ = ["pronoun_places"]

# "it" as the object of a verb of taking or holding; not "took it to", "took it as",
# "held it responsible", "seized it from the hands of" is still the place
_PRONOUN_RE = re.compile(
    r"\b(?:(?:re-?)?captur(?:ed|es|e|ing)|seiz(?:ed|es|e|ing)|overr(?:an|uns?|unning)"
    r"|(?:re-?)?t(?:ook|aken?|akes|aking)(?:\s+(?:full\s+|complete\s+)?control\s+of|\s+over"
    r"|\s+back)?|occupied|occupy|occupies|stormed|liberated|liberates?|regain(?:ed|s)?"
    r"(?:\s+control\s+of)?|won\s+back|(?:in|under|gained|seized|lost)\s+(?:full\s+)?control"
    r"\s+of|controls?|controlled|hold|holds|held|abandon(?:ed|s)?|lost)"
    r"\s+(it)\b(?!\s*(?:to|as|that|seriously|responsible|upon|easy|for\s+granted|all"
    r"|on\s+(?:camera|film|video|tape))\b)",
    re.I,
)
_PRONOUN_INDEX = LiteralIndex([_PRONOUN_RE], keep=True)
# The word "it", found first: the verbs' pattern is then tried only in a window that
# ends with it (most sentences of events hold a verb of taking, few an "it" after one).
_IT_RE = re.compile(r"\bit\b", re.I)
_VERB_REACH = 60  # the longest verb phrase before "it" ("retaken complete control of")
_AFTER_REACH = 40  # what the pattern reads after "it" ("... for granted")


def _pronouns(s_text: str) -> list[re.Match[str]]:
    """The matches of _PRONOUN_RE in ``s_text``, each looked for only before an "it"."""
    out = []
    for it in _IT_RE.finditer(s_text):
        lo, hi = max(0, it.start() - _VERB_REACH), min(len(s_text), it.end() + _AFTER_REACH)
        m = _PRONOUN_RE.search(s_text, lo, hi)
        while m is not None and m.start(1) < it.start():
            m = _PRONOUN_RE.search(s_text, m.end(), hi)
        if m is not None and m.start(1) == it.start():
            out.append(m)
    return out


# a verb of taking or attacking and a name after it: the place "it" may then stand for
_NAME_TAKEN_RE = re.compile(
    r"\b(?:(?:re-?)?captur(?:ed|es|e|ing)|seiz(?:ed|es|e|ing)|overr(?:an|uns?|unning)"
    r"|(?:re-?)?(?:took|taken?|takes|taking)(?:\s+(?:full\s+)?control\s+of)?|occupied"
    r"|stormed|liberated|regained(?:\s+control\s+of)?|won\s+back|attacked|entered)"
    r"\s+(?:the\s+(?:town|city|village)\s+of\s+)?(?-i:[A-Z])",
    re.I,
)
# what "it" may stand for: a settlement, a district, a base or a province, never a country
# or a region of the map
_REFERENT_KINDS = frozenset(
    {"city", "town", "district", "airbase", "border_crossing", "other", "province"}
)


# a thing at the place that "it" may stand for instead ("the airport in X ... seized it",
# "X's police station ... took it"): then "it" is no place
_THING = (
    r"(?:airport|air ?base|air ?field|base|checkpoints?|positions?|post|outpost|barracks"
    r"|headquarters|garrison|bridge|dam|crossing|camp|prison|compound|building|hospital"
    r"|station|port|refinery|palace|fort)"
)
_THING_BEFORE_RE = re.compile(
    rf"\b{_THING}\s+(?:in|near|outside|at|of|around)\s+(?:the\s+)?(?:town\s+of\s+)?$", re.I
)
_THING_AFTER_RE = re.compile(rf"^(?:['’]s)?\s+(?:[\w-]+\s+)?{_THING}\b", re.I)


def _referent(places: list[Place], before: int, texts: tuple[str, int]) -> Place | None:
    text, t0 = texts  # the text the places lie in, and its offset in the report
    for p in reversed(places):
        if p.end <= before and p.kind in _REFERENT_KINDS and p.via != "region":
            lead = text[max(0, p.start - t0 - 40) : max(0, p.start - t0)]
            after = text[p.end - t0 : p.end - t0 + 40]
            if _THING_BEFORE_RE.search(lead) or _THING_AFTER_RE.match(after):
                return None  # "it" is the thing at the place
            return p
    return None


def pronoun_places(
    s_text: str,
    s0: int,
    s_places: list[Place],
    previous: list[Place],
    previous_text: tuple[str, int] = ("", 0),
) -> list[Place]:
    """Places that "it" stands for after a verb of taking in ``s_text`` (at ``s0``).

    The place named last before the pronoun in its sentence (``s_places``), else the
    last one of the sentence before (``previous``, whose text and offset are
    ``previous_text``); never a country or a region, nor a place with a thing at it
    ("the airport in X", "X's police station") that "it" may stand for.

    Examples
    --------
    >>> town = Place(0, 7, "Ardmore", "town", "AF", None, None, 35.0, 63.0, None, False)
    >>> [(p.start, p.name, p.via) for p in pronoun_places("Rebels took it.", 20, [], [town])]
    [(32, 'Ardmore', 'it')]
    """
    folded = fold(s_text)
    if " it" not in folded or not _PRONOUN_INDEX.active(folded):
        return []
    out = []
    for m in _pronouns(s_text):
        at = s0 + m.start(1)
        if any(p.end <= at for p in s_places):
            ref = _referent(s_places, at, (s_text, s0))
        elif _NAME_TAKEN_RE.search(s_text, 0, m.start(1)):
            # "recaptured Sake on Friday but lost it": "it" is the name the gazetteer does
            # not know, not a place of the sentence before
            continue
        else:
            ref = _referent(previous, at, previous_text)
        if ref is not None:
            out.append(replace(ref, start=at, end=s0 + m.end(1), via="it"))
    return out
