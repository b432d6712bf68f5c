"""Reading the words around each spotted name: is it a place, and what kind?

General rules, no place names (the word lists are in :mod:`geo.geoparse.words`):

- **People.** A title before ("Governor X", "coach X"), a capitalised non-place word
  or a frequent given name before ("Abdul X", "Guy X": ``data/given_names.csv``), or a
  capitalised non-English word after ("X Lathan"), and two
  one-word names side by side ("Georgia Hamilton"). A name seen so in a text is
  *shadowed* there: where it stands alone later ("X said"), it counts only with a cue
  or as a major place of the report's own countries (:mod:`geo.geoparse.resolve`).
- **Organisations, media, teams, units.** An organisation word among the capitalised
  words after the name ("X Police Department", "X People's Liberation Front",
  "X Operations Command", "X Award") or a prefix before it ("Radio X").
- **Peoples.** A country's demonym ("Somali troops", "Iraqi forces") is not the place
  that shares its spelling, unless a region word follows ("Somali region").
- **Headlines in title case** ("Rebels Seize Town Near River") are not read for
  people by capitalisation: every word there is capitalised. A line of names with
  other words in lower case (a credit line: "additional reporting by X in Y") is none,
  nor is a wire story's credit line ("Reporting by A B in X; Editing by C D").
- **Cues.** "X province", "X Region" (a region's word after a name is its cue, even
  where a place is named "Region"), "city of X", "X Air Base", "capital of X", and an
  apposition "X, a (small) town" tell the kind. With a province cue, a name that
  names only a town exactly may name a region of the town's country spelt otherwise
  ("Saada province" is Sa'dah).
- **Risk.** A single common English word ("Mobile"), or one the text also writes in
  lower case, needs strong evidence.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Container
from functools import lru_cache
from typing import Final

import numpy as np

from geo.gazetteer import Gazetteer
from geo.geoparse.spot import CALENDAR, JOINERS, Mention
from geo.geoparse.words import (
    BASE_CUES,
    CITY_CUES,
    DEMONYM_SUFFIXES,
    DIRECTIONS,
    FEATURE_WORDS,
    GROUP_NOUNS,
    LINKING_WORDS,
    NATURE_WORDS,
    ORG_PREFIXES,
    ORG_WORDS,
    PROVINCE_CUES,
    REGION_WORDS,
    TITLES,
)
from geo.resources import data_path
from geo.text import Words, fold, translit_key

# Words this frequent (Zipf ≥ 5.5: "in", "at", "from") are function words, never a name.
FUNCTION_ZIPF: Final = 5.5
# How many capitalised words after a name are searched for an organisation word.
ORG_SPAN: Final = 4
# A sentence with at least this many words, this share of them capitalised, is a
# headline in title case.
_TITLE_CASE_WORDS: Final = 4
_TITLE_CASE_SHARE: Final = 0.7
# ... and at most this share of them in lower case but prepositions and conjunctions.
_TITLE_CASE_LOWER: Final = 0.1

_ENDS_SENTENCE: Final = re.compile(r"[.!?][\"'”’)\]]*$")
_CLOSERS: Final = "\"'”’)]"
_LONG_WORD: Final = re.compile(r"\b[^\W\d_]{4,}")
# A wire story's credit line ("(Reporting by A B in X; Editing by C D)", "Writing by",
# "Additional reporting by"): people's names with every word capitalised, no headline.
_CREDIT_LINE: Final = re.compile(
    r"\b(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Ww]ritten|[Ee]dited|[Pp]roduced)"
    r" by [A-Z]"
)
_DEMONYMS: Final[dict[int, frozenset[str]]] = {}


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Frequent given names (``data/given_names.csv``), folded, less the words the
    geoparser reads otherwise (titles, months, compass, feature and organisation words)."""
    with data_path("given_names.csv").open(newline="", encoding="utf-8") as f:
        names = {fold(row["name"]) for row in csv.DictReader(f)}
    other = CALENDAR | TITLES | DIRECTIONS | FEATURE_WORDS | ORG_WORDS | ORG_PREFIXES | JOINERS
    return frozenset(names - other - _WATER_BEFORE)


def demonyms(gaz: Gazetteer) -> frozenset[str]:
    """Words formed from a country's name like its demonym (Somali, Kenyan, Iraqi).

    Made by rule from the gazetteer's country names; the country's own name is left
    out (so "Chad" stays a country).
    """
    found = _DEMONYMS.get(id(gaz))
    if found is None:
        records = gaz.records
        rids = records.index[records["kind"] == "country"]
        names = {gaz.main_key(int(r)) for r in rids}
        out: set[str] = set()
        for name in names:
            if " " in name or len(name) < 4:
                continue
            stems = {name, name[:-1]} | ({name[:-2]} if name.endswith("ia") else set())
            for stem in stems:
                for suffix in DEMONYM_SUFFIXES:
                    word = stem + suffix
                    if len(word) >= 5 and word != name:
                        out.add(word)
        found = _DEMONYMS[id(gaz)] = frozenset(out - names)
    return found


