"""What the map frames, which regions it draws, and the offline basemap around them.

Nothing here names a country: the view is the box around the data (places,
events, regions whose control is known), else around the countries the data
names, else none at all (the page then shows the whole world).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from maps.basemap import clip_to, compact_features
from maps.columns import column, lat_lon, text, text_column

__all__ = [
    "BASEMAP_MARGIN",
    "basemap_features",
    "data_countries",
    "frame",
    "point_boxes",
    "regions_to_draw",
]

BASEMAP_MARGIN = 20.0  # degrees of country outlines drawn around the data, offline
_COUNTRY_TOLERANCE = 0.02  # degrees, display simplification of countries
Box = tuple[float, float, float, float]  # west, south, east, north


def point_boxes(places: pd.DataFrame | None, events: pd.DataFrame | None) -> list[Box]:
    """(west, south, east, north) around the places, and around the events, where any."""
    boxes = []
    for df, lat, lon in ((places, "lat", "lon"), (events, "latitude", "longitude")):
        if df is not None and len(df):
            ll = lat_lon(df, "data", lat, lon)
            ll = ll[~np.isnan(ll).any(axis=1)]
            if len(ll):
                boxes.append(
                    (
                        float(ll[:, 1].min()),
                        float(ll[:, 0].min()),
                        float(ll[:, 1].max()),
                        float(ll[:, 0].max()),
                    )
                )
    return boxes


def _union(boxes: list[Box]) -> Box:
    arr = np.array(boxes, dtype=float)
    return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())


def data_countries(
    places: pd.DataFrame | None, events: pd.DataFrame | None, region_codes: set[str]
) -> set[str]:
    """ISO 3166-1 alpha-2 codes the data is about: its rows' countries and regions' prefixes."""
    codes = {c.split("-")[0] for c in region_codes if c}
    for df in (places, events):
        if df is None:
            continue
        codes |= {t.split("-")[0] for t in text_column(column(df, "iso_3166_2")).dropna().unique()}
        codes |= {t for t in text_column(column(df, "country")).dropna().unique() if len(t) == 2}
    return {c.upper() for c in codes if len(c) == 2}


def frame(
    places: pd.DataFrame | None,
    events: pd.DataFrame | None,
    regions: gpd.GeoDataFrame | None,
    known_regions: set[str],
    countries: gpd.GeoDataFrame | None,
) -> list[list[float]] | None:
    """[[south, west], [north, east]] around what the map is about, or None (the world).

    The places (not countries named in passing) and events of the country
    most of them are in, the regions named or whose control is known; else
    the outlines of the countries the data names; else all the regions given.
    """
    boxes = []
    codes = set(known_regions)
    if places is not None and "kind" in places.columns:
        # a country named in passing ("the US") should not zoom the map out to the world
        places = places[places["kind"].astype(str) != "country"]
    # Reports name capitals abroad (talks and envoys): frame the country most
    # places are in, the others are a zoom out away.
    focus = _focus_country(places, events)
    if focus is not None:
        home = None  # the focus country's box, for rows that do not say their country
        if regions is not None and len(regions) and "iso_3166_2" in regions.columns:
            mine = regions[regions["iso_3166_2"].astype(str).str.split("-").str[0] == focus]
            if len(mine):
                home = tuple(float(v) for v in mine.total_bounds)
        places = _in_country(places, focus, home)
        events = _in_country(events, focus, home)
    boxes += point_boxes(places, events)
    if places is not None:
        codes |= set(text_column(column(places, "iso_3166_2")).dropna())
    if regions is not None and len(regions):
        iso = column(regions, "iso_3166_2").astype(str)
        hit = regions[iso.isin(codes).to_numpy()]
        if len(hit):
            boxes.append(tuple(float(v) for v in hit.total_bounds))  # type: ignore[arg-type]
    if not boxes and countries is not None and len(countries) and "country" in countries:
        named = data_countries(places, events, codes)
        hit = countries[countries["country"].astype(str).str.upper().isin(named).to_numpy()]
        if len(hit):
            boxes.append(tuple(float(v) for v in hit.total_bounds))  # type: ignore[arg-type]
    if not boxes and regions is not None and len(regions):
        boxes.append(tuple(float(v) for v in regions.total_bounds))  # type: ignore[arg-type]
    if not boxes:
        return None
    w, s, e, n = _union(boxes)
    return [[round(float(s), 4), round(float(w), 4)], [round(float(n), 4), round(float(e), 4)]]


def regions_to_draw(
    regions: gpd.GeoDataFrame, view: list[list[float]] | None, countries: set[str]
) -> gpd.GeoDataFrame:
    """The regions of the data's countries and those near the view (neighbours).

    A worldwide admin-1 file has thousands of regions: drawing them all would
    make every map heavy. With no view, all are kept.
    """
    if view is None or not len(regions):
        return regions
    (s, w), (n, e) = view
    pad = max(2.0, 0.25 * max(n - s, e - w))
    near = regions.cx[w - pad : e + pad, s - pad : n + pad]
    keep = regions.index.isin(near.index)
    if countries and "iso_3166_2" in regions.columns:
        prefix = regions["iso_3166_2"].astype(str).str.split("-").str[0].str.upper()
        keep |= prefix.isin(countries).to_numpy()
    return regions[keep]


def basemap_features(
    countries: gpd.GeoDataFrame | None,
    view: list[list[float]] | None,
    extra: list[Box],
) -> dict[str, Any]:
    """Country outlines around the view, simplified, for the offline basemap."""
    boxes = list(extra)
    if view is not None:
        (s, w), (n, e) = view
        boxes.append((w, s, e, n))
    if countries is None or not len(countries):
        return {"type": "FeatureCollection", "features": []}
    if boxes:
        near = clip_to(countries, _union(boxes), margin=BASEMAP_MARGIN)
    else:  # no data: the world
        near = clip_to(countries, (-180.0, -85.0, 180.0, 85.0), margin=0.0)
    shapes = near.geometry.simplify(_COUNTRY_TOLERANCE, preserve_topology=True)
    props = [{"name": text(n)} for n in column(near, "name")]
    return compact_features(shapes, props, ndigits=3)


def _countries_of(df: pd.DataFrame) -> pd.Series:
    """Each row's country: its ``country``, else the prefix of its ``iso_3166_2``."""
    named = text_column(column(df, "country"))
    # the prefix of each distinct code, not of each row (a row per place mention)
    codes, uniques = pd.factorize(column(df, "iso_3166_2").astype(object))
    prefixes = [t.split("-")[0] if t is not None else None for t in map(text, uniques)]
    from_iso = np.array([*prefixes, None], dtype=object)[codes]  # code -1: missing
    return named.where(named.notna(), pd.Series(from_iso, index=df.index, dtype=object))


def _focus_country(places: pd.DataFrame | None, events: pd.DataFrame | None) -> str | None:
    names = pd.concat(
        [_countries_of(df) for df in (places, events) if df is not None and len(df)]
        or [pd.Series([], dtype=object)]
    ).dropna()
    if names.empty:
        return None
    return str(names.astype(str).value_counts().index[0])


def _in_country(
    df: pd.DataFrame | None, country: str, home: tuple[float, ...] | None
) -> pd.DataFrame | None:
    if df is None or not len(df):
        return df
    named = _countries_of(df)
    keep = (named == country).to_numpy().copy()
    if home is not None and named.isna().any():
        lat, lon = ("lat", "lon") if "lat" in df.columns else ("latitude", "longitude")
        ll = lat_lon(df, "data", lat, lon)
        w, s, e, n = home
        in_box = (ll[:, 0] >= s) & (ll[:, 0] <= n) & (ll[:, 1] >= w) & (ll[:, 1] <= e)
        keep |= named.isna().to_numpy() & in_box
    inside = df[keep]
    return inside if len(inside) else df
