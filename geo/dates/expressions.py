"""Date expressions: the words of a sentence that name a date, and the date each names
against a reference day (a report's, an entry's, another date of the sentence).

:func:`find_date_expressions` finds them (each pattern behind its literal gate,
:mod:`geo.prefilter`); :func:`expression_date` reads one. Which expression dates an event,
and how a relative one is anchored, is :func:`geo.dates.resolve_date`'s.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from geo.gates import SHARED_PASS, StartIndex, find_all
from geo.reports import MONTHS

__all__ = [
    "DAY",
    "MONTH",
    "NUMBERS",
    "PATTERNS",
    "WEEK",
    "YEAR",
    "expression_date",
    "find_date_expressions",
]

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
# written with a capital (their "last march" is no date)
_FULL_MON_CAP = "|".join(n.capitalize() for n in _FULL_MON.split("|"))
_WD = "|".join(_WEEKDAYS)
_PART = (
    r"(?P<part>early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of)"
)

# "in May last year", "in May of last year": the month of the year before the report's
_LAST_YEAR = r"(?P<ly>,?\s+(?:of\s+)?last\s+year)"
# The seasons (of the northern hemisphere, as the wire's English names them) by their
# middle month; winter's is January (December to February).
_SEASON_MONTH = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
_SEASONS = "|".join(_SEASON_MONTH)
_SEASON_WHICH = r"last|this\s+past|this|(?:the\s+)?previous|(?:the\s+)?past"
# half a season, in days, each side of its middle
_HALF_SEASON = 45

# The patterns every match of which holds a year as ``_YEAR`` writes it (marked by
# ``_yearly``): they run only when the sentence holds one (see ``_YEAR_DIGITS``).
_YEAR = r"(?P<y>1\d{3}|20\d{2})"
_YEARLY: list[re.Pattern[str]] = []


def _yearly(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, marked as one whose every match holds a year (its ``_YEAR`` group is
    not optional)."""
    assert _YEAR in pattern.pattern
    _YEARLY.append(pattern)
    return pattern


