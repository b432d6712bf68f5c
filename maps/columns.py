"""Columns of a (Geo)DataFrame as the compact lists the page's JSON blob holds.

Report text is stored once in a string table (:class:`Strings`); columns hold
indexes into it. Missing values (None, NaN, NaT, empty text) become ``None``
or index ``-1``.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "Strings",
    "as_wgs84",
    "column",
    "date_text",
    "lat_lon",
    "rounded",
    "text",
    "text_column",
]


class Strings:
    """A table of distinct strings: columns store indexes, each text appears once.

    Examples
    --------
    >>> s = Strings()
    >>> s.column(["a", None, "b", "a"]), s.items
    ([0, -1, 1, 0], ['a', 'b'])
    """

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, value: object) -> int:
        """Index of ``value``'s text in the table (added if new); -1 when missing."""
        value_text = text(value)
        if value_text is None:
            return -1
        i = self._index.get(value_text)
        if i is None:
            i = self._index[value_text] = len(self.items)
            self.items.append(value_text)
        return i

    def column(self, values: Any) -> list[int]:
        """Indexes of a whole column of values."""
        # factorize first: each distinct value is converted once, not once per row
        series = values if isinstance(values, pd.Series) else pd.Series(list(values))
        codes, uniques = pd.factorize(series.astype(object))
        table = np.array([self.add(u) for u in uniques] + [-1], dtype=np.int64)
        return table[codes].tolist()  # code -1 (missing) picks the trailing -1


def text(value: object) -> str | None:
    """A cell as stripped text, or ``None`` when missing or empty.

    Examples
    --------
    >>> text("  a "), text(float("nan")), text(["x", "y"]), text("")
    ('a', None, 'x, y', None)
    """
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NaT or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in value)
    out = str(value).strip()
    return out or None


def text_column(values: pd.Series) -> pd.Series:
    """:func:`text` of every cell, computed once per distinct value (fast on big columns).

    Examples
    --------
    >>> text_column(pd.Series([" a", None, " a", ""])).tolist()
    ['a', None, 'a', None]
    """
    codes, uniques = pd.factorize(values.astype(object))
    table = np.array([text(u) for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def date_text(value: object) -> str | None:
    """A date cell as ``YYYY-MM-DD`` (timestamps), else as text."""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.date().isoformat()
    return text(value)


def column(df: pd.DataFrame | None, name: str) -> pd.Series:
    """``df[name]``, or a column of ``None`` when ``df`` lacks it."""
    if df is None:
        return pd.Series([], dtype=object)
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def as_wgs84(df: pd.DataFrame | None, what: str) -> pd.DataFrame | None:
    """Check that ``df`` is a (Geo)DataFrame and give it EPSG:4326 coordinates."""
    if df is None:
        return None
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a (Geo)DataFrame, instead got: {type(df).__name__!r}")
    if isinstance(df, gpd.GeoDataFrame) and df.crs is not None and not df.crs.equals("EPSG:4326"):
        df = df.to_crs(4326)
    return df


def lat_lon(df: pd.DataFrame, what: str, lat: str = "lat", lon: str = "lon") -> np.ndarray:
    """Coordinates as an (n, 2) array of lat, lon: from the geometry, else the columns."""
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geoms = df.geometry
        ok = ~(geoms.isna() | geoms.is_empty)
        shapes = geoms[ok].to_numpy()
        if (shapely.get_type_id(shapes) == shapely.GeometryType.POINT).all():
            pts = shapes  # a point is its own representative point: none to compute
        else:
            pts = shapely.point_on_surface(shapes)
        out = np.full((len(df), 2), np.nan)
        out[np.asarray(ok), 0] = shapely.get_y(pts)
        out[np.asarray(ok), 1] = shapely.get_x(pts)
        return out
    if lat in df.columns and lon in df.columns:
        return np.column_stack(
            [pd.to_numeric(df[lat], errors="coerce"), pd.to_numeric(df[lon], errors="coerce")]
        )
    raise ValueError(
        f"{what} needs a geometry column or {lat!r} and {lon!r} columns, "
        f"instead got columns: {list(df.columns)!r}"
    )


def rounded(values: np.ndarray, ndigits: int = 4) -> list[float]:
    """Floats rounded for the page (4 decimals of a degree: about 11 m)."""
    return [float(v) for v in np.round(values, ndigits)]
