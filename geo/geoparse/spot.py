"""Spotting: runs of capitalised words looked up in the gazetteer, longest first.

Candidate finding only (no judgement on whether a candidate is a place: that is
:mod:`geo.geoparse.context` and :mod:`geo.geoparse.resolve`), so that the matcher can
be replaced without touching the rules.

A run starts at a capitalised word that is no day or month name, takes up to
:data:`MAX_WORDS` words of one sentence joined by spaces, hyphens or apostrophes,
capitalised or small joining particles (and "the" after "of"), and is matched longest prefix first, exact
key, then transliteration key (acronyms by their own key).

The work per word is kept small: the scan jumps from one capitalised word to the
next (``itertools.compress`` over the capitalisation flags of
:func:`geo.text.word_table`), so Python touches only the words that can start a name
and the runs that follow them; and a run's answer is cached by its words
(``Gazetteer.run_cache``), so a name met again costs one dictionary look-up.

Why not a compiled multi-pattern matcher (Aho–Corasick over the folded text)? A run's
answer depends on its transliteration key as well as its exact key (the longest prefix
wins whichever key matched), so an automaton of the exact names would still leave the
per-run transliteration look-ups in Python, and building one over the gazetteer's ~1.4
million names costs seconds and hundreds of MB per process (``docs/scale.md``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from itertools import product
from typing import Final

import numpy as np

from geo.gazetteer import Gazetteer, is_acronym
from geo.geoparse.words import DIRECTIONS
from geo.text import Words, fold, translit_key

__all__ = [
    "CALENDAR",
    "JOINERS",
    "MAX_WORDS",
    "MAX_WORD_CHARS",
    "NAME_PARTICLES",
    "TRUNCATING",
    "Mention",
    "spot",
]

MAX_WORDS: Final = 6
#: A longer word is no place name (the gazetteer's longest name word has 25 letters,
#: the longest known town name 58): it is not looked up, so a hostile "word" of a
#: megabyte costs a pass over it, not a comparison with every name of a like sound.
MAX_WORD_CHARS: Final = 64
# Small words that may sit inside a place name (Mazar-i-Sharif, Dasht-e Laili,
# Bandar-e Abbas, Mocímboa da Praia, Ciudad del Este, Porto do Son, Port-au-Prince).
JOINERS: Final = frozenset(
    {"e", "i", "ye", "yi", "al", "el", "ul", "ud", "as", "an", "de", "of"}
    | {"da", "do", "dos", "das", "del", "di", "du", "des"}
    # French names (Port-au-Prince, Saint-Louis-du-Sud, Aix-les-Bains, Sainte-Marie-sur-Mer)
    | {"au", "aux", "la", "le", "les", "sur"}
    # the Arabic article before a sun letter, as the press writes it (Deir ez-Zor,
    # Jisr ash-Shughur, Ras at-Tin)
    | {"ad", "ar", "ash", "at", "az", "ath", "adh", "ed", "er", "es", "et", "ez", "en"}
)
# A particle after which a name goes on (the Arabic article, the Persian ezafe; not the
# English words "as", "an", "at", "en", "i"): a known name followed by one inside a run of
# words is the start of a longer name the gazetteer lacks.
TRUNCATING: Final = frozenset(
    {"al", "el", "ad", "ar", "ash", "az", "ath", "adh", "ed", "er", "es", "et", "ez"}
    | {"ul", "ud", "e", "ye", "yi"}
)
# Words that begin Arabic and Persian place names and are also English words ("Bin
# Jawad", "Tell Abyad", "Khan Shaykhun"): they do not stop a transliteration match.
NAME_PARTICLES: Final = frozenset(
    {"bin", "ben", "tell", "khan", "bir", "ain", "sidi", "abu", "umm"}
)
# English words that begin a region's name before a foreign word ("Lower Shabelle",
# "North Darfur", "Middle Juba"): the run is still a transliteration of a foreign name.
QUALIFIERS: Final = DIRECTIONS | {"middle"}
CALENDAR: Final = frozenset(
    fold(w) for w in [*calendar.day_name, *calendar.month_name, *calendar.day_abbr] if w
)
# What may stand between two words of one name: up to three spaces, hyphens and
# apostrophes (every such gap in one set: a look-up a word, not a subset test).
_GAP_CHARS: Final = " -–‐'’`ʼ"
_NAME_GAPS: Final = frozenset(
    "".join(p) for size in range(4) for p in product(_GAP_CHARS, repeat=size)
)


@dataclass(slots=True)
class Mention:
    """A run of words that names something in the gazetteer."""

    i: int  # first word
    j: int  # last word (inclusive)
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
    #: A word of nature follows ("the X valley"): the mention names the
    #: feature after the place, a place of the report's own countries.
    feature: bool = False

    # Written out, not made by dataclass: compiled (mypyc), a dataclass's generated
    # __init__ runs as Python code, the cost of a Mention in spotting.
    def __init__(
        self,
        i: int,
        j: int,
        start: int,
        end: int,
        rids: np.ndarray,
        match: str,
        sentence: int,
        key: str = "",
        cue: str | None = None,
        risky: bool = False,
        shadow: bool = False,
        feature: bool = False,
    ) -> None:
        self.i = i
        self.j = j
        self.start = start
        self.end = end
        self.rids = rids
        self.match = match
        self.sentence = sentence
        self.key = key
        self.cue = cue
        self.risky = risky
        self.shadow = shadow
        self.feature = feature


def match_run(
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
        if (
            part[0] in gaz.known_words
            and part[0] not in NAME_PARTICLES
            and (len(part) == 1 or part[0] not in QUALIFIERS)
        ) or (part[-1] in gaz.known_words):
            continue
        rids = gaz.lookup(translit_key(list(part)), how="translit")
        if len(rids):
            return j, rids, "transliteration"
    return None


def is_dateline(text: str, start: int, end: int) -> bool:
    """A word in capitals at the start of a line, followed by a comma (``KYIV, Ukraine``)."""
    if text[end : end + 1] != ",":
        return False
    # only white space back to the line's start, looked at no further than the word's own
    # line (never the whole text: a long line of capitals would make it quadratic)
    line_start = text.rfind("\n", max(0, start - 80), start) + 1
    return (line_start > 0 or start < 80) and not text[line_start:start].strip()


def spot(text: str, words: Words, spans: list[tuple[int, int]], gaz: Gazetteer) -> list[Mention]:
    """The runs of words that name something in the gazetteer, in text order.

    Parameters
    ----------
    text : str
    words : geo.text.Words
        The words of ``text`` (:func:`geo.text.word_table`).
    spans : list of (int, int)
        The sentences of ``text`` (:func:`geo.text.sentence_spans`).
    gaz : Gazetteer

    Returns
    -------
    list of Mention
        Non-overlapping, each the longest run from its first word that names something.
    """
    folded, caps, gaps, starts = words.folded, words.caps, words.gaps, words.starts
    surfaces, ends = words.surfaces, words.ends
    # The start of every sentence but the first: a word's sentence is the number of
    # them at or before its start, counted by a pointer that only moves forward (the
    # words are read in text order), only for the words that can start a name.
    later = [s for s, _ in spans[1:]]
    n_later = len(later)
    passed = 0  # the sentence starts counted so far
    mentions: list[Mention] = []
    runs = gaz.run_cache
    n = len(folded)
    resume = 0  # the first word not inside the last mention
    for i in range(n):
        if not caps[i] or i < resume:
            continue
        word = folded[i]
        if not word or word in CALENDAR or len(word) > MAX_WORD_CHARS:
            continue
        # Longest run first: capitalised words, possibly joined by small particles,
        # within the sentence (found by bisection only when the run may go on).
        last = i
        sentence = -1
        limit = 0
        while last + 1 < n and last - i + 1 < MAX_WORDS:
            nxt = last + 1
            # Capitalised words, joining particles, and "of the" inside a name
            # ("Democratic Republic of the Congo").
            if len(folded[nxt]) > MAX_WORD_CHARS or not (
                caps[nxt]
                or folded[nxt] in JOINERS
                or (folded[nxt] == "the" and folded[last] == "of")
            ):
                break
            gap = gaps[nxt]
            if gap not in _NAME_GAPS:
                break
            if sentence < 0:
                at = starts[i]
                while passed < n_later and later[passed] <= at:
                    passed += 1
                sentence = passed
                limit = later[sentence] if sentence < n_later else len(text)
            if starts[nxt] >= limit:
                break
            last = nxt
        surface = surfaces[i]
        # (an acronym has at most four letters, and a dot after each: eight characters)
        acronym = len(surface) <= 8 and surface.isupper() and is_acronym(surface)
        if acronym and is_dateline(text, starts[i], ends[i]):
            acronym = False  # "KYIV, Ukraine —": a place in capitals, not an acronym
        if last == i:  # one word (most runs): a shorter key, the word itself
            one: str | tuple = (word, True) if acronym else word
            if one in runs:
                found = runs[one]
            else:
                found = runs[one] = match_run((word,), (True,), acronym, gaz)
        else:
            run, run_caps = tuple(folded[i : last + 1]), tuple(caps[i : last + 1])
            key = (run, run_caps, acronym)
            if key in runs:
                found = runs[key]
            else:
                found = runs[key] = match_run(run, run_caps, acronym, gaz)
        if found is None:
            continue
        if sentence < 0:
            at = starts[i]
            while passed < n_later and later[passed] <= at:
                passed += 1
            sentence = passed
        jrel, rids, how = found
        j = i + jrel
        if j < last and folded[j + 1] in TRUNCATING:
            # "Ain al-Arab" with only "Ain" known: the name goes on after its article,
            # so the known part is another place's name
            resume = last + 1
            continue
        mentions.append(
            Mention(
                i,
                j,
                starts[i],
                ends[j],
                rids,
                how,
                sentence,
                " ".join(folded[i : j + 1]) if jrel else word,
            )
        )
        resume = j + 1
    return mentions