class TitleCase:
    """The headlines written in title case among a text's sentences: most of their
    longer words capitalised, and no full stop at the end (a sentence listing names is
    no headline). ``s in title_case`` reads sentence ``s`` the first time it is asked."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self._text = text
        self._spans = spans
        self._known: dict[int, bool] = {}

    def __contains__(self, s: object) -> bool:
        if not isinstance(s, int):
            return False
        known = self._known.get(s)
        if known is None:
            known = self._known[s] = self._is_headline(s)
        return known

    def _is_headline(self, s: int) -> bool:
        start, end = self._spans[s]
        # most sentences end with a full stop: the cheap test first
        if ends_with_mark(self._text, start, end):
            return False
        words = _LONG_WORD.findall(self._text, start, end)
        if len(words) < _TITLE_CASE_WORDS:
            return False
        if _CREDIT_LINE.search(self._text, start, end):
            return False
        if sum(w[0].isupper() for w in words) < _TITLE_CASE_SHARE * len(words):
            return False
        # Words in lower case that a headline would capitalise ("additional reporting by
        # ... in ...; editing by ..."): a line of names (a credit line, a caption).
        lower = sum(not w[0].isupper() and w.lower() not in LINKING_WORDS for w in words)
        return lower <= _TITLE_CASE_LOWER * len(words)


def ends_with_mark(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with a sentence's mark, perhaps before closing
    quotes and brackets (``_ENDS_SENTENCE``), read back from its end: a sentence has no
    white space at its end (else the pattern, which also matches before a last newline).

    Examples
    --------
    >>> ends_with_mark('He said: "Go."', 0, 14), ends_with_mark("Kabul Falls", 0, 11)
    (True, False)
    """
    if end > start and not text[end - 1].isspace():
        k = end
        while k > start and text[k - 1] in _CLOSERS:
            k -= 1
        return k > start and text[k - 1] in ".!?"
    return _ENDS_SENTENCE.search(text, start, end) is not None


def drop_name_pairs(
    mentions: list[Mention], text: str, gaz: Gazetteer, title_case: TitleCase | None = None
) -> tuple[list[Mention], set[str]]:
    """Two one-word "places" side by side with only a space between them are a person's
    given name and surname ("Georgia Hamilton", "Ahad Balkhi"), not two places: English
    writes two places with a comma, a hyphen or a word between them. A function word
    before ("In Jowzjan"), a compass word ("Eastern Ukraine") or a feature word before
    or after ("Lake X", "Panjshir Valley") is no name, and a region's word after a name
    ("X Region", "X State") is its cue, no second place. Returns the mentions kept and the
    names dropped."""
    drop: set[int] = set()
    cue_words: set[int] = set()
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        if b.i != a.j + 1 or b.i != b.j or text[a.end : b.start] != " ":
            continue
        if b.key in REGION_WORDS:
            # "X Region", "X State", "X Oblast": the region's word after its name, even
            # where some place is named "Region", is the name's cue, not a second place
            cue_words.add(k + 1)
            continue
        if a.i != a.j:
            continue
        if title_case is not None and a.sentence in title_case:
            continue  # a headline capitalises every word
        if (
            gaz.zipf.get(a.key, 0.0) >= FUNCTION_ZIPF
            or a.key in DIRECTIONS
            or a.key in FEATURE_WORDS
            or b.key in FEATURE_WORDS
            or b.key in ORG_WORDS
        ):
            continue
        drop.update((k, k + 1))
    kept = [m for k, m in enumerate(mentions) if k not in drop and k not in cue_words]
    return kept, {mentions[k].key for k in drop}


# Capitalised words before a name that make it a body of water's name.
_WATER_BEFORE: Final = frozenset({"lake", "river"})
_NAME_GAPS: Final = frozenset({" ", "-"})
_ORG_GAPS: Final = frozenset({" ", "-", "'s ", "’s ", "s' ", "' "})


def _org_after(m: Mention, words: Words) -> bool:
    """An organisation word among the capitalised words right after the name."""
    caps, folded, gaps = words.caps, words.folded, words.gaps
    n = len(folded)
    k = m.j + 1
    while k < n and k <= m.j + ORG_SPAN:
        if not caps[k] or gaps[k] not in _ORG_GAPS:
            return False
        if folded[k] in ORG_WORDS:
            return True
        k += 1
    return False


