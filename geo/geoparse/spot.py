"""Spotting: runs of capitalised words looked up in the gazetteer, longest first.

Candidate finding only (no judgement on whether a candidate is a place: that is
:mod:`geo.geoparse.context` and :mod:`geo.geoparse.resolve`), so that the matcher can
be replaced without touching the rules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np

from geo.gazetteer import Gazetteer
from geo.text import Token, fold, translit_key

MAX_WORDS = 6
# Small words that may sit inside a place name (Mazar-i-Sharif, Dasht-e Laili,
# Bandar-e Abbas, Mocímboa da Praia, Ciudad del Este, Porto do Son).
JOINERS = frozenset(
    {"e", "i", "ye", "yi", "al", "el", "ul", "ud", "as", "an", "de", "of"}
    | {"da", "do", "dos", "das", "del", "di", "du", "des"}
)
# Words that begin Arabic and Persian place names and are also English words ("Bin
# Jawad", "Tell Abyad", "Khan Shaykhun"): they do not stop a transliteration match.
NAME_PARTICLES = frozenset({"bin", "ben", "tell", "khan", "bir", "ain", "sidi", "abu", "umm"})
CALENDAR = frozenset(
    fold(w) for w in [*calendar.day_name, *calendar.month_name, *calendar.day_abbr] if w
)


@dataclass
class Mention:
    """A run of words that names something in the gazetteer."""

    i: int  # first token
    j: int  # last token (inclusive)
    start: int
    end: int
    rids: np.ndarray
    match: str
    sentence: int
    key: str = ""
    cue: str | None = None
    #: A common English word (or one the text writes in lower case): needs strong evidence.
    risky: bool = False
    #: The name was seen as part of a person's name or a team's in this text: it counts
    #: as a place only with a cue, or as a major place of the report's own countries.
    shadow: bool = False


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 3 and all(ch in " -–‐'’`ʼ" for ch in gap) and "\n" not in gap


def _match_run(
    words: tuple[str, ...], caps: tuple[bool, ...], acronym: bool, gaz: Gazetteer
) -> tuple[int, np.ndarray, str] | None:
    """The longest prefix of a run of words that names something: (last index, ids, how)."""
    for j in range(len(words) - 1, -1, -1):
        if not caps[j]:
            continue
        if j == 0 and acronym:
            rids = gaz.lookup(words[0], how="acronym")
            if len(rids):
                return 0, rids, "acronym"
            continue
        part = words[: j + 1]
        rids = gaz.lookup(" ".join(part))
        if len(rids):
            return j, rids, "exact"
        # A transliteration is of a foreign name: not of a run that starts or ends
        # with an English word ("In Qala", "The").
        if (part[0] in gaz.known_words and part[0] not in NAME_PARTICLES) or (
            part[-1] in gaz.known_words
        ):
            continue
        rids = gaz.lookup(translit_key(list(part)), how="translit")
        if len(rids):
            return j, rids, "transliteration"
    return None


def _is_dateline(text: str, token: Token) -> bool:
    """A word in capitals at the start of a line, followed by a comma (``KYIV, Ukraine``)."""
    line_start = text.rfind("\n", 0, token.start) + 1
    return not text[line_start : token.start].strip() and text[token.end : token.end + 1] == ","


def spot_candidates(
    text: str,
    tokens: list[Token],
    folded: list[str],
    caps: list[bool],
    sent_of: list[int],
    gaz: Gazetteer,
) -> list[Mention]:
    # The scan itself lives in geo.spotter (it jumps from one capitalised word to the next).
    from geo import spotter

    return spotter.spot(text, tokens, folded, caps, sent_of, gaz)
