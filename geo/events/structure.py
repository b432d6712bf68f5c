"""The structure of a report: entries of factboxes, timelines and live blogs.

A factbox or a timeline gives each entry its own date and often its own place as a
heading, before the entry's sentences::

    – Aug. 6 – RIVERTON. The insurgents take over the city ...
    Sept 28: Government troops enter the town ...
    Monday, 14:05 – Fighting near the bridge ...
    – Riverton: The market town fell on June 3 ...

:func:`find_entries` finds such headings at the start of a line: a bullet or dash
followed by a date and/or a heading ending in ``:``, ``.`` (an upper-case
dateline word) or a dash, or a line that starts with a date followed by ``:`` or a
dash, or a line that holds a date alone (a live blog's "25 Feb 2024 09:10 GMT", a
timeline's "Monday, May 13"). An entry runs to the next entry (or the end of the text). Sentences of an
entry that carry no date of their own take the entry's date; "the city" in an
entry is the entry's heading place. A headline is the report's first line and is
dated by the report like any sentence without a date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from geo.dates import find_date_expressions
from geo.reports import MONTHS

__all__ = ["Entry", "Structure", "find_entries", "in_dateline"]

_BULLET = r"[-–—•*·▪►]"
_SEP = r"\s*(?:[:–—]|-{1,2}(?=\s)|\|)\s*"
# a heading: a short name before ":" or a dash, or an upper-case dateline word before "."
_HEAD = (
    r"(?P<head>[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,4}?)(?P<hsep>\s*[:–—]\s+|\s+-\s+)"
    r"|(?P<upper>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+){0,3})(?:,\s*[A-Za-z ]{2,30})?\.\s+"
)
# words a heading date may start with (a cheap test before the date patterns run)
_DATE_WORDS = frozenset(
    [*MONTHS, "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_LINE_RE = re.compile(r"^[ \t]*(?P<bullet>" + _BULLET + r"[ \t]+)?(?P<rest>[^\n]*)", re.M)
# "KOBANE: ..." at the start of a line: an upper-case heading needs no bullet
_UPPER_HEAD_RE = re.compile(r"[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+){0,3}:\s")
# What may come before a heading's date: "On", a weekday ("Monday, May 13").
_LEAD_RE = re.compile(r"(?:on\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?)?", re.I)
# The dates a line may hold alone as a heading: a day of the calendar, or a weekday.
_DAY_KINDS = frozenset({"iso", "month_day", "day_month", "weekday"})
_TIME_RE = re.compile(
    r"^,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|GMT|UTC))?", re.I
)


@dataclass(frozen=True)
class Entry:
    """One entry of a factbox, timeline or live blog.

    Attributes
    ----------
    start, end : int
        Offsets of the entry in the report text (heading included).
    date_text : str or None
        The heading's date words ("Aug. 6", "Monday, 14:05"), if it has any.
    head_start, head_end : int
        Offsets of the heading place words ("RIVERTON", "Riverton"); ``-1`` for none.
    line_end : int
        For a heading that is a line of its own ("Thursday, 10 October" above a live
        blog's "08:15 GMT - ..." lines), the offset where that line ends: no sentence
        runs across it; ``-1`` otherwise.
    """

    start: int
    end: int
    date_text: str | None
    head_start: int = -1
    head_end: int = -1
    line_end: int = -1


def _heading_date(rest: str) -> tuple[str, int] | None:
    """A date at the very start of ``rest`` and the length it and its separator take."""
    exprs = find_date_expressions(rest[:60])
    if not exprs:
        return None
    # the first date after nothing but a lead ("On", a weekday); a day of the calendar
    # over the weekday before it ("Thursday, 10 October": 10 October)
    leading = [(k, m) for k, m in exprs[:3] if _LEAD_RE.fullmatch(rest[: m.start()].strip())]
    if not leading:
        return None
    kind, m = next(((k, m) for k, m in leading if k != "weekday"), leading[0])
    end = m.end()
    # "Sept. 29-30": a range is its first day
    rng = re.match(r"\s*[-–]\s*\d{1,2}\b", rest[end:])
    if rng and kind in ("month_day",):
        end += rng.end()
    t = _TIME_RE.match(rest[end:])
    if t:
        end += t.end()
    sep = re.match(_SEP, rest[end:])
    if sep is not None:
        return m.group(0), end + sep.end()
    if kind in _DAY_KINDS and not rest[end:].strip(" \t.,"):
        # a line that holds a date alone ("25 Feb 2024 09:10 GMT", "Monday, May 13"):
        # the heading of the lines below it, as in a timeline or a live blog
        return m.group(0), len(rest)
    return None


def find_entries(text: str) -> list[Entry]:
    """The dated or headed entries of a report, in text order.

    Examples
    --------
    >>> t = "Timeline\\n\\n– Aug. 6 – RIVERTON. Rebels took over.\\n– Aug. 9: Fighting went on."
    >>> t += "\\nELM HILL: The town fell.\\nMonday, 14:05 – Talks began."
    >>> [(e.date_text, t[e.head_start:e.head_end] if e.head_start >= 0 else None)
    ...  for e in find_entries(t)]
    [('Aug. 6', 'RIVERTON'), ('Aug. 9', None), (None, 'ELM HILL'), ('Monday', None)]
    """
    found: list[tuple[int, str | None, int, int, int]] = []
    for m in _LINE_RE.finditer(text):
        rest = m["rest"]
        r0 = m.start("rest")
        date_text: str | None = None
        pos = 0
        first = rest[:12].lstrip("–—-•*·▪► ").split(" ", 1)[0].rstrip(".,:").lower()
        dated = _heading_date(rest) if first[:1].isdigit() or first in _DATE_WORDS else None
        if dated is not None:
            date_text, pos = dated
        elif not m["bullet"] and not _UPPER_HEAD_RE.match(rest):
            continue
        h = re.match(_HEAD, rest[pos:])
        h0 = h1 = -1
        if h is not None:
            g = "head" if h["head"] else "upper"
            h0, h1 = r0 + pos + h.start(g), r0 + pos + h.end(g)
        if date_text is None and h0 < 0:
            continue
        alone = date_text is not None and pos == len(rest) and h0 < 0
        found.append((m.start(), date_text, h0, h1, m.end() if alone else -1))
    out = []
    for i, (start, date_text, h0, h1, line_end) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        out.append(Entry(start, end, date_text, h0, h1, line_end))
    return out


class Structure:
    """The entries of one report, looked up by offset in logarithmic time."""

    def __init__(self, text: str) -> None:
        entries = find_entries(text)
        if sum(e.head_start >= 0 for e in entries) < 2:
            # one heading alone is a dateline ("CITY: ..."), where the reporter is
            entries = [
                Entry(e.start, e.end, e.date_text, line_end=e.line_end)
                for e in entries
                if e.date_text
            ]
        self.entries = entries
        self._starts = [e.start for e in self.entries]

    def cuts(self) -> list[int]:
        """Where no sentence runs across, in text order: each entry's start, and the end of
        a heading that is a line of its own."""
        return sorted(c for e in self.entries for c in (e.start, e.line_end) if c >= 0)

    def entry_at(self, offset: int) -> Entry | None:
        """The entry that holds ``offset``, if any."""
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and self.entries[k].start <= offset < self.entries[k].end:
            return self.entries[k]
        return None


# What follows the place of a dateline: the news agency in brackets, after a region or a
# date or nothing ("BOGOTA (Reuters) -", "DOHA, July 12 (AFP) -", "GOMA, Congo (AP) -"),
# or, for a place in capitals, a comma and a dash on the same line ("KYIV, Ukraine -").
_DATELINE_TAIL_RE = re.compile(
    r"(?:,[^\n()]{0,40}?)?\s*\([^()\n]{1,40}\)\s*[-–—]|(?P<caps>,[^\n]{0,60}?\s[-–—]\s)"
)


_LEAD_CHARS = frozenset(" \t\"'“‘")


def in_dateline(text: str, start: int, end: int) -> bool:
    """Whether the place at ``start:end`` is a dateline's: where the reporter files from,
    at the start of a line, before the agency or a dash. Not where anything happens.

    Examples
    --------
    >>> t = "Headline\\nBOGOTA (Reuters) - Troops took the town."
    >>> in_dateline(t, 9, 15), in_dateline("Bogota fell (again) - ", 0, 6)
    (True, False)
    """
    # at the start of its line: only spaces and quotes before it (walked back a few
    # characters, never the whole text: a 10 MB report has 270,000 places)
    k = start
    while k > 0 and text[k - 1] in _LEAD_CHARS and start - k < 8:
        k -= 1
    if k > 0 and text[k - 1] != "\n":
        return False
    m = _DATELINE_TAIL_RE.match(text, end)
    if m is None:
        return False
    return not m["caps"] or text[start:end].isupper()
