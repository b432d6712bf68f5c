"""Dates to day numbers for the map's time slider, and control states by day.

The slider counts whole days from the first date on the map (day 0). Each
region's control is a list of states ``[day, status, controller, claim_status,
since, evidence]`` sorted by day; the page shows, for a chosen day, the last
state on or before it, and "unknown" before the first one (never assume
government control).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["NO_DAY", "date_range_text", "day_numbers", "to_dates"]

#: Day number of a row with no date: shown on every day.
NO_DAY = -1


def to_dates(values: Iterable[Any]) -> pd.Series:
    """Parse dates leniently to day precision; unparseable values become NaT.

    Examples
    --------
    >>> to_dates(["2021-07-07", None, "not a date", "7 August 2021"]).dt.day.tolist()
    [7.0, nan, nan, 7.0]
    """
    if (
        isinstance(values, pd.Series)
        and (
            isinstance(values.dtype, pd.DatetimeTZDtype)
            or (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M")
        )
        and values.notna().any()  # (none: the parse below gives its own unit)
    ):
        # Already dates (a table's date column, a row per place mention): no parsing.
        times = values.reset_index(drop=True).rename(None)
        if isinstance(times.dtype, pd.DatetimeTZDtype):
            times = times.dt.tz_convert("UTC").dt.tz_localize(None)
        return times.dt.normalize()
    raw = pd.Series(list(values), dtype=object)
    parsed = pd.to_datetime(raw, errors="coerce", utc=True, format="ISO8601")
    retry = parsed.isna() & raw.notna()
    if retry.any():
        parsed[retry] = pd.to_datetime(raw[retry], errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_localize(None).dt.normalize()


def day_numbers(dates: pd.Series, day0: pd.Timestamp | None) -> np.ndarray:
    """Whole days since ``day0``; ``NO_DAY`` where the date is missing.

    Examples
    --------
    >>> d = to_dates(["2021-07-07", None, "2021-07-09"])
    >>> day_numbers(d, pd.Timestamp("2021-07-07")).tolist()
    [0, -1, 2]
    """
    if day0 is None or len(dates) == 0:
        return np.full(len(dates), NO_DAY, dtype=np.int64)
    days = (dates - day0).dt.days
    return days.fillna(NO_DAY).astype(np.int64).to_numpy()


def date_range_text(first: pd.Timestamp | None, last: pd.Timestamp | None) -> str | None:
    """Human text for the dates a map covers.

    Examples
    --------
    >>> date_range_text(pd.Timestamp("2021-07-07"), pd.Timestamp("2021-08-16"))
    '7 July 2021 – 16 August 2021'
    >>> date_range_text(pd.Timestamp("2021-07-07"), pd.Timestamp("2021-07-07"))
    '7 July 2021'
    """
    if first is None or pd.isna(first):
        return None

    def fmt(t: pd.Timestamp) -> str:
        d: dt.date = t.date()
        return f"{d.day} {d.strftime('%B')} {d.year}"

    if last is None or pd.isna(last) or last == first:
        return fmt(first)
    return f"{fmt(first)} – {fmt(last)}"
