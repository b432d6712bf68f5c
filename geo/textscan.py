"""C-level scans of a whole text for :mod:`geo.text`: its words and its sentence-end candidates.

The regular expressions of :mod:`geo.text` define the words and the sentence ends; they
cost the regular-expression engine a few hundred machine instructions per character (a
Unicode class test and a match attempt at every position). Here every character gets a
byte of flags in one table look-up (:func:`char_classes`: ``bytes.translate`` for an
ASCII text, a NumPy ``take`` over the code points otherwise), and the words are the runs
of word characters found by a few NumPy passes over those bytes, with no Python call per
word (docs/scale.md has the figures). Each result is the regular expression's
(``tests/test_textscan.py`` checks it on arbitrary Unicode text with Hypothesis).
"""

from __future__ import annotations

import threading
from array import array
from typing import NamedTuple

import numpy as np

__all__ = [
    "LETTER",
    "WordPieces",
    "ascii_flags",
    "char_classes",
    "sentence_ends",
    "word_pieces",
]

#: ``str.isalnum``: the regular expressions' ``[^\W_]``, a letter or a digit.
LETTER = 1
#: A character that joins two runs of letters into one word: ``[.'’`ʼ]``.
INNER = 2
#: ``str.isupper``.
UPPER = 4
#: ``str.isspace``: the regular expressions' ``\s``.
SPACE = 8
#: A sentence-end mark: ``[.!?]``.
MARK = 16
#: A closing quote or bracket after a sentence-end mark: ``["'”’)\]]``.
CLOSER = 32
#: ``str.islower``.
LOWER = 64

_INNER_CHARS = ".'’`ʼ"
_MARK_CHARS = ".!?"
_CLOSER_CHARS = "\"'”’)]"
_BMP = 0x10000


def _flags(ch: str) -> int:
    """The flags of one character."""
    return (
        (LETTER if ch.isalnum() else 0)
        | (INNER if ch in _INNER_CHARS else 0)
        | (UPPER if ch.isupper() else 0)
        | (SPACE if ch.isspace() else 0)
        | (MARK if ch in _MARK_CHARS else 0)
        | (CLOSER if ch in _CLOSER_CHARS else 0)
        | (LOWER if ch.islower() else 0)
    )


# The flags of the ASCII characters, as a bytes.translate table (the upper half unused).
_ASCII_TABLE = bytes(_flags(chr(i)) if i < 128 else 0 for i in range(256))
_bmp_table: np.ndarray | None = None
_bmp_lock = threading.Lock()


def _bmp_flags() -> np.ndarray:
    """The flags of every character of the Basic Multilingual Plane (64 KB, made on first
    use by C-level passes: a few tens of milliseconds, once per process)."""
    global _bmp_table
    if _bmp_table is None:
        with _bmp_lock:
            if _bmp_table is None:
                chars = "".join(map(chr, range(_BMP)))
                table = np.zeros(_BMP, np.uint8)
                for flag, test in (
                    (LETTER, str.isalnum),
                    (UPPER, str.isupper),
                    (SPACE, str.isspace),
                    (LOWER, str.islower),
                ):
                    table[np.fromiter(map(test, chars), np.bool_, _BMP)] |= flag
                for flag, members in (
                    (INNER, _INNER_CHARS),
                    (MARK, _MARK_CHARS),
                    (CLOSER, _CLOSER_CHARS),
                ):
                    table[[ord(c) for c in members]] |= flag
                _bmp_table = table
    return _bmp_table


def char_classes(text: str) -> np.ndarray:
    """The flags (:data:`LETTER`, :data:`INNER`, :data:`UPPER`, :data:`SPACE`, :data:`MARK`,
    :data:`CLOSER`, :data:`LOWER`) of each character of ``text``, as an array of bytes.

    Examples
    --------
    >>> [int(f) for f in char_classes("Kabul’s 2 é.")]
    [5, 65, 65, 65, 65, 34, 65, 8, 1, 8, 65, 18]
    """
    return _codes_and_flags(text)[1]


def ascii_flags(text: str) -> bytes:
    """The flags of each character of ``text``, an ASCII text, as bytes (one C call).

    Examples
    --------
    >>> list(ascii_flags("Kabul's 2."))
    [5, 65, 65, 65, 65, 34, 65, 8, 1, 18]
    """
    global _last_ascii
    last = _last_ascii
    if last[0] is text:  # the text just scanned for its words, now for its sentences
        return last[1]
    flags = text.encode("ascii").translate(_ASCII_TABLE)
    _last_ascii = (text, flags)
    return flags


# The last text ascii_flags read and its flags (one tuple: replaced whole, so a thread
# reading it never sees one text with another's flags).
_last_ascii: tuple[str, bytes] = ("", b"")


