"""When a sentence's event happened: its date read once per sentence and trigger, history
told as background, a date right after a listed place, and days pandas can hold. Used by
:mod:`geo.events.sentence`."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from geo.dates import EventDate, find_date_expressions, resolve_date

__all__ = ["HISTORY_YEARS", "date_after", "historical", "timestamp", "when_told"]

_YEAR4_RE = re.compile(r"\b\d{4}\b")


#: Events dated this long before their report are history told as background.
HISTORY_YEARS = 10


def historical(when: EventDate, report_date: dt.date | None) -> bool:
    """True for an event the sentence dates long before the report ("in 1187")."""
    if report_date is None:
        return False
    if when.date is None and when.origin == "invalid" and when.expression:
        # "in 1187": before the dates geomap handles, so history if before the report
        years = _YEAR4_RE.findall(when.expression)
        return bool(years) and int(years[-1]) < report_date.year - HISTORY_YEARS
    if when.date is None or when.origin != "sentence":
        return False
    return (report_date - when.date).days > 365.25 * HISTORY_YEARS


# What may stand between a listed place and the date right after it.
_ON_RE = re.compile(r"\s*(?:,\s*)?(?:on\s+|in\s+)?")


def date_after(s_text: str, at: int) -> int | None:
    """The offset of a date expression that follows offset ``at`` at once ("X on Sunday",
    "X, a day later"), if there is one."""
    lead = _ON_RE.match(s_text, at)
    start = lead.end() if lead else at
    for _, m in find_date_expressions(s_text):
        if m.start() == start:
            return m.start()
        if m.start() > start:
            break
    return None


@lru_cache(maxsize=16384)
def when_told(
    s_text: str,
    report_date: dt.date | None,
    anchor: int,
    reference: dt.date | None = None,
    previous: dt.date | None = None,
) -> EventDate:
    """:func:`geo.dates.resolve_date` of a trigger, once per sentence, dates and offset."""
    return resolve_date(s_text, report_date, anchor=anchor, reference=reference, previous=previous)


@lru_cache(maxsize=4096)
def timestamp(day: dt.date | None) -> pd.Timestamp:
    if day is None or not (1678 <= day.year <= 2261):
        return pd.NaT  # outside what pandas can hold: no date rather than a crash
    return pd.Timestamp(day)
