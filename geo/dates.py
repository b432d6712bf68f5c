"""Dating events from a sentence's own words and the report's date.

A sentence says "on Wednesday", "last week", "in early May" or "on August 12";
the report says when it was published. :func:`resolve_date` turns the two into
an ``event_date`` and ACLED's ``time_precision``:

* ``1`` the day is known,
* ``2`` the week is known (the date is a representative day of that week),
* ``3`` only the month is known (the date is a representative day of that month:
  the 5th for "early", the 15th for "mid" or a bare month, the 25th for "late").

Rules (each documented in ``docs/events.md``):

* Weekdays are resolved backwards from the report date; the report's own
  weekday means the report day ("on Wednesday" in a Wednesday report).
* A day and month without a year take the report's year, rolled back a year if
  that would put the event after the report (events are reported after they
  happen).
* "yesterday", "last night" and "overnight" are the day before the report;
  "today", "tonight", "this morning" and "at night" the report day.
* "last week" is the report date minus seven days, precision 2; "(earlier) this week" the
  report day, "over the weekend" the last Saturday up to the report, "a fortnight ago"
  minus 14 days, all precision 2.
* "last year" is the year before the report's (precision 4, no day); "in May last year"
  that year's May.
* "last month" is the middle of the previous month, precision 3; "earlier this month"
  the report's month (its 15th, or the report day if earlier), precision 3.
* "N days ago" is the report date minus N days, as "N days earlier" is; "N weeks ago"
  minus 7N days, precision 2. "The next day", "a day earlier" count from the nearest date
  the sentence told before them; "N days after" opening the event's clause ("on Monday,
  three days after rebels seized it") puts the event N days before that date.
* Of several dates, the one of the event's clause: between commas, else between the
  joints of coordinate clauses (";", ", and", ", but"…), else the nearest.
* "the 2015 offensive", "the spring of 2016", "late 2015", "six years ago" are years
  (precision 4, no day); "three months ago" precision 3.
* "on the 4th" is that day of the report's month (of the month before when it is later
  than the report's day).
* "hours after" / "hours before" keep the report day.
* A report without a date gives no date: ``event_date`` stays missing and
  ``origin`` says ``"none"``. Nothing is made up.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.prefilter import LiteralIndex, fold
from geo.reports import MONTHS

__all__ = ["EventDate", "find_date_expressions", "needs_previous_day", "resolve_date"]

DAY, WEEK, MONTH = 1, 2, 3
#: Only the year is known ("in 1187"); coarser than any ACLED precision.
YEAR = 4

_WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
# Abbreviations like "Mar"/"May" are only taken with a day number next to them.
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MON = "|".join(n for n in sorted(MONTHS, key=len, reverse=True) if len(n) > 3 or n == "may")
_WD = "|".join(_WEEKDAYS)
_PART = (
    r"(?P<part>early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of)"
)

# "in May last year", "in May of last year": the month of the year before the report's
_LAST_YEAR = r"(?P<ly>,?\s+(?:of\s+)?last\s+year)"

# (kind, pattern); the order is the priority when two expressions overlap.
# "two days before the vote" dates the vote, not the report: "before" and "after" with an
# object are a preposition ("two days later the army ..." is still a date).
_NOT_OBJECT = r"(?!\s+(?:the|a|an|his|her|its|their)\b)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month_day",
        re.compile(
            rf"(?<!the )\b(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"(?!\s+attacks?)(?:,?\s+(?P<y>\d{{4}}))?",
            re.I,
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b(?:,?\s+(?P<y>\d{{4}}))?",
            re.I,
        ),
    ),
    (
        "rel_days",
        re.compile(
            r"\b(?P<n>a|one|two|three|four|five|six|seven|\d{1,2})\s+days?\s+"
            rf"(?P<dir>earlier|later|ago|before{_NOT_OBJECT}|after{_NOT_OBJECT})\b"
            r"|\bthe\s+(?P<rel>day before|previous day|next day|following day)\b",
            re.I,
        ),
    ),
    (
        "rel_weeks",
        re.compile(
            r"\b(?P<n>a|one|two|three|four|five|six|\d)\s+weeks?\s+"
            rf"(?P<dir>earlier|later|ago|before{_NOT_OBJECT}|after{_NOT_OBJECT})\b",
            re.I,
        ),
    ),
    (
        "nth_day",
        re.compile(
            r"\bon\s+the\s+(?P<d>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b"
            r"(?=\s*(?:[,.;:)]|$|\s(?:and|when|as|after|before|but|in|at|near)\b))",
            re.I,
        ),
    ),
    ("last_week", re.compile(r"\blast\s+week(?:end)?\b|\ba\s+week\s+ago\b", re.I)),
    ("fortnight", re.compile(r"\ba\s+fortnight\s+ago\b", re.I)),
    # the weekend just past (or under way): its Saturday, known to the week
    ("weekend", re.compile(r"\b(?:over|at|on|during|this)\s+(?:the\s+)?weekend\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b|\ba\s+month\s+ago\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier|late|later)\s+this\s+month\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b|\bovernight\b", re.I)),
    (
        "today",
        re.compile(
            r"\btoday\b|\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b"
            r"|\bat\s+night\b|\bhours\s+(?:after|before|later|earlier)\b|\bearlier\s+today\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(rf"\b(?P<last>last\s+)?(?P<wd>{_WD})\b", re.I)),
    (
        "part_month",
        re.compile(
            rf"\b(?:in\s+)?{_PART}[-\s]+(?P<mon>{_FULL_MON})\b(?:\s+(?P<y>\d{{4}})|{_LAST_YEAR})?",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:in|since|during|by|until)\s+(?P<mon>{_FULL_MON})\b"
            rf"(?:\s+(?P<y>\d{{4}})|{_LAST_YEAR})?",
            re.I,
        ),
    ),
]
_YEAR_RE = re.compile(
    r"\b(?:in|since|by|until|during|back in)\s+(?P<y>1\d{3}|20\d{2})\b(?![-/]\d)", re.I
)
# after the months, so "in May last year" is May
_PATTERNS.append(("last_year", re.compile(r"\blast\s+year\b|\ba\s+year\s+ago\b", re.I)))
_PATTERNS.append(("year", _YEAR_RE))
# background told without "in": "the 2015 offensive", "the spring of 2016", "late 2015",
# "six years ago", "months ago" (no day: such an event is never dated the report's day)
_PATTERNS.append(
    (
        "year",
        re.compile(
            r"\b(?:(?:the\s+)?(?:spring|summer|autumn|fall|winter|start|beginning|end|middle"
            r"|first\s+half|second\s+half)\s+of\s+|(?:early|mid|late)[-\s]+)"
            r"(?P<y>1\d{3}|20\d{2})\b(?![-/]\d)",
            re.I,
        ),
    )
)
_PATTERNS.append(
    (
        "year_named",
        re.compile(r"\b(?:a|an|the|its|their|his|her)\s+(?P<y>1\d{3}|20\d{2})(?=\s+[a-z])", re.I),
    )
)
_PATTERNS.append(
    (
        "ago",
        re.compile(
            r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|many|\d{1,2})?"
            r"\s*(?P<unit>years|months|decades)\s+ago\b",
            re.I,
        ),
    )
)
_INDEX = LiteralIndex([pattern for _, pattern in _PATTERNS])
_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
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


def _month_year(month: int, year: int | None, ref: dt.date) -> int:
    """The year of a month named without one: the latest not after the report."""
    if year is not None:
        return year
    return ref.year if month <= ref.month else ref.year - 1


def _day_in_month(year: int, month: int, day: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])


def _resolve(kind: str, m: re.Match[str], ref: dt.date) -> tuple[dt.date, int] | None:
    if kind == "iso":
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), DAY
        except ValueError:
            return None
    if kind in ("month_day", "day_month"):
        month = MONTHS[m["mon"].lower()]
        day = int(m["d"])
        year = int(m["y"]) if m["y"] else ref.year
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if not m["y"] and date > ref:
            try:
                date = dt.date(year - 1, month, day)
            except ValueError:  # 29 February
                return None
        return date, DAY
    if kind == "rel_days":
        rel = (m["rel"] or "").lower()
        if rel:
            step = -1 if rel in ("day before", "previous day") else 1
        else:
            n = m["n"].lower()
            step = _NUMBERS.get(n) or int(n)
            step = -step if m["dir"].lower() in ("earlier", "before", "ago") else step
        return ref + dt.timedelta(days=step), DAY
    if kind == "rel_weeks":
        n = m["n"].lower()
        days = 7 * (_NUMBERS.get(n) or int(n))
        if m["dir"].lower() in ("later", "after"):
            return ref + dt.timedelta(days=days), WEEK
        return ref - dt.timedelta(days=days), WEEK
    if kind == "nth_day":
        # the day of the report's month, else of the month before ("on the 28th" in a
        # report of the 3rd)
        day = int(m["d"])
        year, month = ref.year, ref.month
        if day > ref.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        if day > calendar.monthrange(year, month)[1]:
            return None
        return dt.date(year, month, day), DAY
    if kind == "ago":
        n = (m["n"] or "").lower()
        count = _NUMBERS.get(n) or (int(n) if n.isdigit() else 2)
        unit = m["unit"].lower()
        days = {"years": 365, "months": 30, "decades": 3652}[unit] * count
        return ref - dt.timedelta(days=days), MONTH if unit == "months" and n else YEAR
    if kind == "year_named":
        year = int(m["y"])
        if year >= ref.year:
            return None  # "ahead of the 2025 vote", "the 2021 offensive": not the past
        return dt.date(year, 7, 1), YEAR
    if kind == "year":
        year = int(m["y"])
        if not 1 <= year <= 9999:
            return None
        return dt.date(year, 7, 1), YEAR
    if kind == "last_week":
        return ref - dt.timedelta(days=7), WEEK
    if kind == "last_year":
        return dt.date(ref.year - 1, 7, 1), YEAR
    if kind == "fortnight":
        return ref - dt.timedelta(days=14), WEEK
    if kind == "weekend":
        return ref - dt.timedelta(days=(ref.weekday() - 5) % 7), WEEK
    if kind == "this_week":
        return ref, WEEK
    if kind == "last_month":
        first = ref.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=15), MONTH
    if kind == "this_month":
        return ref.replace(day=min(15, ref.day)), MONTH
    if kind == "yesterday":
        return ref - dt.timedelta(days=1), DAY
    if kind == "today":
        return ref, DAY
    if kind == "weekday":
        back = (ref.weekday() - _WEEKDAYS[m["wd"].lower()]) % 7
        if m["last"] and back == 0:
            back = 7
        return ref - dt.timedelta(days=back), DAY
    if kind in ("part_month", "month"):
        month = MONTHS[m["mon"].lower()]
        year = _month_year(month, int(m["y"]) if m["y"] else None, ref)
        if m["ly"]:
            year = ref.year - 1
        part = (m.groupdict().get("part") or "mid").lower()
        day = 5 if part.endswith(("early", "beginning of", "start of")) else 15
        if part.endswith(("late", "end of")):
            day = 25
        return dt.date(year, month, _day_in_month(year, month, day)), MONTH
    raise AssertionError(f"unknown date kind {kind!r}")  # pragma: no cover


def find_date_expressions(sentence: str) -> list[tuple[str, re.Match[str]]]:
    """Every date expression in ``sentence``, without overlaps, in text order; a weekday
    named with its date ("Monday 5 July") is that date.

    Examples
    --------
    >>> [m.group(0) for _, m in find_date_expressions("Last week, on Monday 5 July")]
    ['Last week', '5 July']
    """
    return list(_expressions(sentence))


@lru_cache(maxsize=1024)
def _expressions(sentence: str) -> tuple[tuple[str, re.Match[str]], ...]:
    """:func:`find_date_expressions`, kept for the last sentences read (a sentence with
    several events is dated once per event, a sentence told again once). Each pattern runs only when the sentence
    holds one of the literals every match of it contains (:mod:`geo.prefilter`)."""
    found: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    active = _INDEX.active(fold(sentence))
    for i, (kind, pattern) in enumerate(_PATTERNS):
        if i not in active:
            continue
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            found.append((kind, m))
            taken.append(m.span())
    found.sort(key=lambda item: item[1].start())
    # "Saturday, 24 February", "Monday the 4th": a weekday named with its date is that
    # date (the weekday alone would be read as the last such day before the report).
    return tuple(
        item
        for k, item in enumerate(found)
        if not (
            item[0] == "weekday"
            and k + 1 < len(found)
            and found[k + 1][0] in _DAY_KINDS
            and _WEEKDAY_JOIN.fullmatch(sentence, item[1].end(), found[k + 1][1].start())
        )
    )


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


# Expressions that name a day of the calendar; what may stand between a weekday and one.
_DAY_KINDS = frozenset({"iso", "month_day", "day_month", "nth_day"})
_WEEKDAY_JOIN = re.compile(r",?\s*")


# the joints of coordinate clauses ("…, and captured", "; the rebels …", "…, while"): an
# apposition's commas ("Y, the capital of Z, in October") are no joint
_JOINT_RE = re.compile(r";\s|,\s+(?:and|but|while|whereas|then|after|before|when|as)\b")


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


def needs_previous_day(sentence: str) -> bool:
    """True when ``sentence`` counts days from another day it does not name ("The next
    day, …", "Two days later …"): :func:`resolve_date` then wants ``previous``."""
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
        filed = _resolve(kind, m, report_date)
        if filed is not None and 0 <= (report_date - filed[0]).days <= 7:
            report_date = filed[0]
    if anchor is not None and expressions:
        # "X retook the town, which Y had taken a day earlier": a date relative to the
        # event belongs to its own clause, never to the other clause's event
        lo = max(sentence.rfind(c, 0, anchor) for c in ",;") + 1
        his = [i for i in (sentence.find(c, anchor) for c in ",;") if i >= 0]
        hi = min(his) if his else len(sentence)
        own = [(k, m) for k, m in expressions if lo <= m.start() < hi]
        if not own:
            # "took X in April, …, and captured Y, the capital of Z, in October": past
            # the commas of an apposition, the date of the event's own coordinate clause
            lo, hi = _coordinate_clause(sentence, anchor)
            own = [(k, m) for k, m in expressions if lo <= m.start() < hi and k != "rel_days"]
        expressions = own or [(k, m) for k, m in expressions if k != "rel_days"]
        expressions.sort(
            key=lambda item: min(abs(item[1].start() - anchor), abs(item[1].end() - anchor))
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
            base = _resolve(*others[0], ref) if others else None
            said = (m.groupdict().get("dir") or "").lower()
            if base is None and previous is not None and said != "ago":
                base = (previous, DAY)
            ref = base[0] if base is not None else ref
        resolved = _resolve(kind, m, ref)
        if resolved is not None and kind in _RELATIVE and _leads_to(sentence, m, anchor):
            # "X on Monday, three days after seizing Y": the seizure is three days before
            resolved = (ref - (resolved[0] - ref), resolved[1])
        if resolved is None and kind == "year_named":
            continue  # a year to come, or this one: no date of the past
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
