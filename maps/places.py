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
    key = (
        column(df, "name").astype(str)
        + "|"
        + df["_lat"].round(5).astype(str)
        + "|"
        + df["_lon"].round(5).astype(str)
    )
    markers: list[dict[str, Any]] = []
    for _, group in df.groupby(key, sort=False):
        first = group.iloc[0]
        conf = pd.to_numeric(column(group, "confidence"), errors="coerce")
        mentions = [
            {
                "mention": text(row.get("mention")),
                "sentence": text(row.get("sentence")),
                "report": text(row.get("report")),
                "date": text(row.get("report_date")),
            }
            for _, row in group.head(50).iterrows()
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
                "n": len(group),
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
