"""The date of what a sentence reports (:func:`resolve_date`), read from its date
expressions (:mod:`geo.dates.expressions`) and the report's date.

The rules are :mod:`geo.dates`' (its docstring, and ``docs/events.md``); this module holds
their code, compiled by mypyc with the event stage's (it runs once for each event told).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.dates.expressions import (
    DAY,
    MONTH,
    NUMBERS,
    WEEK,
    expression_date,
    find_date_expressions,
)

__all__ = ["EventDate", "needs_previous_day", "resolve_date"]

_SINCE_RE = re.compile(r"\b(?:since|ever since|from)\s+$", re.I)


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, as far as the text says.

    Attributes
    ----------
    date : datetime.date or None
        The event's date; ``None`` when neither the sentence nor the report gives one.
    precision : int or None
        ACLED ``time_precision``: 1 day, 2 week, 3 month; ``None`` with no date.
    origin : str
        ``sentence`` (the sentence's own words, read against the report date),
        ``report`` (the report's date, the sentence says nothing), ``none`` (no date at all),
        ``unresolved`` (the sentence has a relative date but the report has no date
        to read it against) or ``invalid`` (the sentence names a day that does not exist,
        such as "31 June"; ``date`` is then ``None``).
    expression : str or None
        The words that gave the date, e.g. ``"on Wednesday"``.
    start, end : int or None
        Offsets of ``expression`` within the sentence.
    since : bool
        ``True`` for "since mid-April": the date is when an ongoing situation began.
    """

    date: dt.date | None
    precision: int | None
    origin: str
    expression: str | None = None
    start: int | None = None
    end: int | None = None
    since: bool = False


# Expressions read against another date of the sentence ("a day earlier", "a week after").
_RELATIVE = frozenset({"rel_days", "rel_weeks"})
_CLAUSE_MARK = re.compile(r"[,;:]")


def _leads_to(sentence: str, m: re.Match[str], anchor: int | None) -> bool:
    """Whether ``m`` ("three days after", "a week before") opens the clause of the verb at
    ``anchor`` ("three days after seizing Y"): the verb's date is then on the other side
    of the sentence's other date."""
    way = m.groupdict().get("dir")
    if anchor is None or way is None or m.end() > anchor or way.lower() not in ("after", "before"):
        return False
    return not _CLAUSE_MARK.search(sentence, m.end(), anchor)


# the joints of coordinate clauses ("…, and captured", "; the rebels …", "…, while"): an
# apposition's commas ("Y, the capital of Z, in October") are no joint
_JOINT_RE = re.compile(r";\s|,\s+(?:and|but|while|whereas|then|after|before|when|as)\b")


# a conjunction between a date and a later verb: the date is that of an earlier predicate
# ("stormed X on Sunday and took it on Monday")
_CONJUNCTION_RE = re.compile(r"\b(?:and|then|before|until)\b", re.I)


def _other_predicate(sentence: str, m: re.Match[str], anchor: int) -> bool:
    """True when ``m`` lies before the verb at ``anchor`` with a conjunction between them:
    it dates the predicate before the conjunction, so a date after the verb comes first."""
    return m.end() <= anchor and bool(_CONJUNCTION_RE.search(sentence, m.end(), anchor))


# ", which the rebels took in May,": a relative clause, up to its closing comma
_RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:which|who|whom|whose|where|when)\b[^,;]*(?:,|$)", re.I)


def _relative_clauses(sentence: str, anchor: int) -> list[tuple[int, int]]:
    """The spans of the relative clauses of ``sentence`` that do not hold ``anchor``."""
    return [
        m.span()
        for m in _RELATIVE_CLAUSE_RE.finditer(sentence)
        if not m.start() <= anchor < m.end()
    ]


# "a week after the jihadists overran": a verb in a clause counted from the sentence's date
_COUNTED_LEAD_RE = re.compile(
    r"\b(?P<n>a|one|two|three|four|five|six|seven|\d{1,2})\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<dir>after|before)\s+(?:the|a|an|his|her|its|their)\b[^,;:]{0,60}$",
    re.I,
)


