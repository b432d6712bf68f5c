"""How a text is folded for a gate: lower-cased, with what ``re.IGNORECASE``, ``\\s`` and
``\\d`` also match made one with ASCII (same offsets), and the mark of a literal that keeps
its case. The literals of :mod:`geo.prefilter.literals` and
:mod:`geo.prefilter.starts` are looked for in these forms of a text."""

from __future__ import annotations

__all__ = [
    "CASED",
    "DIGIT_EXTRA",
    "FOLD_EXTRA",
    "SPACES_AND_DIGITS",
    "SPACE_EXTRA",
    "fold",
    "fold_spaces",
    "plain",
]

#: Non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter, whose
#: ``str.lower`` is not that letter (checked over every code point by the tests).
FOLD_EXTRA = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


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
#: What :func:`fold_spaces` maps to a space or an ASCII digit.
SPACES_AND_DIGITS = {**SPACE_EXTRA, **DIGIT_EXTRA}


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
    return folded.translate(SPACES_AND_DIGITS)


#: The mark of a literal that must occur in the text with its case ("IS" of
#: ``(?-i:IS)``): a string of :func:`required_literal_sets` that begins with it is looked
#: for in the text itself, the others in its :func:`fold`.
CASED = "\x01"


def plain(x: str) -> str:
    """A literal as it occurs in the folded text (a cased one: its folded form)."""
    return fold(x[1:]) if x[:1] == CASED else x
