"""Regular expressions tried only where a match can start.

``re.search`` and ``re.finditer`` try an expression at every position of the text. The
engine skips ahead by itself only when the expression begins with a literal it can see,
and the rules, actors and dates of :mod:`geo.events` are read without case and begin
with a word-boundary test (``(?<![\\w-])``, ``\\b``): for them it calls its matcher once
per character. Most of those calls fail on the first letter.

:func:`geo.prefilter.start_literals` reads from an expression the strings one of which
every match of it begins with. A :class:`StartIndex` puts those of many expressions in
one Aho-Corasick automaton (`pyahocorasick <https://pypi.org/project/pyahocorasick/>`_,
in C), which reads a sentence's :func:`geo.prefilter.fold` once and gives each
expression the positions where one of its strings begins. :func:`search_from` and
:func:`find_all` then try the expression at those positions alone, with
``Pattern.match`` (which, like a search, sees the text before its position: a
look-behind and ``\\b`` read as they do in a search). The matches are those of
``search`` and ``finditer`` (``tests/test_starts.py`` checks it on every expression of
the data); an expression without start strings is searched as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import ahocorasick

from geo.prefilter import start_literals

__all__ = ["StartIndex", "find_all", "search_from"]


class StartIndex:
    """The start strings of many expressions (:func:`geo.prefilter.start_literals`), by
    position, in one automaton.

    Parameters
    ----------
    patterns : sequence of str or re.Pattern or None
        The expressions, by position (``None``: an empty slot).

    Examples
    --------
    >>> index = StartIndex([r"(?<![\\w-])(?:air ?strikes?)", r"\\d+", r"shell(?:ing|ed)"])
    >>> index.anchored
    [True, False, True]
    >>> index.starts("an airstrike, shelling, air strikes")
    {0: [3, 24], 2: [14]}
    """

    def __init__(self, patterns: Sequence[str | re.Pattern[str] | None]) -> None:
        by_word: dict[str, list[int]] = {}
        anchored: list[bool] = []
        for slot, pattern in enumerate(patterns):
            words = start_literals(pattern) if pattern is not None else None
            anchored.append(words is not None)
            for word in words or ():
                by_word.setdefault(word, []).append(slot)
        #: Per slot: whether its expression is tried only at its start positions.
        self.anchored = anchored
        self._automaton: Any = None
        if by_word:
            automaton = ahocorasick.Automaton()
            for word, slots in by_word.items():
                automaton.add_word(word, (len(word) - 1, tuple(slots)))
            automaton.make_automaton()
            self._automaton = automaton

    def starts(self, folded: str) -> dict[int, list[int]]:
        """Per slot with any, the positions in ``folded`` (a text's
        :func:`geo.prefilter.fold`) where one of its start strings begins, in order."""
        out: dict[int, list[int]] = {}
        if self._automaton is None:
            return out
        for end, (back, slots) in self._automaton.iter(folded):
            start = end - back
            for slot in slots:
                got = out.get(slot)
                if got is None:
                    out[slot] = [start]
                else:
                    got.append(start)
        for got in out.values():
            # found by where they end: a longer string may begin before a shorter one
            # found first. Two strings of a slot never begin at one position (neither
            # begins with the other).
            if len(got) > 1:
                got.sort()
        return out


def search_from(
    pattern: re.Pattern[str], text: str, starts: list[int], pos: int = 0
) -> re.Match[str] | None:
    """``pattern.search(text, pos)``, tried only at ``starts`` (from
    :meth:`StartIndex.starts`) from ``pos`` on."""
    for k in range(bisect_left(starts, pos), len(starts)):
        m = pattern.match(text, starts[k])
        if m is not None:
            return m
    return None


def find_all(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, tried only at ``starts`` (from
    :meth:`StartIndex.starts`). Each match is at least one character long (a start string
    is), so the next one is looked for from its end."""
    out: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            out.append(m)
            end = m.end()
    return out
