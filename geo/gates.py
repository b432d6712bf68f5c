"""Literal gates and start positions: which regular expressions may match a sentence,
and where, from one automaton pass.

Most sentences of a report hold no trigger word of a rule, no actor and no date, and
``re.search`` and ``re.finditer`` try an expression at every position of the text. The
engine skips ahead by itself only when the expression begins with a literal it can see,
and the rules, actors and dates of :mod:`geo.events` are read without case and begin
with a word-boundary test (``(?<![\\w-])``, ``\\b``): for them it calls its matcher once
per character. Most of those calls fail on the first letter.

:mod:`geo.prefilter` reads from an expression's syntax tree the literals every match of
it holds and those one of which every match begins with. The classes here put those of
many expressions in one Aho-Corasick automaton (`pyahocorasick
<https://pypi.org/project/pyahocorasick/>`_, in C) that reads a sentence once:

- :class:`LiteralIndex` says which expressions may match it at all (a gate);
- :class:`StartIndex` also gives each expression the positions where one of its start
  strings begins, in the sentence's :func:`geo.prefilter.fold_spaces`;
  :func:`search_from` and :func:`find_all` then try it at those positions alone, with
  ``Pattern.match`` (which, like a search, sees the text before its position: a
  look-behind and ``\\b`` read as they do in a search).

The matches are those of ``search`` and ``finditer`` (``tests/test_gates.py`` checks it on
every expression of the data, and ``tests/test_prefilter.py`` that no gate turns away a
text an expression matches); an expression without start strings is searched as before,
when the pass finds one of the literals every match of it holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import suppress
from functools import reduce
from operator import itemgetter, or_
from typing import Any, Final, cast

import ahocorasick

from geo.prefilter import (
    CASED,
    fold,
    fold_spaces,
    loose_literals,
    required_literal_sets,
    start_literals,
)
from geo.prefilter.cache import keep as keep_analyses

__all__ = ["SHARED_PASS", "LiteralIndex", "ScanGroup", "StartIndex", "find_all", "search_from"]


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
    group : ScanGroup, optional
        Read texts in one pass with the group's other indexes (an index the group
        cannot take reads alone).
    keep : bool
        Keep the expressions' analyses for the next process (:mod:`geo.prefilter.cache`):
        the indexes of the package's own tables.

    Examples
    --------
    >>> index = StartIndex([r"(?<![\\w-])(?:air ?strikes?)", r"\\w+ (?:dead|killed)", r"shell(?:ing|ed)"])
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
        group: ScanGroup | None = None,
        keep: bool = False,
    ) -> None:
        by_word: dict[str, tuple[list[int], list[int]]] = {}
        anchored: list[bool] = []
        gated: list[bool] = []
        always: list[int] = []
        chars: dict[int, re.Pattern[str]] = {}
        for slot, pattern in enumerate(patterns):
            words = start_literals(pattern) if pattern is not None else None
            anchored.append(words is not None)
            gated.append(False)
            if pattern is None:
                continue
            # a start of one character (a space, a digit) is in most sentences: it is
            # looked for after the pass, by a character class, and only in a text that
            # meets the gate; the automaton holds the longer ones
            single = sorted(w for w in words or () if len(w) == 1)
            if single:
                chars[slot] = re.compile("[" + "".join(re.escape(c) for c in single) + "]")
            for word in words or ():
                if len(word) > 1:
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
        self._chars = chars
        # each string's value in the automaton is its number: what it says (how far back
        # it began, the slots it starts, the gates it meets) is read from typed lists
        self._words: list[str] = list(by_word)
        self._backs: list[int] = [len(word) - 1 for word in self._words]
        self._slots: list[list[int]] = [slots for slots, _ in by_word.values()]
        self._gating: list[list[int]] = [gating for _, gating in by_word.values()]
        self._group = group
        self._member = -1
        self._automaton: Any = None
        if group is not None:  # every attribute is set: the group may read them
            self._member = group.join(self)
        if keep:  # the expressions' analyses, for the next process (if new)
            keep_analyses([*patterns, *(gates or ())])
        if self._member < 0 and self._words:
            self._automaton = _automaton({word: k for k, word in enumerate(self._words)})

    def _hits(self, text: str) -> tuple[str, list[int], list[int]]:
        """The fold of ``text``; and each string of this index found in it: where it ends,
        and its number (from the group's pass, or from this index's own)."""
        group = self._group
        if group is not None and self._member >= 0:
            return group.hits(self._member, text)
        folded = fold_spaces(text)
        ends: list[int] = []
        numbers: list[int] = []
        if self._automaton is not None:
            for found in self._automaton.iter(folded):
                hit = cast("tuple[int, int]", found)  # (where it ends, its number)
                ends.append(hit[0])
                numbers.append(hit[1])
        return folded, ends, numbers

    def scan(self, text: str) -> tuple[dict[int, list[int]], set[int]]:
        """What one pass over ``text`` (its :func:`geo.prefilter.fold_spaces`) finds: per
        anchored slot with any, the positions where one of its start strings begins, in
        order; and the slots without start strings that may match the text."""
        folded, ends, numbers = self._hits(text)
        out: dict[int, list[int]] = {}
        loose: set[int] = set(self._always)
        met: set[int] = set()
        backs, starting, gating = self._backs, self._slots, self._gating
        for j in range(len(numbers)):
            k = numbers[j]
            for slot in gating[k]:
                met.add(slot)
            slots = starting[k]
            if not slots:
                continue
            start = ends[j] - backs[k]
            for slot in slots:
                got = out.get(slot)
                if got is None:
                    out[slot] = [start]
                else:
                    got.append(start)
        gated = self._gated
        anchored = self.anchored
        for slot, chars in self._chars.items():
            if gated[slot] and slot not in met:
                continue
            at = [m.start() for m in chars.finditer(folded)]
            if at:
                got = out.get(slot)
                if got is None:
                    out[slot] = at
                else:
                    got.extend(at)
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


class ScanGroup:
    """Start indexes that read a text in one pass (:class:`StartIndex` ``group``).

    The event stage reads each sentence with several indexes (the rules, the actors, the
    dates, the claims, ...), each with an automaton of its own: as many passes over the
    sentence and as many folds of it. A group puts the start strings and gates of all
    its members in one automaton; the first member to read a text makes the pass, and
    the members that read it after take their hits from it. The last ``keep`` texts are
    kept: a report's sentences, whose actors are all read before the rest of each.

    At most ``limit`` indexes join (the first ones made): one made after reads alone, as
    an index without a group, and the pass stays bounded whatever a long-running process
    builds. An index that joins makes the group build its automaton again (at its next
    pass) and forget the texts it kept.

    Examples
    --------
    >>> group = ScanGroup()
    >>> a = StartIndex([r"\\bair ?strikes?"], group=group)
    >>> b = StartIndex([r"\\bshell(?:ing|ed)", r"\\bstrikes?\\b"], group=group)
    >>> a.scan("Shelling and AIR STRIKES"), b.scan("Shelling and AIR STRIKES")
    (({0: [13]}, set()), ({0: [0], 1: [17]}, set()))
    >>> group.passes
    1
    """

    def __init__(self, limit: int = 16, keep: int = 256) -> None:
        self._members: list[StartIndex] = []
        self._limit = limit
        self._keep = keep
        self._automaton: Any = None
        self._owners: list[list[int]] = []  # per string: its members and numbers, in pairs
        self._built = True
        self._texts: OrderedDict[str, tuple[str, list[list[int]], list[list[int]]]] = OrderedDict()
        #: How many passes the group made (for tests and benchmarks).
        self.passes = 0

    def join(self, index: StartIndex) -> int:
        """Take ``index`` in: its number among the members, or -1 if the group is full."""
        if len(self._members) >= self._limit:
            return -1
        self._members.append(index)
        self._built = False
        self._texts.clear()
        return len(self._members) - 1

    def ready(self) -> None:
        """Build the automaton of the members' strings now (a pool's parent, before it
        forks, so that its workers share it)."""
        if self._built:
            return
        owners: list[list[int]] = []
        numbers: dict[str, int] = {}
        for m, index in enumerate(self._members):
            for k, word in enumerate(index._words):
                g = numbers.get(word)
                if g is None:
                    g = numbers[word] = len(owners)
                    owners.append([])
                owners[g] += (m, k)
        self._automaton = _automaton(numbers)
        self._owners = owners
        self._built = True

    def hits(self, member: int, text: str) -> tuple[str, list[int], list[int]]:
        """The fold of ``text``, and the strings of member ``member`` found in it: where
        each ends, and its number in the member (as :meth:`StartIndex.scan` reads them)."""
        kept = self._texts.get(text)
        if kept is None or member >= len(kept[1]):
            kept = self._pass(text)
        return kept[0], kept[1][member], kept[2][member]

    def _pass(self, text: str) -> tuple[str, list[list[int]], list[list[int]]]:
        self.ready()
        folded = fold_spaces(text)
        n = len(self._members)
        ends: list[list[int]] = [[] for _ in range(n)]
        numbers: list[list[int]] = [[] for _ in range(n)]
        owners = self._owners
        if self._automaton is not None:
            for found in self._automaton.iter(folded):
                hit = cast("tuple[int, int]", found)  # (where it ends, its number)
                end = hit[0]
                mine = owners[hit[1]]
                for j in range(0, len(mine), 2):
                    m = mine[j]
                    ends[m].append(end)
                    numbers[m].append(mine[j + 1])
        kept = (folded, ends, numbers)
        texts = self._texts
        if len(texts) >= self._keep:
            with suppress(KeyError):  # another thread's index joined: the texts are gone
                texts.popitem(last=False)
        texts[text] = kept
        self.passes += 1
        return kept


#: The group of the event stage's start indexes (the rules, the actors, the dates, the
#: claims, "the city", the regions): one pass over each sentence.
SHARED_PASS: Final = ScanGroup()


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


class LiteralIndex:
    """The literal gates of many expressions in one Aho-Corasick automaton.

    :meth:`active` reads a folded text once (`pyahocorasick
    <https://pypi.org/project/pyahocorasick/>`_, in C) and returns the positions of the
    expressions that may match it: those one of whose :func:`required_literals` occurs,
    and those without literals (always). An expression left out cannot match the text.

    Parameters
    ----------
    patterns : sequence of str or re.Pattern or None
        The expressions, by position (``None``: an empty slot, never active).
    keep : bool
        Keep the expressions' analyses for the next process, as :class:`StartIndex`.

    Examples
    --------
    >>> index = LiteralIndex([r"air ?strikes?", r"\\d{4}", r"shell(?:ing|ed)"])
    >>> sorted(index.active(fold("An AIR STRIKE in 2021")))
    [0, 1]
    """

    def __init__(
        self, patterns: Sequence[str | re.Pattern[str] | None], keep: bool = False
    ) -> None:
        # Each set of each expression is a bit of one integer (a "slot"); a literal's value
        # in the automaton is the bits of the sets it belongs to. A text's bits are the OR
        # of its literals' values, made in C; an expression may match when all its bits
        # are in. Python then touches only the expressions whose first set is met.
        by_literal: dict[str, int] = {}
        always = set()
        self._slots: dict[int, tuple[int, int]] = {}  # first bit -> (expression, its bits)
        firsts = 0
        bit = 0
        for i, pattern in enumerate(patterns):
            if pattern is None:
                continue
            sets = required_literal_sets(pattern)
            if not sets:
                always.add(i)
                continue
            self._slots[bit] = (i, (1 << len(sets)) - 1)
            firsts |= 1 << bit
            for j, lits in enumerate(sets):
                for lit in lits:
                    by_literal[lit] = by_literal.get(lit, 0) | (1 << (bit + j))
            bit += len(sets)
        self.always = frozenset(always)
        self._firsts = firsts
        # the folded literals; those that keep their case, read in the text itself; and
        # for a caller that gives only the folded text, those too in their folded form
        self._automaton = _automaton({k: v for k, v in by_literal.items() if k[:1] != CASED})
        cased = {k[1:]: v for k, v in by_literal.items() if k[:1] == CASED}
        self._cased = _automaton(cased)
        loose = {k: v for k, v in by_literal.items() if k[:1] != CASED}
        for k, v in cased.items():
            loose[fold(k)] = loose.get(fold(k), 0) | v
        self._loose = _automaton(loose) if cased else self._automaton
        if keep:
            keep_analyses(patterns)

    def active(self, folded: str, text: str | None = None) -> frozenset[int]:
        """Positions of the expressions that may match ``text`` (whose :func:`fold` is
        ``folded``): a literal of each of their sets occurs in it. Without ``text``, a
        literal that keeps its case (:data:`CASED`) is looked for in ``folded`` too (a
        looser gate, as safe)."""
        met = 0
        if text is not None or self._cased is None:
            if self._automaton is not None:
                met = reduce(or_, map(_SECOND, self._automaton.iter(folded)), 0)
            if self._cased is not None and text is not None:
                met |= reduce(or_, map(_SECOND, self._cased.iter(text)), 0)
        elif self._loose is not None:
            met = reduce(or_, map(_SECOND, self._loose.iter(folded)), 0)
        first = met & self._firsts
        if not first:
            return self.always
        out = []
        slots = self._slots
        while first:
            low = first & -first
            at = low.bit_length() - 1
            i, full = slots[at]
            if (met >> at) & full == full:
                out.append(i)
            first ^= low
        return self.always.union(out)


def _automaton(words: dict[str, int]) -> ahocorasick.Automaton | None:
    """An automaton of ``words``, each with its value (``None`` if there is none)."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word, bits in words.items():
        automaton.add_word(word, bits)
    automaton.make_automaton()
    return automaton


_SECOND = itemgetter(1)