def _codes_and_flags(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The characters of ``text`` as an array of code points (bytes for an ASCII text), and
    their flags."""
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), np.uint8)
        return codes, np.frombuffer(ascii_flags(text), np.uint8)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    table = _bmp_flags()
    if int(points.max()) < _BMP:
        return points, table.take(points)
    flags = table.take(np.minimum(points, _BMP - 1))
    astral = (points >= _BMP).nonzero()[0]  # emoji, historic scripts: each distinct one
    distinct, which = np.unique(points[astral], return_inverse=True)
    flags[astral] = np.array([_flags(chr(c)) for c in distinct.tolist()], np.uint8)[which]
    return points, flags


class WordPieces(NamedTuple):
    """The words of a text and the text between them (:func:`word_pieces`)."""

    #: The text cut at each word's start and end: ``text`` before the first word, the
    #: first word, the text between it and the second, ... (as ``re.split`` with the word
    #: pattern in a group gives them).
    pieces: list[str]
    #: The offset at which each piece ends: ``[start0, end0, start1, end1, ..., len(text)]``.
    bounds: list[int] | array[int]
    #: The numbers of the words that hold one of ``.'’`ʼ``.
    odd: list[int]
    #: Whether each word begins with a capital (``str.isupper``).
    caps: list[bool]
    #: Whether each word begins in lower case (``str.islower``).
    lower: list[bool]


def word_pieces(text: str, machine: bool = False) -> WordPieces | None:
    """The words of ``text`` as ``_WORD_RE`` of :mod:`geo.text` finds them
    (``[^\\W_]+(?:[.'’`ʼ][^\\W_]+)*``), or None for a text with a NUL character (which
    this scan uses to cut the text).

    A word is a maximal run of letters, digits and the joining characters that have a
    letter or digit on each side: exactly the regular expression's leftmost, greedy
    matches, since each of its inner groups needs a letter on both sides of its one
    joining character. The pieces are cut by one ``str.split``: the text is rebuilt with
    a NUL at each word's start and end (one masked copy of the code points), so no
    Python-level call is made per word.

    Parameters
    ----------
    text : str
        The text.
    machine : bool
        Give the bounds as a machine array (``array("q")``: 8 bytes an offset, for a long
        text), not a list.

    Examples
    --------
    >>> word_pieces("Iran's U.S.. a'")
    WordPieces(pieces=['', "Iran's", ' ', 'U.S', '.. ', 'a', "'"], \
bounds=[0, 6, 7, 10, 13, 14, 15], odd=[0, 1], caps=[True, True, False], \
lower=[False, False, True])
    """
    if "\x00" in text:
        return None
    codes, flags = _codes_and_flags(text)
    n = len(flags)
    in_word = np.zeros(n + 2, np.bool_)  # one False on each side: every run has two edges
    letter = in_word[1:-1]
    np.not_equal(flags & LETTER, 0, out=letter)
    if n > 2:
        joins = (flags[1:-1] & INNER).astype(np.bool_)
        joins &= letter[:-2]
        joins &= letter[2:]
        in_word[2:-2] |= joins
        del joins
    edges = (in_word[1:] != in_word[:-1]).nonzero()[0]
    m = len(edges)
    if not m:
        return WordPieces([text], array("q", [n]) if machine else [n], [], [], [])
    starts = edges[0::2]
    held = (flags & INNER).astype(np.bool_)
    held &= in_word[1:-1]
    del in_word, letter
    odd: list[int] = []
    if held.any():
        odd = [
            k - 1 for k in dict.fromkeys(starts.searchsorted(held.nonzero()[0], "right").tolist())
        ]
    del held
    first = flags.take(starts)
    caps: list[bool] = (first & UPPER).astype(np.bool_).tolist()
    lower: list[bool] = (first & LOWER).astype(np.bool_).tolist()
    del first
    del flags, starts
    bounds: list[int] | array[int]
    if machine:
        bounds = array("q", edges.astype(np.int64).tobytes())
        bounds.append(n)
    else:
        bounds = edges.tolist()
        bounds.append(n)
    # The text with a NUL at each word's start and end: split at them, it gives the pieces.
    edges += np.arange(m)  # where each NUL goes
    keep = np.ones(n + m, np.bool_)
    keep[edges] = False
    del edges
    wide = codes.itemsize > 1
    cut = np.zeros(n + m, codes.dtype)
    cut[keep] = codes
    del keep, codes
    raw = cut.tobytes()
    del cut
    marked = raw.decode("utf-32-le", "surrogatepass") if wide else raw.decode("ascii")
    del raw
    return WordPieces(marked.split("\x00"), bounds, odd, caps, lower)


def sentence_ends(text: str) -> list[int]:
    """Where ``_END_MARK_RE`` of :mod:`geo.text`
    (``[.!?]+["'”’)\\]]*(?=\\s+["'“‘(\\[]?[A-Z0-9])``) may begin a match in ``text``: each
    ``.``, ``!`` or ``?`` followed by another mark, a closing quote or bracket, or a space.

    A match begins at a mark whose run of marks ends before a closer or a space, so at one
    of these; the caller checks the pattern there (a few per sentence, where the regular
    expression tries every character).

    Examples
    --------
    >>> sentence_ends("U.S. forces left 1.5 km!' Then?!")
    [3, 23, 30]
    """
    flags = _codes_and_flags(text)[1]
    if len(flags) < 2:
        return []
    mark = (flags[:-1] & MARK).astype(np.bool_)
    mark &= (flags[1:] & (MARK | CLOSER | SPACE)).astype(np.bool_)
    return mark.nonzero()[0].tolist()  # type: ignore[no-any-return]
