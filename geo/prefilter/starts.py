"""The strings every match of an expression begins with (:func:`start_literals`), read
from its syntax tree: :class:`geo.gates.StartIndex` tries the expression only where one
of them starts in a text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geo.prefilter.cache import kept, made
from geo.prefilter.folding import SPACES_AND_DIGITS, plain
from geo.prefilter.literals import REPEATS, cross, exact_strings, inner_cased, parse_tree

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]

__all__ = ["start_literals"]

_Set = frozenset[str] | None


def start_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Folded strings one of which every match of ``pattern`` begins with (``None``: not
    known, or a match may be empty).

    A match of the expression can start only where one of them starts in the text's
    :func:`fold_spaces` (same offsets; ``\\s`` is a space there, ``\\d`` an ASCII digit): :class:`geo.gates.StartIndex` tries it there alone,
    instead of at every position as ``re.search`` does. Python's engine cannot skip ahead
    by itself when an expression ignores case or begins with a look-behind or ``\\b``.
    A look-around or a word boundary adds nothing to a start (zero width); an optional
    part counts with and without itself. A letter outside ASCII gives ``None``: its case
    partners under ``re.IGNORECASE`` are not all made one by :func:`fold`.

    Examples
    --------
    >>> sorted(start_literals(r"(?<![\\w-])(?:gun ?battles?|clash(?:es)?)\\b"))
    ['clash', 'gun battle', 'gunbattle']
    >>> sorted(start_literals(r"(?:the |its )?(?:city|town) of"))
    ['city of', 'its city of', 'its town of', 'the city of', 'the town of', 'town of']
    >>> sorted(start_literals(r"\\d+ km"))[:3]
    ['0', '1', '2']
    >>> start_literals(r"\\w+ km") is None
    True
    """
    if isinstance(pattern, re.Pattern):
        return _start_literals(pattern.pattern, pattern.flags)
    return _start_literals(pattern, 0)


@lru_cache(maxsize=4096)
def _start_literals(text: str, flags: int) -> frozenset[str] | None:
    """:func:`start_literals`, once per expression and process; kept on disk
    (:mod:`geo.prefilter.cache`)."""
    found, value = kept("starts", text, flags)
    if found:
        return None if value is None else frozenset(value)
    starts = _analysed_starts(text, flags)
    made("starts", text, flags, None if starts is None else sorted(starts))
    return starts


def _analysed_starts(text: str, flags: int) -> frozenset[str] | None:
    parsed = parse_tree(text, flags)
    if parsed is None:  # an unparsable pattern: searched as it is
        return None
    found = _starts(_spelled(parsed))
    if found is None or not all(found):
        return None
    folded = frozenset(plain(x).translate(SPACES_AND_DIGITS) for x in found)
    if not all(_caseless(x) for x in folded):
        return None
    # a string that begins with another of them starts where that one does. In sorted
    # order the strings that begin with one come right after it, up to the first that
    # does not: each is tested against the last string kept alone.
    alone: list[str] = []
    for x in sorted(folded):
        if not alone or not x.startswith(alone[-1]):
            alone.append(x)
    return frozenset(alone)


def _starts(items: Iterable, cased: bool = False) -> _Set:
    """Strings one of which every match of a sequence of parsed items begins with."""
    items = list(items)
    run: frozenset[str] = frozenset({""})
    for k, (op, av) in enumerate(items):
        exact = exact_strings(op, av, cased)
        if exact is not None:  # every string the item can match (zero width: "")
            grown = cross(run, exact, _MAX_STARTS)
            if grown is None:  # too many: each match still begins with one of run
                return run
            run = grown
            if all(run) and min(map(len, run)) >= _START_ENOUGH:
                return run
            continue
        head = _item_starts(op, av, cased)
        if head is None and _optional(op, av):
            # "(?:the\\s+)?islamic state": the item's own start, or the rest's
            own = _item_starts(op, (1, av[1], av[2]), cased)
            rest = _starts(items[k + 1 :], cased)
            if own is not None and rest is not None and "" not in own:
                head = own | rest
        if head is not None:
            grown = cross(run, head, _MAX_STARTS)
            if grown is not None:
                return grown
        return run
    return run


def _spelled(items: Iterable) -> list:
    """Parsed items as :func:`fold_spaces` reads the text: ``\\s`` a space, ``\\d`` the ten
    ASCII digits (in a class too, when nothing else in it is unknown)."""
    out: list = []
    for op, av in items:
        if op is _c.IN and not any(o is _c.NEGATE for o, _ in av):
            members = []
            for o, v in av:
                if o is _c.CATEGORY and v is _c.CATEGORY_SPACE:
                    members.append((_c.LITERAL, 0x20))
                elif o is _c.CATEGORY and v is _c.CATEGORY_DIGIT:
                    members += [(_c.LITERAL, c) for c in range(0x30, 0x3A)]
                else:
                    members.append((o, v))
            out.append((op, members))
        elif op is _c.SUBPATTERN:
            out.append((op, (*av[:3], _spelled(av[3]))))
        elif op is _c.BRANCH:
            out.append((op, (av[0], [_spelled(b) for b in av[1]])))
        elif op in REPEATS:
            out.append((op, (av[0], av[1], _spelled(av[2]))))
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            out.append((op, (av[0], _spelled(av[1]))))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.append((op, _spelled(av)))
        else:
            out.append((op, av))
    return out


def _optional(op: Any, av: Any) -> bool:
    """Whether the item is a repeat that may match nothing: ``x?``, ``x*``."""
    return op in REPEATS and (av[0] == 0 and av[1] != 0)


def _item_starts(op: Any, av: Any, cased: bool) -> _Set:
    """What every match of one item not known exactly begins with (``None``: unknown)."""
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _starts(sub, inner_cased(cased, add_flags, del_flags))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _starts(av, cased)
    if op is _c.BRANCH:
        out: frozenset[str] = frozenset()
        for branch in av[1]:
            s = _starts(branch, cased)
            if s is None or "" in s:
                return None
            out |= s
            if len(out) > _MAX_STARTS:
                return None
        return out
    if op in REPEATS:
        lo, _hi, sub = av
        return _starts(sub, cased) if lo >= 1 else None
    return None


#: A start this long is selective enough: the strings stop growing there.
_START_ENOUGH = 12
#: The most start strings an expression may have (one automaton holds them all).
_MAX_STARTS = 4096


def _caseless(x: str) -> bool:
    """Whether ``re.IGNORECASE`` matches each character of ``x`` only to itself or to
    what :func:`fold` makes the same: ASCII, or a character without case (an apostrophe
    ’). Other letters may have case partners fold does not join (micro sign and mu)."""
    return x.isascii() or all(c.isascii() or (c.lower() == c == c.upper()) for c in x)
