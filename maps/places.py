"""The places layer (one marker per place) and the province shading by mentions."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from maps.basemap import compact_features, display_outlines
from maps.columns import column, lat_lon, text

__all__ = ["REGION_TOLERANCE", "prepare_places", "prepare_regions"]

REGION_TOLERANCE = 0.01  # degrees, display simplification of provinces


def _marker_codes(df: pd.DataFrame) -> np.ndarray:
    """Each row's marker: a number per distinct name and position (to 5 decimals), in
    order of first sight; -1 for a row without a name.

    The groups of the text key ``name|lat|lon`` (``round(5)``, ``str``), found from
    the numbers: a float's text is unique to its bits, so equal bits are equal text.
    """
    names = pd.factorize(column(df, "name").astype(str))[0]
    combined = np.where(names < 0, 0, names).astype(np.int64)
    for c in ("_lat", "_lon"):
        bits = df[c].round(5).to_numpy(dtype=np.float64).view(np.int64)
        codes = pd.factorize(bits)[0]
        combined = combined * (int(codes.max(initial=0)) + 1) + codes
        combined = pd.factorize(combined)[0]  # renumbered: stays below the row count
    out = np.full(len(df), -1, dtype=np.int64)
    named = names >= 0
    out[named] = pd.factorize(combined[named])[0]
    return out


def prepare_places(places: pd.DataFrame) -> tuple[dict[str, Any], pd.Series, int]:
    """Group mention rows into one marker per place; count mentions per region.

    Returns
    -------
    dict, Series, int
        The page's ``places`` entry (``markers``, ``dropped``), mentions per
        ``iso_3166_2``, and the number of markers.
    """
    coords = lat_lon(places, "places")
    ok = ~np.isnan(coords).any(axis=1)
    df = places.assign(_lat=coords[:, 0], _lon=coords[:, 1])[ok]
    dropped = int((~ok).sum())
    counts = column(places, "iso_3166_2").dropna().astype(str).value_counts()
    # The groups in order of first sight, rows in order; only the rows a marker shows
    # are taken out of the table (a long report has a row per mention, with its sentence).
    codes = _marker_codes(df)
    markers: list[dict[str, Any]] = []
    rows = np.argsort(codes, kind="stable")
    rows = rows[codes[rows] >= 0]
    bounds = np.flatnonzero(np.diff(codes[rows])) + 1
    confidence = pd.to_numeric(column(df, "confidence"), errors="coerce")
    for positions in np.split(rows, bounds) if len(rows) else []:
        head = df.iloc[positions[:50]]
        first = head.iloc[0]
        conf = confidence.iloc[positions]
        mentions = [
            {
                "mention": text(row.get("mention")),
                "sentence": text(row.get("sentence")),
                "report": text(row.get("report")),
                "date": text(row.get("report_date")),
            }
            for _, row in head.iterrows()
        ]
        markers.append(
            {
                "lat": round(float(first["_lat"]), 5),
                "lon": round(float(first["_lon"]), 5),
                "name": text(first.get("name")) or text(first.get("mention")),
                "kind": text(first.get("kind")),
                "admin1": text(first.get("admin1")),
                "iso": text(first.get("iso_3166_2")),
                "country": text(first.get("country")),
                "source": text(first.get("source")),
                "confidence": None if conf.isna().all() else round(float(conf.max()), 2),
                "n": len(positions),
                "mentions": mentions,
            }
        )
    return {"markers": markers, "dropped": dropped}, counts, len(markers)


def prepare_regions(regions: gpd.GeoDataFrame, counts: pd.Series | None) -> dict[str, Any]:
    """Simplified admin-1 outlines with their name, code, country and mention count."""
    shapes = display_outlines(regions.geometry, REGION_TOLERANCE)
    props = []
    for _, row in regions.iterrows():
        iso = text(row.get("iso_3166_2"))
        props.append(
            {
                "iso": iso,
                "name": text(row.get("admin1")),
                "country": text(row.get("country")),
                "n": int(counts.get(iso, 0)) if counts is not None and iso else 0,
            }
        )
    return compact_features(shapes, props)
