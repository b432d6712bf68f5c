"""Sentences: where a text's sentences begin and end, with their offsets.

:func:`sentence_spans` splits a text at a full stop, "!" or "?" (and closing quotes)
before a capital or a digit, at a blank line and at a line break before a capital, but
not after an abbreviation ("Gen.") or an initial; no sentence is longer than
:data:`MAX_SENTENCE_CHARS`. The candidate ends are found by :mod:`geo.textscan` (NumPy)
or, for an ASCII text, :mod:`geo.asciiscan` (compiled), and checked against the
regular expressions here, which are the reference (``tests/test_textscan.py``).
"""

from __future__ import annotations

import re
import string
import threading
from typing import Final

from geo.asciiscan import ascii_end_mark, ascii_sentence_ends
from geo.textscan import ascii_flags, sentence_ends

__all__ = ["MAX_SENTENCE_CHARS", "SCAN_FROM", "sentence_spans", "trimmed_spans"]

# Texts of at least this many characters are scanned by geo.textscan (NumPy), shorter
# ones by the regular expressions: the scan's fixed cost (a dozen NumPy calls, about
# 150,000 instructions in pure Python) is repaid from about 250 characters on, for the
# words and the sentences alike (callgrind, docs/scale.md).
SCAN_FROM: Final = 250


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "maj",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "mt",
        "ft",
        "no",
        "vs",
        "etc",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "approx",
    ]
)
# Sentence ends: a full stop, "!" or "?" (and closing quotes) before a capital; a blank
# line; a line break before a capital. Two patterns, not one alternation: the regular
# expression engine then scans for the first character of each (twice as fast), and
# as their characters differ, their matches never overlap (:func:`_boundaries`).
_END_MARK_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LINE_BREAK_RE = re.compile(r"\n\s*\n|\n(?=\s*[A-Z“\"'])")


_WORD_WINDOW = max(map(len, _ABBREVIATIONS)) + 1
#: The longest sentence :func:`sentence_spans` returns, in characters. A news sentence is a
#: few hundred; a longer run without a sentence break (a list, or hostile text) is cut at a
#: space so that what each place and event carries of its sentence stays bounded (without
#: this, a report of 30 KB of names and no full stop made a 150 MB table: issue 8).
MAX_SENTENCE_CHARS = 1000
_SPACE_RE = re.compile(r"\s")
_NON_WORD_RE = re.compile(r"\W")


# The sentences of the texts split last: geoparsing and event extraction split the same
# reports one after the other (``geomap events``, or a notebook's find_places then
# extract_events), so a report read again costs a look-up. Keyed by the text object's
# identity (the entry holds its text, so the id is not reused while the entry lives);
# texts of at most _REMEMBER_CHARS characters in all are kept, the oldest out first, and
# always the last one (a 10 MB report is split once).
_REMEMBER_CHARS = 8_000_000
_SPLITS: dict[int, tuple[str, tuple[tuple[int, int], ...]]] = {}
_SPLITS_LOCK = threading.Lock()
_splits_chars = 0


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns ``(start, end)`` offsets, trimmed of space.

    Examples
    --------
    >>> t = "Gen. Smith left Kabul. Fighting began in Herat! Talks went on."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Gen. Smith left Kabul.', 'Fighting began in Herat!', 'Talks went on.']
    """
    global _splits_chars
    known = _SPLITS.get(id(text))
    if known is not None and known[0] is text:
        return list(known[1])
    out = _split_sentences(text, len(text) >= SCAN_FROM)
    with _SPLITS_LOCK:
        old = _SPLITS.pop(id(text), None)
        if old is not None:
            _splits_chars -= len(old[0])
        while _SPLITS and _splits_chars + len(text) > _REMEMBER_CHARS:
            _splits_chars -= len(_SPLITS.pop(next(iter(_SPLITS)))[0])
        _SPLITS[id(text)] = (text, tuple(out))
        _splits_chars += len(text)
    return out


def _split_sentences(text: str, scan: bool) -> list[tuple[int, int]]:
    """The sentences of ``text``, their ends found by :mod:`geo.textscan` if ``scan``, else
    by the regular expressions alone (the reference: the same sentences)."""
    spans = []
    start = 0
    for mark, end in _boundaries(text, scan):
        if text[mark] == ".":
            # The word before the dots, within this sentence: its ASCII letters, read
            # back by one rstrip over a window one longer than the longest abbreviation
            # (a longer word is no abbreviation and no initial either; a regex anchored
            # at the end rescans the whole sentence each time). The dots begin at
            # ``mark``: a match of the pattern begins at the first mark of its run.
            window = text[max(start, mark - _WORD_WINDOW) : mark]
            word = window[len(window.rstrip(string.ascii_letters)) :].lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return trimmed_spans(text, _capped(text, spans))


def trimmed_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` without the white space at either end; empty ones dropped.

    Examples
    --------
    >>> trimmed_spans(" a  b ", [(0, 3), (3, 6), (5, 6)])
    [(1, 2), (4, 5)]
    """
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _boundaries(text: str, scan: bool, dense: int = 16) -> list[tuple[int, int]]:
    """The sentence ends of ``text`` in text order, as ``(start, end)`` of the matches of
    ``_END_MARK_RE`` and ``_LINE_BREAK_RE`` (their ``finditer``). If ``scan``, the marks
    are checked only where :func:`geo.textscan.sentence_ends` says a match may begin (the
    same matches: ``finditer`` finds the next match at the first position after the last
    match where the pattern matches), unless these are so many that ``finditer`` costs
    less (more than one in ``dense`` characters: one check of the pattern from Python
    costs about what its ``finditer`` spends on 16 to 24 characters in pure Python, 9
    compiled)."""
    candidates: list[int] | None = None
    flags = b""  # an ASCII text's flags: the pattern is then checked by asciiscan
    if scan:
        if text.isascii():
            flags = ascii_flags(text)
            candidates = ascii_sentence_ends(text, flags)
        else:
            candidates = sentence_ends(text)
    if candidates is not None and len(candidates) * dense <= len(text):
        marks: list[tuple[int, int]] = []
        end = 0
        failed = -2
        for p in candidates:
            if p < end:
                continue
            if p == failed + 1:  # in the run of marks of a failed start: fails too
                failed = p
                continue
            if flags:
                matched = ascii_end_mark(text, flags, p)
            else:
                m = _END_MARK_RE.match(text, p)
                matched = -1 if m is None else m.end()
            if matched < 0:
                failed = p
            else:
                end = matched
                marks.append((p, end))
    else:
        marks = [m.span() for m in _END_MARK_RE.finditer(text)]
    if "\n" not in text:
        return marks
    breaks = [m.span() for m in _LINE_BREAK_RE.finditer(text)]
    return sorted(marks + breaks) if breaks else marks


def _capped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with every span over :data:`MAX_SENTENCE_CHARS` cut into pieces: at the last
    space of each window, else after the last non-word character; a single word longer
    than the limit stays whole (it is one token, so at most one place)."""
    limit = MAX_SENTENCE_CHARS
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > limit:
            window = text[s + 1 : s + limit]
            cut = _last(_SPACE_RE, window) or _last(_NON_WORD_RE, window)
            if cut is not None:
                cut += s + 1
            else:  # one long word: it is a piece of its own, up to its end
                m = _NON_WORD_RE.search(text, s + limit + 1, e)
                cut = m.end() if m else e
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def _last(pattern: re.Pattern[str], window: str) -> int | None:
    """The offset just after the last match of ``pattern`` in ``window``, if any."""
    last = None
    for m in pattern.finditer(window):
        last = m.end()
    return last
