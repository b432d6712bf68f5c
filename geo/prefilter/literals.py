"""The literals every match of an expression holds (:func:`required_literal_sets`),
read from its syntax tree; and the parts :mod:`geo.prefilter.starts` walks the same tree
with (:func:`parse_tree`, :func:`exact_strings`, :func:`cross`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geo.prefilter.cache import kept, made
from geo.prefilter.folding import CASED, SPACES_AND_DIGITS, plain

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

__all__ = [
    "MAX_SETS",
    "REPEATS",
    "cross",
    "exact_strings",
    "inner_cased",
    "loose_literals",
    "parse_tree",
    "required_literal_sets",
    "required_literals",
]

#: The most literal sets a gate tests (each one a condition every match meets).
MAX_SETS = 3

#: The most strings an exact set may hold before it is given up.
_MAX_SET = 256

_Set = frozenset[str] | None
#: The parser's repeat operators (``x*``, ``x{1,3}?``, ``x++``).
REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def _cat(x: str, y: str) -> str:
    """Two literals one after the other: cased only if both are."""
    if not x or not y:
        return x or y
    if x[0] == CASED and y[0] == CASED:
        return x + y[1:]
    return plain(x) + plain(y)


def cross(a: frozenset[str], b: frozenset[str], cap: int = _MAX_SET) -> _Set:
    if len(a) * len(b) > cap:
        return None
    return frozenset(_cat(x, y) for x in a for y in b)


def _usable(s: _Set) -> bool:
    return s is not None and len(s) > 0 and all(s)


def _better(a: _Set, b: _Set) -> _Set:
    """The more selective of two factor sets (longest shortest string, then fewer)."""
    if not _usable(b):
        return a
    if not _usable(a):
        return b
    assert a is not None and b is not None
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if ka >= kb else b


_Facts = list[frozenset[str]]  # sets of literals; every match holds one of each set


def _add(facts: _Facts, s: _Set) -> None:
    if _usable(s) and s not in facts:
        assert s is not None
        facts.append(s)


def _best(facts: _Facts) -> _Set:
    out: _Set = None
    for f in facts:
        out = _better(out, f)
    return out


def _sequence(items: Iterable, cased: bool = False, known: bool = True) -> tuple[_Set, _Facts]:
    """(exact, facts) of a sequence of parsed items.

    ``exact`` is every string the sequence can match (``None``: unknown or too many);
    ``facts`` are sets of strings such that every match holds one string of each set.
    ``cased``: the items are inside ``(?-i:...)`` (their literals keep their case).
    ``known=False``: ``exact`` alone (the facts are not made: what is returned in their place
    means nothing).
    """
    exact: _Set = frozenset({""})
    run: frozenset[str] = frozenset({""})
    facts: _Facts = []
    for item in _words(items):
        e, f = _item(item[0], item[1], cased, known)
        exact = cross(exact, e) if exact is not None and e is not None else None
        if not known:
            if exact is None:
                return None, facts
            continue
        if e is not None:
            grown = cross(run, e)
            if grown is None:  # too many: keep what we had, start again from this item
                _add(facts, run)
                grown = e
            run = grown
            if "" in e:
                # the item may match nothing, so its strings say nothing, but what every
                # match of it holds still holds: a lookahead ("(?= forces)"), a branch
                # of one ("(?:forces|(?= shelling))")
                for x in f:
                    _add(facts, x)
        else:
            _add(facts, run)
            run = frozenset({""})
            for x in f:
                _add(facts, x)
    if known:
        _add(facts, run)
    return exact, facts


#: The item :func:`_words` makes of consecutive literals: its value is their string.
_WORD = object()


def _words(items: Iterable) -> list:
    """Parsed items with each run of literals (a word, one per letter in the parse) made
    one item: :func:`_sequence` then crosses its strings with the word once, not letter
    by letter (the same strings: a set crossed with one string keeps its size)."""
    out: list = []
    letters: list[int] = []
    for item in items:
        if item[0] is _c.LITERAL:
            letters.append(item[1])
            continue
        if letters:
            out.append(_word(letters))
            letters = []
        out.append(item)
    if letters:
        out.append(_word(letters))
    return out


def _word(letters: list[int]) -> tuple:
    return (_c.LITERAL, letters[0]) if len(letters) == 1 else (_WORD, tuple(letters))


def _union(parts: list[tuple[_Set, _Facts]]) -> tuple[_Set, _Facts]:
    """An alternation: every match holds a literal of the best set of its branch."""
    exact: _Set = frozenset()
    factors: _Set = frozenset()
    for e, f in parts:
        exact = exact | e if exact is not None and e is not None else None
        if exact is not None and len(exact) > _MAX_SET:
            exact = None
        best = _best(f)
        factors = factors | best if factors is not None and best is not None else None
    return exact, [factors] if _usable(factors) else []  # type: ignore[list-item]


def inner_cased(cased: bool, add_flags: int, del_flags: int) -> bool:
    """Whether a group's literals keep their case: "(?-i:IS)" in a pattern read without
    case, "IS" does; "(?i:...)" inside it does not."""
    return (cased or bool(del_flags & re.IGNORECASE)) and not add_flags & re.IGNORECASE


def _char(code: int, cased: bool) -> str:
    return CASED + chr(code) if cased else chr(code).lower()


def _item(op: Any, av: Any, cased: bool = False, known: bool = True) -> tuple[_Set, _Facts]:
    """(exact, facts) of one parsed item, as :func:`_sequence`'s."""
    if op is _c.LITERAL:
        s = frozenset({_char(av, cased)})
        return s, [s]
    if op is _WORD:
        word = "".join(chr(c) for c in av)
        s = frozenset({CASED + word if cased else word.lower()})
        return s, [s]
    if op is _c.ASSERT and av[0] == 1:
        # a lookahead: zero width, and every text it lets through holds its literals (a
        # search with ``endpos`` sees no further); a lookbehind may read before ``pos``
        return frozenset({""}), _sequence(av[1], cased)[1] if known else []
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset({""}), []  # zero width
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _sequence(sub, inner_cased(cased, add_flags, del_flags), known)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(av, cased, known)
    if op is _c.BRANCH:
        return _union([_sequence(b, cased, known) for b in av[1]])
    if op is _c.IN:
        members = list(av)
        if all(o is _c.LITERAL for o, _ in members):
            s = frozenset(_char(v, cased) for _, v in members)
            return s, [s]
        return None, []
    if op in REPEATS:
        lo, hi, sub = av
        e, f = _sequence(sub, cased, known)
        if hi == 0:
            return frozenset({""}), []
        exact: _Set = None
        if e is not None and hi != _c.MAXREPEAT and hi <= 4:
            exact = frozenset({""}) if lo == 0 else None
            power: _Set = frozenset({""})
            for k in range(1, hi + 1):
                power = cross(power, e) if power is not None else None
                if power is None:
                    exact = None
                    break
                if k >= lo:
                    exact = power if exact is None else exact | power
        if lo == 0:
            return exact, []
        facts = list(f)
        _add(facts, e)
        return exact, facts
    return None, []  # a class, any character, a back-reference: no literal known