class _Placed:
    """The words inside spotted names (``k in placed``), found by bisection over the
    names' first words (names in text order, none overlapping another): no set of every
    such word made per text, for the few words asked about."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.firsts = [m.i for m in mentions]
        self.lasts = [m.j for m in mentions]

    def __contains__(self, k: object) -> bool:
        if not isinstance(k, int):
            return False
        p = bisect_right(self.firsts, k) - 1
        return p >= 0 and self.lasts[p] >= k


def read_context(
    m: Mention,
    words: Words,
    sent_starts: set[int],
    title_case: TitleCase,
    placed: Container[int],
    lower_words: set[str],
    gaz: Gazetteer,
    peoples: frozenset[str],
) -> str:
    """Read the words around a mention: sets its cue and risk.

    Returns ``"place"``, ``"person"`` (a person's name: the name is shadowed in the
    text), or ``"no"`` (an organisation, a people, a date...). ``peoples`` are the
    demonyms (:func:`demonyms`).
    """
    folded, caps = words.folded, words.caps
    n = len(folded)
    before = folded[m.i - 1] if m.i > 0 else ""
    before2 = folded[m.i - 2] if m.i > 1 else ""
    after = folded[m.j + 1] if m.j + 1 < n else ""
    after2 = folded[m.j + 2] if m.j + 2 < n else ""
    same_sentence_before = m.i > 0 and m.i not in sent_starts
    # The word right before, joined by a space or a hyphen ("Governor X"; not "Y, X": a list).
    if (
        same_sentence_before
        and caps[m.i - 1]
        and (m.i - 1) not in placed
        and words.gaps[m.i] in _NAME_GAPS
    ):
        if before in TITLES:
            return "person"  # "Governor X"
        if before in ORG_PREFIXES:
            return "no"  # "Radio X"
        # "Abdul Aziz X": a capitalised non-place word right before (not in a headline);
        # "Guy X", "Mark X": a given name, though an English word too.
        given = before in given_names() and gaz.zipf.get(before, 0.0) < FUNCTION_ZIPF
        if (
            (given or before not in gaz.common_words)
            and before not in JOINERS
            and before not in CALENDAR
            and before not in DIRECTIONS
            and not ((m.i - 1) in sent_starts and before in gaz.known_words and not given)
            and m.sentence not in title_case
        ):
            return "person"
    if before in TITLES and same_sentence_before:
        return "person"
    # "Lake X", "River X": a body of water named after the place, not the place (Lake
    # Chad is no country; Lake Tana no town of that name elsewhere)
    if (
        before in _WATER_BEFORE
        and same_sentence_before
        and caps[m.i - 1]
        and words.gaps[m.i] == " "
        and m.sentence not in title_case
    ):
        return "no"
    # The end of a longer name after a lower-case particle ("Ahrar al-X", "Abu Bakr
    # al-X"): a capitalised non-place word before the particle.
    if (
        before in JOINERS
        and m.i > 1
        and (m.i - 1) not in sent_starts
        and (m.i - 2) not in sent_starts
        and not caps[m.i - 1]
        and caps[m.i - 2]
        and (m.i - 2) not in placed
        and before2 not in gaz.common_words
        and m.sentence not in title_case
    ):
        return "person"
    # An organisation: "Kabul Bank", "X Police Department", "X Operations Command".
    if m.j + 1 < n and caps[m.j + 1] and _org_after(m, words):
        return "no"
    # A given name: "Aziz Bek" (a capitalised word after it that is no English word).
    if (
        m.j + 1 < n
        and caps[m.j + 1]
        and (m.j + 1) not in placed
        and after not in gaz.known_words
        and after not in CALENDAR
        and after not in PROVINCE_CUES  # "X Oblast", "X Governorate": a region's word
        and len(words.gaps[m.j + 1]) == 1
        and m.sentence not in title_case
    ):
        return "person"
    # A people: "Somali troops" (the demonym of a country), not the region of that name.
    if m.i == m.j and m.key in peoples and after not in REGION_WORDS:
        return "no"
    # A group's adjective: "X fighters", "the X community", where X is no place's own
    # name (a village's alternate spelling, a city's name without its article); the
    # noun right after it, in its phrase ("... of X. Insurgents then" is no adjective).
    if (
        m.i == m.j
        and after in GROUP_NOUNS
        and words.gaps[m.j + 1] == " "
        and not _named_by_main_name(m, gaz)
    ):
        return "no"
    if after in PROVINCE_CUES or (before == "of" and before2 in PROVINCE_CUES):
        m.cue = "province"
    elif before == "of" and before2 == "capital":
        m.cue = "region"
    elif after in BASE_CUES or (after == "air" and after2 == "base"):
        m.cue = "airbase"
    elif (
        after in CITY_CUES
        or (before == "of" and before2 in CITY_CUES)
        or ((after == "a" or after == "an") and _apposition(m, words))
    ):
        m.cue = "city"
    word = m.key
    m.risky = m.i == m.j and (word in gaz.common_words or word in lower_words)
    m.feature = after in NATURE_WORDS
    return "place"


def _named_by_main_name(m: Mention, gaz: Gazetteer) -> bool:
    """Some candidate of the mention has its name as its main name (once per name and
    process: a name read one way has the same candidates in every text)."""
    key = ("main", m.key, m.match)
    found = gaz.name_cache.get(key)
    if found is None:
        found = gaz.name_cache[key] = any(gaz.main_key(int(r)) == m.key for r in m.rids)
    return bool(found)


def _apposition(m: Mention, words: Words) -> bool:
    """The name is followed by a comma and "a town", "a small village": an apposition
    that introduces a place the reader does not know ("X, a town west of Y"). Not "the
    capital of ...", which also follows a person's name or a known place."""
    k = m.j + 1
    folded = words.folded
    if k + 1 >= len(folded) or not words.gaps[k].startswith(",") or folded[k] not in ("a", "an"):
        return False
    # the kind word right after the article, or after one adjective ("a small town")
    return folded[k + 1] in CITY_CUES or (
        k + 2 < len(folded) and not words.caps[k + 1] and folded[k + 2] in CITY_CUES
    )


