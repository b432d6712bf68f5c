"""The places of a report as the event stage reads them.

:func:`row_place` turns a row of the places table into a :class:`Place`;
:class:`PlaceTable` reads the table column by column and gives each report its places.
What "the city" stands for is :mod:`geo.events.story`'s.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.prefilter import fold
from geo.provinces import AREA_KINDS

__all__ = [
    "SETTLEMENT_KINDS",
    "Place",
    "PlaceTable",
    "row_place",
]


SETTLEMENT_KINDS = frozenset({"city", "town", "district", "airbase", "border_crossing", "other"})


@dataclass(slots=True, init=False)
class Place:
    start: int  # offsets in the report text
    end: int
    name: str
    kind: str
    country: str | None
    admin1: str | None
    iso: str | None
    lat: float
    lon: float
    source: str | None
    capital: bool
    via: str  # "" for a mention, else how it was found ("the city", "region")
    admin2: str | None  # the district, where the country has an admin-2 file

    # Written out, not made by @dataclass: mypyc compiles this one, while the dataclass's
    # own __init__ is generated at import and interpreted (about ten times the cost, and a
    # long report makes hundreds of thousands of places).
    def __init__(
        self,
        start: int,
        end: int,
        name: str,
        kind: str,
        country: str | None,
        admin1: str | None,
        iso: str | None,
        lat: float,
        lon: float,
        source: str | None,
        capital: bool,
        via: str = "",
        admin2: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.kind = kind
        self.country = country
        self.admin1 = admin1
        self.iso = iso
        self.lat = lat
        self.lon = lon
        self.source = source
        self.capital = capital
        self.via = via
        self.admin2 = admin2


def row_place(row: dict, text: str) -> Place:
    cap = False
    for col in ("capital", "seat"):
        v = row.get(col)
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and bool(v):
            cap = True
    return Place(
        int(row["start"]),
        int(row["end"]),
        str(row.get("name") or row.get("mention")),
        str(row.get("kind") or "other"),
        _str_or_none(row.get("country")),
        _str_or_none(row.get("admin1")),
        _str_or_none(row.get("iso_3166_2")),
        float(row["lat"]),
        float(row["lon"]),
        _str_or_none(row.get("source")),
        cap
        or (
            str(row.get("kind")) not in AREA_KINDS
            and _capital_from_text(text, int(row["start"]), int(row["end"]))
        ),
        admin2=_str_or_none(row.get("admin2")),
    )


class PlaceTable:
    """The places table read once, column by column, for :func:`row_place`'s places.

    ``places(report, text)`` gives the same places as :func:`row_place` on each of the
    report's rows, in the table's order, without a dict or a pandas row per place: the
    values are converted a column at a time.

    Parameters
    ----------
    places : DataFrame or None
        The places table (:func:`geo.geoparse.find_places`).
    """

    def __init__(self, places: pd.DataFrame | None) -> None:
        self._rows: dict[str, list[int]] = {}
        if places is None or len(places) == 0:
            return
        cols = set(places.columns)

        def col(name: str) -> list:
            return places[name].tolist() if name in cols else [None] * len(places)

        by_report = _rows_by_report(places["report"]) if "report" in cols else None
        if by_report is None:
            by_report = {}
            for i, r in enumerate(col("report")):
                by_report.setdefault(str(r), []).append(i)
        self._rows = by_report
        self._start = _ints(places, "start")
        self._end = _ints(places, "end")
        names = _interned(places, "name", missing=False)
        if names is None:
            names = _once([str(n or m) for n, m in zip(col("name"), col("mention"), strict=True)])
        self._name = names
        kinds = _interned(places, "kind", missing=False)
        if kinds is None:
            kinds = _once([str(k or "other") for k in col("kind")])
            self._any_kind = [str(k) not in AREA_KINDS for k in col("kind")]
        else:
            self._any_kind = [k not in AREA_KINDS for k in kinds]
        self._kind = kinds
        # the text says it is a capital ("X, the capital of ..."): not read for these kinds
        self._country, self._admin1, self._iso, self._source, self._admin2 = (
            _interned(places, c) or _strs(col(c))
            for c in ("country", "admin1", "iso_3166_2", "source", "admin2")
        )
        self._lat = _floats(places, "lat")
        self._lon = _floats(places, "lon")
        capital, seat = _flags(places, "capital"), _flags(places, "seat")
        self._capital = list(map(operator.or_, capital, seat))

    def places(self, report: str, text: str) -> list[Place]:
        """The places of one report (its ``text`` for "X, the capital of ...")."""
        rows = self._rows.get(report)
        if not rows:
            return []
        named = "capital" in fold(text)  # no "capital" anywhere: none said to be one
        out = []
        for i in rows:
            start, end = self._start[i], self._end[i]
            out.append(
                Place(
                    start,
                    end,
                    self._name[i],
                    self._kind[i],
                    self._country[i],
                    self._admin1[i],
                    self._iso[i],
                    self._lat[i],
                    self._lon[i],
                    self._source[i],
                    self._capital[i]
                    or (named and self._any_kind[i] and _capital_from_text(text, start, end)),
                    admin2=self._admin2[i],
                )
            )
        return out


def _rows_by_report(reports: pd.Series) -> dict[str, list[int]] | None:
    """The rows of each report, in table order (``None``: a report id that is not a
    string, left to the plain loop)."""
    codes, uniques = pd.factorize(reports, sort=False)
    if (codes < 0).any() or not all(u.__class__ is str for u in uniques):
        return None
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques))).tolist()
    rows = order.tolist()
    out: dict[str, list[int]] = {}
    a = 0
    for u, b in zip(uniques.tolist(), bounds, strict=True):
        out[u] = rows[a:b]
        a = b
    return out


def _ints(places: pd.DataFrame, name: str) -> list[int]:
    v = places[name]
    if pd.api.types.is_integer_dtype(v.dtype) and not v.hasnans:
        return v.to_numpy(dtype=np.int64).tolist()
    return [int(x) for x in v.tolist()]


def _floats(places: pd.DataFrame, name: str) -> list[float]:
    v = places[name]
    if pd.api.types.is_float_dtype(v.dtype) and isinstance(v.dtype, np.dtype):
        return v.to_numpy(dtype=float).tolist()
    return [float(x) for x in v.tolist()]


def _interned(places: pd.DataFrame, name: str, missing: bool = True) -> list | None:
    """A column of strings as :func:`_strs` gives it (each distinct string once, missing
    values ``None``), converted in C; ``None`` when the column is absent or not a column
    of strings (or holds missing values and ``missing`` is false), for the plain loop."""
    if name not in places.columns:
        return None
    v = places[name]
    if not (isinstance(v.dtype, pd.StringDtype) or pd.api.types.is_string_dtype(v.dtype)):
        return None
    codes, uniques = pd.factorize(v, sort=False)
    values = uniques.tolist()
    if not all(u.__class__ is str for u in values):
        return None
    if (codes < 0).any() or "" in values:
        if not missing:
            return None  # a missing or empty name or kind: read as the plain loop reads it
        values.append(None)  # code -1: the last one
    # each code to its string in C (numpy's take of an object array), not by a call a row
    return np.array(values, dtype=object).take(codes).tolist()


def _flags(places: pd.DataFrame, name: str) -> list[bool]:
    """A ``capital``/``seat`` column as :func:`_flag` reads each value."""
    if name not in places.columns:
        return [False] * len(places)
    v = places[name]
    if v.dtype == np.dtype(bool):
        return v.to_numpy().tolist()
    return [_flag(x) for x in v.tolist()]


def _once(values: list[str]) -> list[str]:
    """The strings, each distinct one kept once."""
    one: dict[str, str] = {}
    return [one.setdefault(v, v) for v in values]


def _strs(values: list) -> list[str | None]:
    """:func:`_str_or_none` of each value, each distinct string kept once (a long report
    names the same places again and again)."""
    one: dict[str, str] = {}
    return [one.setdefault(v, v) if v.__class__ is str else _str_or_none(v) for v in values]


def _flag(v: object) -> bool:
    """A ``capital``/``seat`` value as :func:`row_place` reads it."""
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and bool(v)


def _str_or_none(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return str(v)


_CAPITAL_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:the\s+|a\s+)?(?:\w+\s+)?(?:provincial\s+)?capital\b", re.I
)
_CAPITAL_BEFORE_RE = re.compile(r"\b(?:provincial capital|capital city)\s*,?\s*$", re.I)


def _capital_from_text(text: str, start: int, end: int) -> bool:
    """True when the text says the place is a capital ("X, the capital of ...")."""
    # both expressions need the word "capital": a substring test first
    after, before = text[end : end + 40], text[max(0, start - 50) : start]
    return bool(
        ("capital" in fold(after) and _CAPITAL_AFTER_RE.match(after))
        or ("capital" in fold(before) and _CAPITAL_BEFORE_RE.search(before))
    )
