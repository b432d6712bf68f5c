"""The words around an event's trigger that leave it out: hedged ("could fall", "plans
to capture"), the name of a past event ("the September 11 attacks"), "seized power", or a
party's own quoted words that it holds a place (:func:`dropped`). Used by
:mod:`geo.events.sentence`."""

from __future__ import annotations

import re
from functools import lru_cache

from geo.gates import StartIndex

__all__ = ["dropped", "quoted"]

_HEDGE_BEFORE_RE = re.compile(
    r"\b(?:would|could|might|may|if|fears?|feared|threat(?:en(?:s|ed)?)?|plans? to|planned to|"
    r"intends? to|aims? to|expected to|tried to|try to|attempts? to|attempted to|bid to|risk of|"
    r"not|never|no|without)\b[^,;]*$|\btowards?\s*$"
    # an infinitive is an aim ("sent to retake X"), but not when it was done: "were forced
    # to retreat from X", "managed to capture X", "had to withdraw"
    r"|\bto(?<!forced to)(?<!compelled to)(?<!obliged to)(?<!managed to)(?<!able to)"
    r"(?<!had to)\s*$"
    # "after the fall of X", "since they overran X": a past event told as a reference
    r"|\b(?:after|since|before|until|following)\s+(?:the|its|their|they|it|he|she|we)\s+$"
    # "the operation of liberating X", "the battle for X": the aim, not the outcome
    r"|\b(?:operation|campaign|offensive|battle|push|drive|effort|mission)s?\s+(?:of|to|for)\s+$",
    re.I,
)
# "the September 11 attacks", "the 9/11 attacks": a name of a past event, not an event.
_NAMED_BEFORE_RE = re.compile(
    r"(?:\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+\d{1,2}|\b\d{1,2}/\d{1,2})\s*$",
    re.I,
)
# a state of control ("under our control", "in the hands of"), not an act
_STATE_RE = re.compile(r"^(?:in|under)\b", re.I)
_AIM_RE = re.compile(
    r"(?:to|(?:operation|campaign|offensive|battle|push|drive|effort|mission)s?\s+(?:of|to|for))",
    re.I,
)
_VICTORY_RE = re.compile(r"\b(?:victory|victorious|won the (?:battle|fight)|completed)\b", re.I)
_POWER_AFTER_RE = re.compile(r"^\s+(?:power|office|the presidency)\b", re.I)
_HEDGE_AFTER_RE = re.compile(r"^[^,;.]{0,40}?\b(?:would|could|might)\b", re.I)
# the hedges and names before a trigger, tried only where they can start (geo.gates);
# not in the event stage's shared pass, which reads whole sentences: this reads a clause
_BEFORE = StartIndex([_HEDGE_BEFORE_RE, _NAMED_BEFORE_RE], keep=True)
_CLAUSE_SPLIT_RE = re.compile(r"[,;:]")


@lru_cache(maxsize=4096)
def dropped(s_text: str, start: int, end: int, capture: bool) -> bool:
    """True when the words around the trigger at ``start:end`` leave it out: hedged
    ("could fall"), the name of a past event, "seized power", or (a capture) a party's
    own quoted words that it holds a place. They depend on the sentence alone, so a
    sentence read again costs a look-up."""
    clause = _CLAUSE_SPLIT_RE.split(s_text[:start])[-1]
    scanned = _BEFORE.scan(clause)
    hedge = _BEFORE.search(0, _HEDGE_BEFORE_RE, clause, scanned)
    # "the victory in the battle to liberate X": the goal was reached
    if hedge and _AIM_RE.fullmatch(hedge.group(0).strip()) and _VICTORY_RE.search(s_text[:start]):
        hedge = None
    if hedge or _BEFORE.search(1, _NAMED_BEFORE_RE, clause, scanned):
        return True
    if capture and _HEDGE_AFTER_RE.match(s_text[end:]):
        return True
    if capture and _POWER_AFTER_RE.match(s_text[end:]):
        return True  # "the junta that seized power in the capital": a coup, not territory
    # a party's own words that it holds a place ("the town is under our control"): an
    # answer to the other side's claim, not a change of control
    return capture and bool(_STATE_RE.search(s_text[start:end])) and quoted(s_text, start)


def quoted(s_text: str, at: int) -> bool:
    """True when offset ``at`` lies inside a quotation in the sentence."""
    before = s_text[:at]
    opened = before.count("“") - before.count("”")
    return opened > 0 or before.count('"') % 2 == 1
