"""A cheap test before an expensive regular expression: the words a match must contain.

Most sentences of a report hold no trigger word of a rule, no actor and no date, yet each
rule's expression scans each sentence position by position. :func:`required_literals`
reads an expression's syntax tree and returns a set of literal strings such that *every*
match of it contains one of them (e.g. ``{"air strike", "airstrike", "drone strike",
...}``). :func:`start_literals` returns the strings one of which every match begins
with. :mod:`geo.gates` puts them in an Aho-Corasick automaton that reads a sentence's
:func:`fold`\\ ed (lower-cased) form once, in C, and says which expressions may match it,
and where; only those run, only there. The test is safe by construction: a text it turns
away cannot hold a match, so every expression's matches are unchanged; an expression
whose matches need no literal (``\\d{4}``) is always run.

Case: literals are lower-cased, and :func:`fold` lower-cases the text after mapping the
four non-ASCII letters Python's ``re.IGNORECASE`` treats as ASCII letters (dotted and
dotless I, long s, Kelvin sign) to those letters, so a case-insensitive match is never
missed; a case-sensitive part only makes the gate looser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geo.prefilter_cache import kept, made

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

__all__ = [
    "CASED",
    "DIGIT_EXTRA",
    "FOLD_EXTRA",
    "MAX_SETS",
    "SPACE_EXTRA",
    "fold",
    "fold_spaces",
    "loose_literals",
    "required_literal_sets",
    "required_literals",
    "start_literals",
]

#: Non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter, whose
#: ``str.lower`` is not that letter (checked over every code point by the tests).
FOLD_EXTRA = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}

#: The most literal sets a gate tests (each one a condition every match meets).
MAX_SETS = 3

#: The most strings an exact set may hold before it is given up.
_MAX_SET = 256

_Set = frozenset[str] | None
#: The parser's repeat operators (``x*``, ``x{1,3}?``, ``x++``).
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


#: The characters ``\\s`` matches, but the space (checked over every code point by the
#: tests); :func:`fold_spaces` makes each a space.
SPACE_EXTRA = {
    c: " "
    for c in (
        *range(0x9, 0xE),
        *range(0x1C, 0x20),
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x3000,
    )
}


#: The zero of each run of ten digits ``\\d`` matches (Unicode's decimal digits, each
#: run 0-9 in order; checked over every code point by the tests).
_ZEROS = (
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6,
    0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
    0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50,
    0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
    0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip
#: Each digit ``\\d`` matches outside ASCII, as its ASCII digit (:func:`fold_spaces`).
DIGIT_EXTRA = {zero + k: str(k) for zero in _ZEROS[1:] for k in range(10)}
_SPACES_AND_DIGITS = {**SPACE_EXTRA, **DIGIT_EXTRA}


def fold(text: str) -> str:
    """``text`` lower-cased for a gate, one character for one (same offsets).

    Examples
    --------
    >>> fold("Air STRIKES")
    'air strikes'
    """
    if not text.isascii():
        text = text.translate(FOLD_EXTRA)
    return text.lower()


def fold_spaces(text: str) -> str:
    """:func:`fold`, every character ``\\s`` matches as a space and every one ``\\d``
    matches as its ASCII digit (same offsets): what :func:`start_literals` are looked
    for in.

    Examples
    --------
    >>> fold_spaces("Fell\\tON\\n\\u0661\\u0662 May")
    'fell on 12 may'
    """
    folded = fold(text)
    if folded.isascii():
        # its digits are ASCII; each space but " " is not printable: most hold none
        return folded if folded.isprintable() else folded.translate(SPACE_EXTRA)
    return folded.translate(_SPACES_AND_DIGITS)


#: The mark of a literal that must occur in the text with its case ("IS" of
#: ``(?-i:IS)``): a string of :func:`required_literal_sets` that begins with it is looked
#: for in the text itself, the others in its :func:`fold`.
CASED = "\x01"


def _plain(x: str) -> str:
    """A literal as it occurs in the folded text (a cased one: its folded form)."""
    return fold(x[1:]) if x[:1] == CASED else x


def _cat(x: str, y: str) -> str:
    """Two literals one after the other: cased only if both are."""
    if not x or not y:
        return x or y
    if x[0] == CASED and y[0] == CASED:
        return x + y[1:]
    return _plain(x) + _plain(y)


def _cross(a: frozenset[str], b: frozenset[str], cap: int = _MAX_SET) -> _Set:
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
        exact = _cross(exact, e) if exact is not None and e is not None else None
        if not known:
            if exact is None:
                return None, facts
            continue
        if e is not None:
            grown = _cross(run, e)
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


def _inner_cased(cased: bool, add_flags: int, del_flags: int) -> bool:
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
        return _sequence(sub, _inner_cased(cased, add_flags, del_flags), known)
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
    if op in _REPEATS:
        lo, hi, sub = av
        e, f = _sequence(sub, cased, known)
        if hi == 0:
            return frozenset({""}), []
        exact: _Set = None
        if e is not None and hi != _c.MAXREPEAT and hi <= 4:
            exact = frozenset({""}) if lo == 0 else None
            power: _Set = frozenset({""})
            for k in range(1, hi + 1):
                power = _cross(power, e) if power is not None else None
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
    kept: list[str] = []
    for x in sorted(s, key=len):
        if not any(_implies(x, k) for k in kept):
            kept.append(x)
    return frozenset(kept)


def _implies(x: str, k: str) -> bool:
    """Whether a text that holds literal ``x`` holds literal ``k``."""
    if k[:1] == CASED:
        return x[:1] == CASED and k[1:] in x[1:]
    return k in _plain(x)


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
def _parse(text: str, flags: int) -> Any:
    """The parse of an expression (``None``: not one), for both of the walks below: read,
    never changed."""
    try:
        return _sre.parse(text, flags)
    except Exception:
        return None


@lru_cache(maxsize=4096)
def _literal_sets(text: str, flags: int) -> tuple[frozenset[str], ...]:
    """:func:`required_literal_sets`, once per expression and process; kept on disk
    (:mod:`geo.prefilter_cache`)."""
    found, value = kept("sets", text, flags)
    if found:
        return tuple(frozenset(s) for s in value)
    sets = _analysed_sets(text, flags)
    made("sets", text, flags, [sorted(s) for s in sets])
    return sets


def _analysed_sets(text: str, flags: int) -> tuple[frozenset[str], ...]:
    parsed = _parse(text, flags)
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
    return frozenset(_plain(x).translate(_SPACES_AND_DIGITS) for x in sets[0]) if sets else None


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
    (:mod:`geo.prefilter_cache`)."""
    found, value = kept("starts", text, flags)
    if found:
        return None if value is None else frozenset(value)
    starts = _analysed_starts(text, flags)
    made("starts", text, flags, None if starts is None else sorted(starts))
    return starts