def _minimal(s: frozenset[str]) -> frozenset[str]:
    """``s`` without the strings that hold another of its strings (the same test)."""
    alone: list[str] = []
    for x in sorted(s, key=len):
        if not any(_implies(x, k) for k in alone):
            alone.append(x)
    return frozenset(alone)


def _implies(x: str, k: str) -> bool:
    """Whether a text that holds literal ``x`` holds literal ``k``."""
    if k[:1] == CASED:
        return x[:1] == CASED and k[1:] in x[1:]
    return k in plain(x)


def required_literal_sets(pattern: str | re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of lower-case strings such that every match of ``pattern`` holds one string
    of each set (at most :data:`MAX_SETS`, the most selective first; empty: none known).

    Examples
    --------
    >>> [sorted(s) for s in required_literal_sets(r"[Tt]he \\w+ (?:city|town)")]
    [[' city', ' town'], ['the ']]
    """
    if isinstance(pattern, re.Pattern):
        return _literal_sets(pattern.pattern, pattern.flags)
    return _literal_sets(pattern, 0)


@lru_cache(maxsize=256)
def parse_tree(text: str, flags: int) -> Any:
    """The parse of an expression (``None``: not one), for both of the walks below: read,
    never changed."""
    try:
        return _sre.parse(text, flags)
    except Exception:
        return None


@lru_cache(maxsize=4096)
def _literal_sets(text: str, flags: int) -> tuple[frozenset[str], ...]:
    """:func:`required_literal_sets`, once per expression and process; kept on disk
    (:mod:`geo.prefilter.cache`)."""
    found, value = kept("sets", text, flags)
    if found:
        return tuple(frozenset(s) for s in value)
    sets = _analysed_sets(text, flags)
    made("sets", text, flags, [sorted(s) for s in sets])
    return sets


def _analysed_sets(text: str, flags: int) -> tuple[frozenset[str], ...]:
    parsed = parse_tree(text, flags)
    if parsed is None:  # an unparsable pattern gets no gate
        return ()
    _, facts = _sequence(parsed)
    ranked = sorted(
        {_minimal(f) for f in facts}, key=lambda f: (-min(map(len, f)), len(f), sorted(f))
    )
    return tuple(ranked[:MAX_SETS])


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains.

    The most selective of :func:`required_literal_sets`; ``None`` when the expression
    can match without any known literal (then it must always run).

    Examples
    --------
    >>> sorted(required_literals(r"(?<![\\w-])(?:gun ?battles?|firefights?)(?![\\w-])"))
    ['firefight', 'gun battle', 'gunbattle']
    >>> required_literals(r"\\d{4}") is None
    True
    """
    sets = required_literal_sets(pattern)
    return sets[0] if sets else None


def loose_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """The most selective of :func:`required_literal_sets`, as looked for in a text's
    :func:`fold_spaces` (a literal that keeps its case too: a looser test, as safe);
    ``None`` when a match may hold no known literal.

    Examples
    --------
    >>> sorted(loose_literals(r"(?-i:IS) fighters|isis"))
    ['is fighters', 'isis']
    """
    sets = required_literal_sets(pattern)
    return frozenset(plain(x).translate(SPACES_AND_DIGITS) for x in sets[0]) if sets else None


def exact_strings(op: Any, av: Any, cased: bool = False) -> frozenset[str] | None:
    """Every string one parsed item can match (``None``: unknown or too many; a
    zero-width item: ``""``), its literals lower-cased unless ``cased``."""
    return _item(op, av, cased, known=False)[0]