# (kind, pattern); the order is the priority when two expressions overlap.
# "two days before the vote" dates the vote, not the report: "before" and "after" with an
# object are a preposition ("two days later the army ..." is still a date).
_NOT_OBJECT = r"(?!\s+(?:the|a|an|his|her|its|their)\b)"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month_day",
        re.compile(
            # not "October 08:15" (a date line above a live blog's times: "10 October",
            # then "08:15 GMT - ..."): a day is no hour
            rf"(?<!the )\b(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.]\d)"
            rf"(?!\s+attacks?)(?:,?\s+(?P<y>\d{{4}}))?",
            re.I,
        ),
    ),
    (
        "day_month",
        re.compile(
            # "3-5 May", "between 3 and 5 May": a range is read at its first day, as
            # "Sept. 29-30" is
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?|\s+(?:and|to)\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
            rf"\s+(?:of\s+)?(?P<mon>{_MON})\b(?:,?\s+(?P<y>\d{{4}}))?",
            re.I,
        ),
    ),
    (
        "rel_days",
        re.compile(
            r"\b(?P<n>a|one|two|three|four|five|six|seven|\d{1,2})\s+days?\s+"
            rf"(?P<dir>earlier|later|ago|before{_NOT_OBJECT}|after{_NOT_OBJECT})\b"
            r"|\bthe\s+(?P<rel>day before|previous day|next day|following day)\b"
            # "hours later": the same day as the date it counts from
            r"|\b(?P<h>hours|minutes|moments)\s+(?:later|after|earlier|before)\b",
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
    (
        "weekend",
        re.compile(r"\b(?:over|at|on|during|this(?:\s+past)?)\s+(?:the\s+)?weekend\b", re.I),
    ),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b|\ba\s+month\s+ago\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier|early|late|later)\s+this\s+month\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b|\bovernight\b", re.I)),
    (
        "today",
        re.compile(
            r"\btoday\b|\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b"
            r"|\bat\s+night\b|\bearlier\s+today\b",
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
    # "last August", "the previous March", "this past May": the latest such month before
    # the report's own
    (
        "month",
        re.compile(
            rf"\b(?P<prev>last|this\s+past|(?:the\s+)?previous)\s+(?-i:(?P<mon>{_FULL_MON_CAP}))\b"
            r"(?!\s+\d)",
            re.I,
        ),
    ),
    # "last summer", "this winter", "in the spring", "summer 2022", "during the autumn of
    # 2019": a season, known to the year (its middle month's 15th)
    (
        "season",
        re.compile(
            rf"\b(?:(?P<which>{_SEASON_WHICH})\s+|(?:in|during|by|since|until|through)"
            rf"\s+(?:the\s+)?)(?P<season>{_SEASONS})\b"
            r"(?:\s+(?:of\s+)?(?P<y>1\d{3}|20\d{2})\b(?![-/]\d)|(?!\s+of\b))",
            re.I,
        ),
    ),
    (
        "season",
        _yearly(re.compile(rf"\b(?P<season>{_SEASONS})\s+(?:of\s+)?{_YEAR}\b(?![-/]\d)", re.I)),
    ),
    ("this_year", re.compile(r"\b(?:earlier|late|later)\s+this\s+year\b", re.I)),
]
_YEAR_RE = _yearly(
    re.compile(rf"\b(?:in|since|by|until|during|back in)\s+{_YEAR}\b(?![-/]\d)", re.I)
)
# after the months, so "in May last year" is May
PATTERNS.append(("last_year", re.compile(r"\blast\s+year\b|\ba\s+year\s+ago\b", re.I)))
PATTERNS.append(("year", _YEAR_RE))
# background told without "in": "the 2015 offensive", "the spring of 2016", "late 2015",
# "six years ago", "months ago" (no day: such an event is never dated the report's day)
PATTERNS.append(
    (
        "year",
        _yearly(
            re.compile(
                r"\b(?:(?:the\s+)?(?:spring|summer|autumn|fall|winter|start|beginning|end|middle"
                r"|first\s+half|second\s+half)\s+of\s+|(?:early|mid|late)[-\s]+)"
                rf"{_YEAR}\b(?![-/]\d)",
                re.I,
            )
        ),
    )
)
PATTERNS.append(
    (
        "year_named",
        _yearly(re.compile(rf"\b(?:a|an|the|its|their|his|her)\s+{_YEAR}(?=\s+[a-z])", re.I)),
    )
)
PATTERNS.append(
    (
        "ago",
        re.compile(
            r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|many|\d{1,2})?"
            r"\s*(?P<unit>years|months|decades)\s+ago\b",
            re.I,
        ),
    )
)
# where each expression's matches can start: it is tried there alone, and only in a
# sentence where it can start; one whose start is not known would run where the same
# pass finds one of its literals (geo.gates)
_STARTS = StartIndex([pattern for _, pattern in PATTERNS], group=SHARED_PASS, keep=True)
# The patterns marked by _yearly, by their place in PATTERNS. Their literal gates are
# only "1" or "20" (any number passes); a year's digits are a sharper gate, and a search
# for them is fast: the engine scans for the first digit, where the patterns themselves
# try every word boundary.
_NEEDS_YEAR = frozenset(
    i for i, (_, pattern) in enumerate(PATTERNS) if any(pattern is y for y in _YEARLY)
)
_YEAR_DIGITS = re.compile(r"1\d{3}|20\d{2}")
NUMBERS = {
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


def _month_year(month: int, year: int | None, ref: dt.date) -> int:
    """The year of a month named without one: the latest not after the report."""
    if year is not None:
        return year
    return ref.year if month <= ref.month else ref.year - 1


def _day_in_month(year: int, month: int, day: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])


def _season(m: re.Match[str], ref: dt.date) -> tuple[dt.date, int] | None:
    """The middle of the season ``m`` names: of its year if given; "last summer" the
    latest that has ended by ``ref``; "in the summer", "this summer" the latest begun.
    None for a season under way at ``ref`` (the report's own day is as good a date as
    any in it) or, said "this", one still to come ("this summer" in February)."""
    month = _SEASON_MONTH[m["season"].lower()]
    groups = m.groupdict()
    if groups.get("y"):
        return dt.date(int(groups["y"]), month, 15), YEAR
    which = re.sub(r"\s+", " ", (groups.get("which") or "").lower()).removeprefix("the ")
    half = dt.timedelta(days=_HALF_SEASON)
    middles = [dt.date(ref.year + k, month, 15) for k in (1, 0, -1, -2)]
    if which in ("last", "this past", "previous", "past"):
        return next(d for d in middles if d + half <= ref), YEAR
    begun = next(d for d in middles if d - half <= ref)
    if ref <= begun + half:
        return None  # under way
    if which == "this" and ref - (begun + half) > dt.timedelta(days=120):
        return None  # the one to come
    return begun, YEAR


def expression_date(kind: str, m: re.Match[str], ref: dt.date) -> tuple[dt.date, int] | None:
    """The date and precision that expression ``m`` of ``kind`` (from
    :func:`find_date_expressions`) names, read against the day ``ref``; None for a day that
    does not exist ("31 June")."""
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
        if m["h"]:
            step = 0
        elif rel:
            step = -1 if rel in ("day before", "previous day") else 1
        else:
            n = m["n"].lower()
            step = NUMBERS.get(n) or int(n)
            step = -step if m["dir"].lower() in ("earlier", "before", "ago") else step
        return ref + dt.timedelta(days=step), DAY
    if kind == "rel_weeks":
        n = m["n"].lower()
        days = 7 * (NUMBERS.get(n) or int(n))
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
        count = NUMBERS.get(n) or (int(n) if n.isdigit() else 2)
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
    if kind == "this_year":
        # between the year's start and the report
        start = dt.date(ref.year, 1, 1)
        return start + (ref - start) // 2, YEAR
    if kind == "season":
        return _season(m, ref)
    if kind in ("part_month", "month"):
        month = MONTHS[m["mon"].lower()]
        groups = m.groupdict()
        year = _month_year(month, int(m["y"]) if groups.get("y") else None, ref)
        if groups.get("ly"):
            year = ref.year - 1
        if groups.get("prev") and month == ref.month:
            year = ref.year - 1  # "last May" in a report of May: a year before
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
    several events is dated once per event, a sentence told again once). Each pattern runs
    only where one of its matches can start (:mod:`geo.gates`), or, when that is not
    known, when the sentence holds one of the literals every match of it contains."""
    found: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    starts, loose = _STARTS.scan(sentence)
    year: bool | None = None  # whether the sentence holds a year's digits, once asked
    for i, (kind, pattern) in enumerate(PATTERNS):
        if i not in starts and i not in loose:
            continue
        if i in _NEEDS_YEAR:
            if year is None:
                year = _YEAR_DIGITS.search(sentence) is not None
            if not year:
                continue  # every match of it holds a year, and the sentence none
        if _STARTS.anchored[i]:
            matches = find_all(pattern, sentence, starts[i])
        else:
            matches = list(pattern.finditer(sentence))
        for m in matches:
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


# Expressions that name a day of the calendar; what may stand between a weekday and one.
_DAY_KINDS = frozenset({"iso", "month_day", "day_month", "nth_day"})
_WEEKDAY_JOIN = re.compile(r",?\s*")