def _counted_back(
    sentence: str,
    anchor: int,
    expressions: list[tuple[str, re.Match[str]]],
    ref: dt.date | None,
) -> EventDate | None:
    """The date of a verb at ``anchor`` inside "a week after the rebels took X" (after
    "X fell on Sunday, ..."): that many days or weeks before (after) the sentence's date
    told before the words; else None."""
    lead = _COUNTED_LEAD_RE.search(sentence, 0, anchor)
    if lead is None or ref is None:
        return None
    told = [
        (k, m)
        for k, m in expressions
        if m.end() <= lead.start() and k not in _RELATIVE and k != "year"
    ]
    if not told:
        return None
    base = expression_date(*told[-1], ref)
    if base is None or base[1] != DAY:
        return None
    n = lead["n"].lower()
    count = NUMBERS.get(n) or int(n)
    week = lead["unit"].lower().startswith("week")
    step = dt.timedelta(days=count * (7 if week else 1))
    date = base[0] - step if lead["dir"].lower() == "after" else base[0] + step
    date = min(date, ref)
    words = lead.group(0)[: lead.end("dir") - lead.start()]
    return EventDate(date, WEEK if week else DAY, "sentence", words, lead.start(), lead.end("dir"))


def _coordinate_clause(sentence: str, anchor: int) -> tuple[int, int]:
    """The offsets of the coordinate clause of ``sentence`` that holds ``anchor``."""
    lo, hi = 0, len(sentence)
    for j in _JOINT_RE.finditer(sentence):
        if j.end() <= anchor:
            lo = j.end()
        elif j.start() >= anchor:
            hi = j.start()
            break
    return lo, hi


_DATELINE_BEFORE_RE = re.compile(r"\W*(?:[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*,\s+){1,2}")
_DATELINE_AFTER_RE = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?[-–—]")
_AGENCY_AFTER_RE = re.compile(r"\s*\([^()]{1,40}\)\s*[-–—:]")


# what may come before a count of days that opens a sentence: a quote mark, "and", "then"
_LEADS_RE = re.compile(r"\W*(?:(?:and|but|then|only)\s+)?", re.I)


@lru_cache(maxsize=4096)
def needs_previous_day(sentence: str) -> bool:
    """True when ``sentence`` counts days from another day it does not name ("The next
    day, …", "Two days later …"): :func:`resolve_date` then wants ``previous``.

    It depends on the sentence alone and is asked of every sentence with an event, so a
    sentence told again (a long report's refrain) costs a look-up, not this module's
    interpreted code."""
    found = find_date_expressions(sentence)
    counted = any(
        k in _RELATIVE and (m.groupdict().get("dir") or "").lower() != "ago" for k, m in found
    )
    return counted and not any(k not in _RELATIVE and k != "year" for k, _ in found)


def _in_dateline(sentence: str, m: re.Match[str]) -> bool:
    """True for the date of a dateline at the head of ``sentence`` ("KABUL, Aug 8
    (Reuters) -", "Aug 8 (Reuters) -"), not for a live blog's "August 10, 2021: ..."."""
    if m.start() > 80:
        return False
    before, after = sentence[: m.start()], sentence[m.end() :]
    if not before.strip():
        return bool(_AGENCY_AFTER_RE.match(after))
    return bool(_DATELINE_BEFORE_RE.fullmatch(before)) and bool(_DATELINE_AFTER_RE.match(after))