def read_mentions(
    mentions: list[Mention],
    text: str,
    words: Words,
    spans: list[tuple[int, int]],
    sent_starts: set[int],
    gaz: Gazetteer,
) -> list[Mention]:
    """The mentions that may be places, with their cues, risk and shadow set."""
    placed = _Placed(mentions)
    title_case = TitleCase(text, spans)
    mentions, people = drop_name_pairs(mentions, text, gaz, title_case)
    # The one-word names the text also writes in lower case ("mobile" beside "Mobile"):
    # the words' case comes from the scan of the text (geo.textscan). Only a lower-case
    # word as long as one of the names is looked up (hashing every word, to make a set
    # of them or to intersect, cost 3 % of geoparsing).
    singles = {m.key for m in mentions if m.i == m.j}
    # the names' lengths and first letters, as flags read by index (no hashing)
    sized = [False] * 64
    first = [False] * 128
    for key in singles:
        if key:
            sized[min(len(key), 63)] = True
            first[min(ord(key[0]), 127)] = True
    lower_words: set[str] = set()
    folded, lower = words.folded, words.lower
    for k in range(len(folded)):
        if lower[k]:
            word = folded[k]
            if (
                word
                and sized[min(len(word), 63)]
                and first[min(ord(word[0]), 127)]
                and word in singles
            ):
                lower_words.add(word)
    peoples = demonyms(gaz)
    kept = []
    for m in mentions:
        verdict = read_context(m, words, sent_starts, title_case, placed, lower_words, gaz, peoples)
        if verdict == "place":
            kept.append(m)
        elif verdict == "person":
            people.add(m.key)
    for m in kept:
        # A name seen as a person's in this text, standing alone without a cue.
        m.shadow = m.key in people and m.cue is None
        if m.cue == "province" and m.match == "exact":
            _province_by_sound(m, gaz)
    return kept


_REGION_KINDS: Final = frozenset({"province", "region"})


def _province_by_sound(m: Mention, gaz: Gazetteer) -> None:
    """A name with a province cue ("Saada province") that names no region exactly but a
    town ("Saada" is an alternate name of the city Sa'dah) may name a region of the
    town's country by another spelling: the regions of that sound in the countries of
    the towns become its candidates (in place)."""
    key = ("sound", m.key)  # an exact match: the name's candidates are its own
    if key in gaz.name_cache:
        found = gaz.name_cache[key]
    else:
        found = gaz.name_cache[key] = _regions_by_sound(m.key, m.rids, gaz)
    if found is not None:
        m.rids = found
        m.match = "transliteration"


def _regions_by_sound(key: str, rids: np.ndarray, gaz: Gazetteer) -> np.ndarray | None:
    """The regions of :func:`_province_by_sound` for a name and its candidates, or None."""
    kinds, countries = gaz._columns["kind"], gaz._columns["country"]
    if any(kinds[r] in _REGION_KINDS for r in rids):
        return None
    towns = {countries[r] for r in rids}
    found = gaz.lookup(translit_key(key.split()), how="translit")
    regions = [r for r in found if kinds[r] in _REGION_KINDS and countries[r] in towns]
    return np.array(regions, dtype=rids.dtype) if regions else None
