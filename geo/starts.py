"""Regular expressions tried only where a match can start.

``re.search`` and ``re.finditer`` try an expression at every position of the text. The
engine skips ahead by itself only when the expression begins with a literal it can see,
and the rules, actors and dates of :mod:`geo.events` are read without case and begin
with a word-boundary test (``(?<![\\w-])``, ``\\b``): for them it calls its matcher once
per character. Most of those calls fail on the first letter.

:func:`geo.prefilter.start_literals` reads from an expression the strings one of which
every match of it begins with. A :class:`StartIndex` puts those of many expressions in
one Aho-Corasick automaton (`pyahocorasick <https://pypi.org/project/pyahocorasick/>`_,
in C), which reads a sentence's :func:`geo.prefilter.fold_spaces` once and gives each
expression the positions where one of its strings begins. :func:`search_from` and
:func:`find_all` then try the expression at those positions alone, with
``Pattern.match`` (which, like a search, sees the text before its position: a
look-behind and ``\\b`` read as they do in a search). The matches are those of
``search`` and ``finditer`` (``tests/test_starts.py`` checks it on every expression of
the data); an expression without start strings is searched as before, when the same
pass finds one of the literals every match of it holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, cast

import ahocorasick

from geo.prefilter import fold_spaces, loose_literals, start_literals

__all__ = ["StartIndex", "find_all", "search_from"]


class StartIndex:
    """The start strings of many expressions (:func:`geo.prefilter.start_literals`), by
    position, in one automaton; with them, the literal gates of those that have none.

    One pass of the automaton over a sentence gives both: where each anchored expression
    can match, and which of the others may match at all. The gate of an expression is
    the most selective set of literals every match of it holds
    (:func:`geo.prefilter.loose_literals`): an expression runs only in a text that holds
    one of them (one without any always runs), and an anchored one only where it can
    start as well (a start that holds one meets the gate by itself).

    Parameters
    ----------
    patterns : sequence of str or re.Pattern or None
        The expressions, by position (``None``: an empty slot).
    gates : sequence of str or re.Pattern or None, optional
        By position, an expression whose literals gate the slot's when it has no start
        strings (default: the slot's own).

    Examples
    --------
    >>> index = StartIndex([r"(?<![\\w-])(?:air ?strikes?)", r"\\d+ (?:dead|killed)", r"shell(?:ing|ed)"])
    >>> index.anchored
    [True, False, True]
    >>> index.scan("an airstrike, shelling, air strikes")
    ({0: [3, 24], 2: [14]}, set())
    >>> index.scan("12 killed")
    ({}, {1})
    """

    def __init__(
        self,
        patterns: Sequence[str | re.Pattern[str] | None],
        gates: Sequence[str | re.Pattern[str] | None] | None = None,
    ) -> None:
        by_word: dict[str, tuple[list[int], list[int]]] = {}
        anchored: list[bool] = []
        gated: list[bool] = []
        always: list[int] = []
        for slot, pattern in enumerate(patterns):
            words = start_literals(pattern) if pattern is not None else None
            anchored.append(words is not None)
            gated.append(False)
            if pattern is None:
                continue
            for word in words or ():
                by_word.setdefault(word, ([], []))[0].append(slot)
            gate = gates[slot] if gates is not None and gates[slot] is not None else pattern
            assert gate is not None
            lits = loose_literals(gate)
            if lits is None:
                if words is None:
                    always.append(slot)
                continue
            if words is not None and all(any(g in w for g in lits) for w in words):
                continue  # each start holds a literal of the gate: a start meets it
            gated[slot] = True
            for word in lits:
                by_word.setdefault(word, ([], []))[1].append(slot)
        #: Per slot: whether its expression is tried only at its start positions.
        self.anchored = anchored
        self._gated = gated
        self._always = always
        # each string's value in the automaton is its number: what it says (how far back
        # it began, the slots it starts, the gates it meets) is read from typed lists
        self._backs: list[int] = []
        self._slots: list[list[int]] = []
        self._gating: list[list[int]] = []
        self._automaton: Any = None
        if by_word:
            automaton = ahocorasick.Automaton()
            for k, (word, (slots, gating)) in enumerate(by_word.items()):
                automaton.add_word(word, k)
                self._backs.append(len(word) - 1)
                self._slots.append(slots)
                self._gating.append(gating)
            automaton.make_automaton()
            self._automaton = automaton

    def scan(self, text: str) -> tuple[dict[int, list[int]], set[int]]:
        """What one pass over ``text`` (its :func:`geo.prefilter.fold_spaces`) finds: per
        anchored slot with any, the positions where one of its start strings begins, in
        order; and the slots without start strings that may match the text."""
        folded = fold_spaces(text)
        out: dict[int, list[int]] = {}
        loose: set[int] = set(self._always)
        if self._automaton is None:
            return out, loose
        met: set[int] = set()
        backs, starting, gating = self._backs, self._slots, self._gating
        for found in self._automaton.iter(folded):
            hit = cast("tuple[int, int]", found)  # (where it ends, its number)
            k = hit[1]
            for slot in gating[k]:
                met.add(slot)
            slots = starting[k]
            if not slots:
                continue
            start = hit[0] - backs[k]
            for slot in slots:
                got = out.get(slot)
                if got is None:
                    out[slot] = [start]
                else:
                    got.append(start)
        gated = self._gated
        anchored = self.anchored
        for slot in met:
            if not anchored[slot]:
                loose.add(slot)
        for slot in list(out):
            if gated[slot] and slot not in met:
                del out[slot]  # it may start here, but the text lacks what it holds
                continue
            got = out[slot]
            # found by where they end: a longer string may begin before a shorter one
            # found first. Two strings of a slot never begin at one position (neither
            # begins with the other).
            if len(got) > 1:
                got.sort()
        return out, loose

    def starts(self, text: str) -> dict[int, list[int]]:
        """The start positions of :meth:`scan` alone."""
        return self.scan(text)[0]

    def may(self, slot: int, scanned: tuple[dict[int, list[int]], set[int]]) -> bool:
        """Whether the expression of ``slot`` may match the text ``scanned`` is of."""
        return slot in scanned[0] or slot in scanned[1]

    def search(
        self,
        slot: int,
        pattern: re.Pattern[str],
        text: str,
        scanned: tuple[dict[int, list[int]], set[int]],
    ) -> re.Match[str] | None:
        """``pattern.search(text)``, ``pattern`` being the expression of ``slot`` and
        ``scanned`` the :meth:`scan` of ``text``'s fold."""
        starts, loose = scanned
        if self.anchored[slot]:
            got = starts.get(slot)
            return search_from(pattern, text, got) if got is not None else None
        return pattern.search(text) if slot in loose else None

    def find_all(
        self,
        slot: int,
        pattern: re.Pattern[str],
        text: str,
        scanned: tuple[dict[int, list[int]], set[int]],
    ) -> list[re.Match[str]]:
        """``list(pattern.finditer(text))``, as :meth:`search`."""
        starts, loose = scanned
        if self.anchored[slot]:
            got = starts.get(slot)
            return find_all(pattern, text, got) if got is not None else []
        return list(pattern.finditer(text)) if slot in loose else []


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