def resolve_date(
    sentence: str,
    report_date: dt.date | None,
    *,
    anchor: int | None = None,
    reference: dt.date | None = None,
    previous: dt.date | None = None,
) -> EventDate:
    """The date and ACLED time precision of what ``sentence`` reports.

    Parameters
    ----------
    sentence : str
        The sentence that reports the event.
    report_date : datetime.date or None
        The report's publication date; relative expressions are read against it.
    anchor : int, optional
        Offset in ``sentence`` of the word that reports the event (e.g. "captured").
        When the sentence holds several date expressions, the one nearest to it wins;
        without an anchor, the first one.
    reference : datetime.date, optional
        The day relative expressions are read against, if not the report's (the date
        of a timeline's entry); a date is still never after the report's.
    previous : datetime.date, optional
        The day an earlier sentence told of: "the next day", "two days later" count from
        it when the sentence names no other date ("… on Monday. The next day, …").

    Returns
    -------
    EventDate

    Examples
    --------
    >>> d = resolve_date("Fighting broke out on Wednesday.", dt.date(2021, 7, 7))
    >>> d.date, d.precision, d.origin
    (datetime.date(2021, 7, 7), 1, 'sentence')
    >>> resolve_date("Last week, troops left.", dt.date(2021, 7, 7)).precision
    2
    >>> resolve_date("The city fell.", None).origin
    'none'
    """
    every = find_date_expressions(sentence)
    # "KABUL, Aug 8 (Reuters) - ...": the dateline dates the report, not what the sentence
    # tells on (a date of its own wins)
    expressions = [(k, m) for k, m in every if not _in_dateline(sentence, m)] or list(every)
    if report_date is not None and len(expressions) < len(every):
        # and the day it was filed: what the sentence says is read against it ("on
        # Sunday" in a report filed on a Sunday, published later)
        kind, m = next((k, m) for k, m in every if _in_dateline(sentence, m))
        filed = expression_date(kind, m, report_date)
        if filed is not None and 0 <= (report_date - filed[0]).days <= 7:
            report_date = filed[0]
    if anchor is not None:
        counted = _counted_back(sentence, anchor, expressions, reference or report_date)
        if counted is not None:
            return counted
    if anchor is not None and expressions:
        # "X retook the town, which Y had taken a day earlier": a date relative to the
        # event belongs to its own clause, never to the other clause's event
        lo = max(sentence.rfind(c, 0, anchor) for c in ",;") + 1
        his = [i for i in (sentence.find(c, anchor) for c in ",;") if i >= 0]
        hi = min(his) if his else len(sentence)
        own = [(k, m) for k, m in expressions if lo <= m.start() < hi]
        if not own:
            # "took X in April, …, and captured Y, the capital of Z, in October": past
            # the commas of an apposition, the date of the event's own coordinate clause;
            # never that of a relative clause the verb is not in ("Mosul, which they
            # captured in 2014, remains under government control")
            asides = _relative_clauses(sentence, anchor)
            expressions = [
                (k, m) for k, m in expressions if not any(a <= m.start() < b for a, b in asides)
            ]
            lo, hi = _coordinate_clause(sentence, anchor)
            own = [(k, m) for k, m in expressions if lo <= m.start() < hi and k != "rel_days"]
        # a count of days that opens the sentence ("The next day, …", "Two days later,
        # …") dates all of it; elsewhere it is its own clause's
        expressions = own or [
            (k, m)
            for k, m in expressions
            if k != "rel_days" or _LEADS_RE.fullmatch(sentence, 0, m.start())
        ]
        at = anchor
        # a year that names a thing ("the 2011 uprising") dates the verb only when the
        # clause has no other date ("took X, the birthplace of the 2011 uprising, late
        # Friday": Friday)
        expressions.sort(
            key=lambda item: (
                _other_predicate(sentence, item[1], at),
                item[0] == "year_named",
                min(abs(item[1].start() - at), abs(item[1].end() - at)),
            )
        )
    for kind, m in expressions:
        has_year = kind == "iso" or bool(m.groupdict().get("y"))
        since = bool(_SINCE_RE.search(sentence[: m.start()][-12:])) or m.group(
            0
        ).lower().startswith("since")
        if report_date is None and reference is None and not has_year:
            return EventDate(None, None, "unresolved", m.group(0), m.start(), m.end(), since)
        ref = reference or report_date or dt.date.max
        if kind in _RELATIVE:
            # "a day earlier" than the other date of the sentence (the nearest one told
            # before it, else the first after it), else than the report
            others = [(k, o) for k, o in every if k not in _RELATIVE and k != "year"]
            before = [(k, o) for k, o in others if o.end() <= m.start()]
            others = before[-1:] or others
            base = expression_date(*others[0], ref) if others else None
            said = (m.groupdict().get("dir") or "").lower()
            if base is None and previous is not None and said != "ago":
                base = (previous, DAY)
            ref = base[0] if base is not None else ref
        resolved = expression_date(kind, m, ref)
        if resolved is not None and kind in _RELATIVE and _leads_to(sentence, m, anchor):
            # "X on Monday, three days after seizing Y": the seizure is three days before
            resolved = (ref - (resolved[0] - ref), resolved[1])
        if resolved is None and kind in ("year_named", "season"):
            continue  # a year or season to come, or under way: no date of the past
        if resolved is None:
            # "31 June": the words name a date that does not exist; say so, do not guess.
            return EventDate(None, None, "invalid", m.group(0), m.start(), m.end(), since)
        date, precision = resolved
        if (
            report_date is not None
            and date > report_date
            and (precision >= MONTH or kind in _RELATIVE)
        ):
            date = report_date  # "late July" in a July report: not after the report
        return EventDate(date, precision, "sentence", m.group(0), m.start(), m.end(), since)
    if report_date is None:
        return EventDate(None, None, "none")
    return EventDate(report_date, DAY, "report")
