"""Who says so: ``reported``, ``claimed`` or ``denied`` from a sentence's wording."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from geo.actors import ActorMention
from geo.gates import SHARED_PASS, LiteralIndex, StartIndex
from geo.prefilter import fold

__all__ = ["CLAIM_ORDER", "claim_status", "denial_at", "denies_what_was_told", "merge_claims"]

_DENIED_RE = re.compile(
    r"\b(?:den(?:y|ied|ies|ial)|rejected (?:the |that )?claims?|dismissed (?:the )?claims?"
    r"|false|untrue|not true|refuted)\b",
    re.I,
)
_UNVERIFIED_RE = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|unverified|unconfirmed"
    r"|(?:could|can)(?:not|n't| not) be (?:independently )?(?:verified|confirmed)"
    r"|not (?:been )?(?:independently )?(?:verified|confirmed)"
    r"|according to (?:the )?(?:taliban|militants|insurgents|the group))\b",
    re.I,
)
_SAID_RE = re.compile(
    r"\b(?:said|says|claimed|claims|announced|tweeted|posted|stated|told|wrote)\b", re.I
)

# a comma, then words that are no adverb, right before the verb of saying: its subject
_OTHER_SPEAKER_RE = re.compile(
    r",\s*(?!(?:later|also|then|further|however|too|again)\s*$|who\b)[^,]*[a-z][^,]*$", re.I
)
# where each can start, in one pass over the sentence (geo.gates)
_INDEX = StartIndex([_DENIED_RE, _UNVERIFIED_RE, _SAID_RE], group=SHARED_PASS, keep=True)
_QUOTE_RE = re.compile(r"[\"“”]")


def claim_status(sentence: str, actors: Sequence[ActorMention] | None = None) -> str:
    """``reported``, ``claimed`` or ``denied``, from the wording of a sentence.

    ``denied`` when someone denies it ("officials denied"); ``claimed`` when only a
    party says so ("the Taliban said they had captured", "could not be independently
    verified"); otherwise ``reported``.

    Examples
    --------
    >>> claim_status("Officials denied that the town had fallen.")
    'denied'
    >>> claim_status("The claim could not be independently verified.")
    'claimed'
    >>> claim_status("The town fell on Monday.")
    'reported'
    """
    spans = None if actors is None else tuple((a.start, a.end, a.kind) for a in actors)
    return _status(sentence, spans)


@lru_cache(maxsize=4096)
def _status(sentence: str, actors: tuple[tuple[int, int, str], ...] | None) -> str:
    """:func:`claim_status` of a sentence and its actors' ``(start, end, kind)``: it reads
    nothing else, so a sentence read again costs a look-up."""
    scanned = _INDEX.scan(sentence)  # where the expressions may match
    if _INDEX.search(0, _DENIED_RE, sentence, scanned):
        return "denied"
    if _INDEX.search(1, _UNVERIFIED_RE, sentence, scanned):
        return "claimed"
    if not _INDEX.may(2, scanned):
        return "reported"  # no verb of saying: no speaker to read
    if actors is None:  # not given: find them (an empty list means none were named)
        from geo.actors import find_actors

        actors = tuple((a.start, a.end, a.kind) for a in find_actors(sentence))
    for said in _INDEX.find_all(2, _SAID_RE, sentence, scanned):
        # the speaker: the nearest actor before the verb, not across a quotation mark
        at = said.start()
        speakers = [a for a in actors if a[1] <= at and at - a[1] <= 40]
        quoted = speakers and _QUOTE_RE.search(sentence[speakers[-1][1] : at])
        if speakers and speakers[-1][2] == "non_state" and not quoted:
            # "... from the rebels on Sunday, a monitor said": the speaker is after the
            # comma, not the group before it ("the rebels, in a statement, said" is)
            gap = sentence[speakers[-1][1] : at]
            if _OTHER_SPEAKER_RE.search(gap):
                continue
            return "claimed"
    return "reported"


def denial_at(sentence: str) -> int | None:
    """The offset of the first word of denial in ``sentence`` ("denied", "rejected the
    claim"), else None: what is told before it is a claim the sentence disputes ("X said
    it took the town, but Y denied it"), what comes after it the denial.

    Examples
    --------
    >>> denial_at("The army said it took the town, but the rebels denied it.")
    47
    >>> denial_at("The town fell.") is None
    True
    """
    m = _DENIED_RE.search(sentence)
    return m.start() if m else None


# "The army denied the claim", "Officials dismissed the reports as false", "... denied
# it": a denial whose object is what was told before
_DENIES_TOLD_RE = re.compile(
    r"\b(?:den(?:y|ied|ies)|rejected|dismissed|refuted|disputed)\s+"
    r"(?:(?:the|this|that|these|those|such|their|its)\s+)?(?:\w+\s+)?"
    r"(?:claims?|reports?|accounts?|assertions?|allegations?|it|this|that)\b",
    re.I,
)
_DENIES_TOLD_INDEX = LiteralIndex([_DENIES_TOLD_RE], keep=True)


def denies_what_was_told(sentence: str) -> bool:
    """True when ``sentence`` denies what was told before it without telling it again
    ("The army denied the claim."): the events of the sentence before are disputed.

    Examples
    --------
    >>> denies_what_was_told("A government spokesman denied the rebel claims.")
    True
    >>> denies_what_was_told("The army denied responsibility for the strike.")
    False
    """
    return bool(_DENIES_TOLD_INDEX.active(fold(sentence))) and bool(
        _DENIES_TOLD_RE.search(sentence)
    )


CLAIM_ORDER = {"reported": 0, "claimed": 1, "denied": 2}


def merge_claims(claims: tuple[str, ...]) -> str:
    if "reported" in claims and "denied" not in claims:
        return "reported"
    if claims == ("denied",):
        return "denied"
    return "claimed"
