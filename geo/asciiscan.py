"""The words of an ASCII text in one compiled pass over its character flags.

Most English news is ASCII. For such a text, :mod:`geo.textscan` gives every character
its flags with one ``bytes.translate`` (a C call), then finds the words by some thirty
NumPy calls and cuts the text by one ``str.split``; each NumPy call costs thousands of
machine instructions in Python before it touches the data, and the split makes a
string for every word and every gap, which the callers then slice apart again.

Here one loop, compiled by mypyc, walks the flag bytes once and makes each list the
callers read (words, gaps, offsets, case, folded keys) directly: about a third of the
scan's instructions on a 3,000-character report (docs/scale.md). The words are
:mod:`geo.textscan`'s, which are the regular expression's (``tests/test_textscan.py``
checks all three against each other with Hypothesis).
"""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = ["AsciiWords", "ascii_end_mark", "ascii_sentence_ends", "ascii_words"]

# The flags of geo.textscan (tests/test_textscan.py checks that they are the same).
LETTER: Final = 1
INNER: Final = 2
UPPER: Final = 4
LOWER: Final = 64
SPACE: Final = 8
MARK: Final = 16
CLOSER: Final = 32


class AsciiWords(NamedTuple):
    """The words of an ASCII text (:func:`ascii_words`): the lists of ``geo.text.Words``
    before possessives and abbreviations are trimmed, and the words holding a joining
    character (``odd``), the only ones trimmed."""

    surfaces: list[str]
    starts: list[int]
    ends: list[int]
    gaps: list[str]
    folded: list[str]
    caps: list[bool]
    lower: list[bool]
    odd: list[int]


def ascii_words(text: str, flags: bytes) -> AsciiWords:
    """The words of ``text``, an ASCII text, whose characters have the flags ``flags``
    (one byte each, :func:`geo.textscan.ascii_flags`).

    A word is a maximal run of letters and digits, and of joining characters
    (``.'```) each between two of them: ``[^\\W_]+(?:[.'`][^\\W_]+)*``, leftmost and
    greedy. ``folded`` is each word in lower case; for an ``odd`` word (one holding a
    joining character) it is left to the caller, who trims the word first.

    Examples
    --------
    >>> from geo.textscan import ascii_flags
    >>> t = "Iran's U.S.. a'"
    >>> w = ascii_words(t, ascii_flags(t))
    >>> w.surfaces, w.gaps, w.odd, w.starts, w.ends
    (["Iran's", 'U.S', 'a'], ['', ' ', '.. ', "'"], [0, 1], [0, 7, 13], [6, 10, 14])
    """
    low = text.lower()
    n = len(flags)
    surfaces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    gaps: list[str] = []
    folded: list[str] = []
    caps: list[bool] = []
    lower: list[bool] = []
    odd: list[int] = []
    last = 0
    i = 0
    while i < n:
        f = flags[i]
        if not f & LETTER:
            i += 1
            continue
        start = i
        caps.append(f & UPPER != 0)
        lower.append(f & LOWER != 0)
        held = False
        seen = f  # the flags of the word's letters, together
        i += 1
        while i < n:
            f = flags[i]
            if f & LETTER:
                seen |= f
                i += 1
            elif f & INNER and i + 1 < n and flags[i + 1] & LETTER:
                held = True
                i += 2
            else:
                break
        surface = text[start:i]
        if held:
            odd.append(len(surfaces))
            folded.append("")
        elif seen & UPPER:
            folded.append(low[start:i])
        else:  # no capital: the word is its own lower case (one string, not two)
            folded.append(surface)
        # (most gaps are one character: an index, not a slice)
        gaps.append(text[last] if start - last == 1 else text[last:start])
        surfaces.append(surface)
        starts.append(start)
        ends.append(i)
        last = i
    gaps.append(text[last:])
    return AsciiWords(surfaces, starts, ends, gaps, folded, caps, lower, odd)


def ascii_sentence_ends(text: str, flags: bytes) -> list[int]:
    """:func:`geo.textscan.sentence_ends` of ``text``, an ASCII text whose characters have
    the flags ``flags`` (:func:`geo.textscan.ascii_flags`): each ``.``, ``!`` or ``?``
    followed by another of them, a closing quote or bracket, or a space. The marks are
    found by ``str.find`` (C), a few a sentence; only their next characters are read.

    Examples
    --------
    >>> from geo.textscan import ascii_flags
    >>> t = "U.S. forces left 1.5 km!' Then?!"
    >>> ascii_sentence_ends(t, ascii_flags(t))
    [3, 23, 30]
    """
    out: list[int] = []
    follows = MARK | CLOSER | SPACE
    last = len(flags) - 1  # a mark in the last character is followed by nothing
    for mark in (".", "!", "?"):
        i = text.find(mark)
        while 0 <= i < last:
            if flags[i + 1] & follows:
                out.append(i)
            i = text.find(mark, i + 1)
    out.sort()  # the three marks' positions in text order
    return out


def ascii_end_mark(text: str, flags: bytes, p: int) -> int:
    r"""Where the match of ``geo.sentences._END_MARK_RE`` at ``p`` ends in ``text``, an ASCII
    text whose characters have the flags ``flags``; -1 if it does not match there.

    The pattern (``[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])``) read directly: marks,
    then closing quotes or brackets, then white space and, after an optional opening
    quote or bracket, a capital or a digit. Giving back a mark or a closer never lets the
    look-ahead match (it must begin with white space), so the greedy reading is the only
    one.

    Examples
    --------
    >>> from geo.textscan import ascii_flags
    >>> t = 'He left. "Then" U.S. 2 km!) (Kabul'
    >>> [ascii_end_mark(t, ascii_flags(t), p) for p in (7, 18, 25)]
    [8, -1, 27]
    """
    n = len(flags)
    i = p
    while i < n and flags[i] & MARK:
        i += 1
    if i == p:
        return -1
    while i < n and flags[i] & CLOSER:
        i += 1
    end = i
    while i < n and flags[i] & SPACE:
        i += 1
    if i == end or i >= n:
        return -1
    if text[i] in "\"'([":  # an opening quote or bracket
        i += 1
        if i >= n:
            return -1
    f = flags[i]
    # A-Z, or 0-9 (in ASCII, a letter or digit neither upper nor lower case is a digit)
    if f & UPPER or (f & LETTER and not f & LOWER):
        return end
    return -1