def _analysed_starts(text: str, flags: int) -> frozenset[str] | None:
    parsed = _parse(text, flags)
    if parsed is None:  # an unparsable pattern: searched as it is
        return None
    found = _starts(_spelled(parsed))
    if found is None or not all(found):
        return None
    plain = frozenset(_plain(x).translate(_SPACES_AND_DIGITS) for x in found)
    if not all(_caseless(x) for x in plain):
        return None
    # a string that begins with another of them starts where that one does. In sorted
    # order the strings that begin with one come right after it, up to the first that
    # does not: each is tested against the last string kept alone.
    kept: list[str] = []
    for x in sorted(plain):
        if not kept or not x.startswith(kept[-1]):
            kept.append(x)
    return frozenset(kept)


def _starts(items: Iterable, cased: bool = False) -> _Set:
    """Strings one of which every match of a sequence of parsed items begins with."""
    items = list(items)
    run: frozenset[str] = frozenset({""})
    for k, (op, av) in enumerate(items):
        exact, _ = _item(op, av, cased, known=False)
        if exact is not None:  # every string the item can match (zero width: "")
            grown = _cross(run, exact, _MAX_STARTS)
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
            grown = _cross(run, head, _MAX_STARTS)
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
        elif op in _REPEATS:
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
    return op in _REPEATS and (av[0] == 0 and av[1] != 0)


def _item_starts(op: Any, av: Any, cased: bool) -> _Set:
    """What every match of one item not known exactly begins with (``None``: unknown)."""
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _starts(sub, _inner_cased(cased, add_flags, del_flags))
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
    if op in _REPEATS:
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
