"""Text handling shared by the gazetteer and the geoparser.

- :func:`tokenize` finds words with their character offsets; :func:`word_table` gives
  the same words as parallel lists, with their folded keys, capitalisation and the
  text between them, made by C-level passes over the whole text (what the geoparser
  reads: it never builds one object per word).
- :func:`fold` makes the *exact* key of a word: ASCII, lower case, no apostrophes.
- :func:`name_key` and :func:`translit_key` make the two keys a place name is
  indexed and looked up by. The transliteration key absorbs the ways the press
  romanises Persian and Pashto names (Qala-i-Naw, Qala i Naw, Kala-i-Nau,
  Qal'eh-ye Now) by general rules, not by listing names:

  1. the ezafe particle (``-e-``, ``-i-``, ``-ye``) is dropped, also when it is
     glued to the word before it (``Sari Pul`` = ``Sar-e Pol``);
  2. ``q`` sounds as ``k``, ``v`` as ``w``, ``ph`` as ``f``;
  3. every vowel, and ``y``/``w`` where they act as vowels, becomes ``a``; runs of
     the same letter collapse (``ee``, ``aa``, ``ss``);
  4. a word-final ``h`` after a vowel is dropped (``Qal'eh``, ``Gah``).

- :mod:`geo.sentences` splits text into sentences, keeping offsets (its
  :func:`sentence_spans`, :func:`trimmed_spans` and :data:`MAX_SENTENCE_CHARS` are
  re-exported here).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from anyascii import anyascii

from geo.asciiscan import ascii_words
from geo.sentences import MAX_SENTENCE_CHARS, sentence_spans, trimmed_spans
from geo.sentences import SCAN_FROM as _SCAN_FROM
from geo.textscan import ascii_flags, word_pieces

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Token",
    "Words",
    "fold",
    "folded_words",
    "name_key",
    "sentence_spans",
    "sentence_starts",
    "tokenize",
    "translit_key",
    "trimmed_spans",
    "word_table",
]

# Runs of letters and digits, joined by single apostrophes or dots (Qal'eh, U.S).
_WORD_RE = re.compile(r"[^\W_]+(?:[.'’`ʼ][^\W_]+)*")
_APOSTROPHES = "'’`ʼ"
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_EZAFE = frozenset({"e", "i", "ye", "yi", "y", "ee"})
_VOWELS = frozenset("aeiou")


class Token(NamedTuple):
    """A word in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str

    @property
    def capitalized(self) -> bool:
        return self.surface[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with offsets; a possessive ``'s`` is left out.

    Abbreviations with inner dots (``U.S.``) stay one token.

    Examples
    --------
    >>> [t.surface for t in tokenize("Iran's envoy left Qal'eh-ye Now.")]
    ['Iran', 'envoy', 'left', "Qal'eh", 'ye', 'Now']
    """
    w = word_table(text)
    return list(map(Token, w.starts, w.ends, w.surfaces))


class Words(NamedTuple):
    """The words of a text as parallel lists (:func:`word_table`).

    ``gaps[k]`` is the text right before word ``k`` (``gaps[n]``: after the last
    word), so ``text[ends[k] : starts[k + 1]] == gaps[k + 1]``.
    """

    surfaces: list[str]
    starts: list[int] | array[int]  # a machine array for a long text (memory)
    ends: list[int] | array[int]
    gaps: list[str]
    folded: list[str]
    caps: list[bool]
    #: Whether each word begins in lower case (``str.islower``; not the opposite of
    #: ``caps``: a digit or a letter without case is neither).
    lower: list[bool]


_WORD_SPLIT = re.compile(f"({_WORD_RE.pattern})")
# The same split for a text whose letters and digits are all ASCII (most English news;
# its curly quotes and dashes are not word characters in either mode): ``\w`` then
# means ``[A-Za-z0-9_]``, which finds the same words about a third faster.
_WORD_SPLIT_ASCII = re.compile(_WORD_SPLIT.pattern, re.ASCII)
# A separator inside a word (a possessive, an abbreviation), in the words joined by NUL.
_INNER_SEPARATOR = re.compile("[.'’`ʼ]")
_DROP_SEPARATORS = str.maketrans("", "", ".'`")
# Texts longer than this share one string object per distinct word (memory, not speed).
_SHARE_WORDS_ABOVE = 200_000


def word_table(text: str) -> Words:
    """The words of ``text`` as :func:`tokenize` finds them, as parallel lists.

    C-level passes over the whole text (:mod:`geo.textscan`; a regular-expression split
    for a short text): Python touches only the few words with a possessive or inner dots.

    Examples
    --------
    >>> w = word_table("Iran's envoy met the U.S. team.")
    >>> w.surfaces, w.caps[:2], w.folded[4]
    (['Iran', 'envoy', 'met', 'the', 'U.S.', 'team'], [True, False], 'us')
    >>> w.gaps[1], w.starts[1]
    ("'s ", 7)
    """
    return _word_table(text, len(text) >= _SCAN_FROM)


def _word_table(text: str, scan: bool) -> Words:
    """:func:`word_table`, its words found by :mod:`geo.textscan` if ``scan`` (by
    :mod:`geo.asciiscan` for an ASCII text), else by the regular expression
    ``_WORD_SPLIT`` (the reference: the same words)."""
    long_text = len(text) > _SHARE_WORDS_ABOVE
    if scan and text.isascii():
        return _ascii_word_table(text, long_text)
    bounds: list[int] | array[int]
    scanned = word_pieces(text, long_text) if scan else None
    if scanned is not None:
        pieces, bounds, odd, caps, lower = scanned
    else:
        pieces = _split_words(text)
        if long_text:  # offsets as machine integers: 8 bytes each, not an int object
            bounds = array("q", accumulate(map(len, pieces)))
        else:  # a list is faster to make and to read
            bounds = list(accumulate(map(len, pieces)))
    surfaces = pieces[1::2]
    gaps = pieces[0::2]
    starts = bounds[0:-1:2]
    ends = bounds[1::2]
    if scanned is None:
        odd = _odd_words(surfaces)
        caps = [w[0].isupper() for w in surfaces]
        lower = [w[0].islower() for w in surfaces]
    _trim_odd(odd, surfaces, ends, gaps)
    joined = "\x00".join(surfaces)
    if joined.isascii():
        # fold() of an ASCII word: lower case without its inner separators.
        folded = joined.lower().translate(_DROP_SEPARATORS).split("\x00") if surfaces else []
    else:
        folded = list(map(fold, surfaces))
    if long_text:
        # A long text repeats its words: one string object for each distinct word.
        surfaces = list(map(sys.intern, surfaces))
        folded = list(map(sys.intern, folded))
    return Words(surfaces, starts, ends, gaps, folded, caps, lower)


def _ascii_word_table(text: str, long_text: bool) -> Words:
    """:func:`word_table` of an ASCII text, by the compiled pass of :mod:`geo.asciiscan`."""
    w = ascii_words(text, ascii_flags(text))
    surfaces, ends, folded = w.surfaces, w.ends, w.folded
    _trim_odd(w.odd, surfaces, ends, w.gaps)
    for k in w.odd:  # fold() of an ASCII word: lower case without its inner separators
        folded[k] = surfaces[k].lower().translate(_DROP_SEPARATORS)
    if long_text:  # offsets as machine integers, one string object per distinct word
        return Words(
            list(map(sys.intern, surfaces)),
            array("q", w.starts),
            array("q", ends),
            w.gaps,
            list(map(sys.intern, folded)),
            w.caps,
            w.lower,
        )
    return Words(surfaces, w.starts, ends, w.gaps, folded, w.caps, w.lower)


def _trim_odd(
    odd: list[int], surfaces: list[str], ends: list[int] | array[int], gaps: list[str]
) -> None:
    """Trim the words that hold a joining character, in place: a possessive ``'s`` goes
    to the gap after the word; initials (``U.S``) take back their last dot."""
    for k in odd:
        surface = surfaces[k]
        if len(surface) > 2 and surface[-2] in _APOSTROPHES and surface[-1] in "sS":
            surfaces[k] = surface[:-2]
            ends[k] -= 2
            gaps[k + 1] = surface[-2:] + gaps[k + 1]
        elif _INITIALS_RE.fullmatch(surface) and gaps[k + 1][:1] == ".":
            surfaces[k] = surface + "."  # U.S. keeps its last dot
            ends[k] += 1
            gaps[k + 1] = gaps[k + 1][1:]


def _odd_words(surfaces: list[str]) -> list[int]:
    """The numbers of the words that hold an inner separator (a possessive, an abbreviation)."""
    joined = "\x00".join(surfaces)
    odd: list[int] = []
    k = pos = 0
    for m in _INNER_SEPARATOR.finditer(joined):
        k += joined.count("\x00", pos, m.start())  # counted from the last hit: linear
        pos = m.start()
        if not odd or odd[-1] != k:
            odd.append(k)
    return odd


def _split_words(text: str) -> list[str]:
    """``text`` split into the pieces between words and the words, alternately."""
    if text.isascii() or not any(c.isalnum() for c in set(text) if c > "\x7f"):
        return _WORD_SPLIT_ASCII.split(text)
    return _WORD_SPLIT.split(text)


def sentence_starts(words: Words, spans: list[tuple[int, int]]) -> set[int]:
    """The words that begin a sentence (``spans`` from :func:`sentence_spans` on the same
    text): the first word inside each sentence that has one.

    Examples
    --------
    >>> text = "Fighting began. It went on! And on"
    >>> sorted(sentence_starts(word_table(text), sentence_spans(text)))
    [0, 2, 5]
    """
    starts = words.starts
    first = set()
    n = len(starts)
    for s, e in spans:
        k = bisect_left(starts, s)
        if k < n and starts[k] < e:
            first.add(k)
    return first


@lru_cache(maxsize=1_000_000)
def fold(word: str) -> str:
    """The exact key of one word: ASCII letters and digits, lower case.

    Examples
    --------
    >>> fold("Herāt"), fold("Qal`eh"), fold("U.S.")
    ('herat', 'qaleh', 'us')
    """
    ascii_word = anyascii(word) if not word.isascii() else word
    return "".join(ch for ch in ascii_word.lower() if ch.isalnum())


def folded_words(name: str) -> list[str]:
    """The folded words of a name, as :func:`tokenize` and :func:`fold` make them.

    Examples
    --------
    >>> folded_words("Qal`eh-ye Now")
    ['qaleh', 'ye', 'now']
    """
    out = []
    for word in _WORD_RE.findall(name):
        if len(word) > 2 and word[-2] in _APOSTROPHES and word[-1] in "sS":
            word = word[:-2]
        key = fold(word)
        if key:
            out.append(key)
    return out


def name_key(name: str) -> str:
    """The exact key of a multi-word name: folded words joined by one space.

    Examples
    --------
    >>> name_key("Qala-i-Naw"), name_key("Mazār-i-Sharīf")
    ('qala i naw', 'mazar i sharif')
    """
    return " ".join(folded_words(name))


@lru_cache(maxsize=200_000)
def _sound(word: str) -> str:
    w = word.replace("q", "k").replace("ph", "f").replace("v", "w").replace("ck", "k")
    out: list[str] = []
    for i, ch in enumerate(w):
        if ch in _VOWELS or (ch == "y" and i > 0) or (ch == "w" and out and out[-1] == "a"):
            ch = "a"
        if not out or out[-1] != ch:
            out.append(ch)
    s = "".join(out)
    if len(s) > 2 and s.endswith("ah"):
        s = s[:-1]
    return s


def translit_key(words: list[str] | str) -> str:
    """The transliteration key of a name (see the module docstring).

    Parameters
    ----------
    words : str or list of str
        A name, or its words already folded with :func:`fold`.

    Examples
    --------
    >>> {translit_key(n) for n in ["Qala-i-Naw", "Qala i Naw", "Kala-i-Nau", "Qal'eh-ye Now"]}
    {'kalna'}
    >>> translit_key("Sari Pul") == translit_key("Sar-e Pol") == translit_key("Sar-i-Pul")
    True
    >>> translit_key("Mazar-i-Sharif") == translit_key("Mazar-e Sharif")
    True
    """
    if isinstance(words, str):
        words = folded_words(words)
    words = [w for w in words if w]
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if w not in _EZAFE), words[-1]]
    if len(words) == 2 and words[1] in _EZAFE:
        words = words[:1]
    sounds = [_sound(w) for w in words]
    for i in range(len(sounds) - 1):
        if len(sounds[i]) > 3 and sounds[i][-1] == "a":
            sounds[i] = sounds[i][:-1]
    return "".join(sounds)
