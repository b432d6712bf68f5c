"""Joining places to admin-1 regions by a vectorised point-in-polygon join."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

__all__ = ["assign_admin1"]


def assign_admin1(
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    *,
    fallback_names: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Set ``admin1`` and ``iso_3166_2`` of every place from the region it lies in.

    A place of kind ``province`` is the region itself and keeps its own code; a
    ``country`` gets no region. A place outside every polygon keeps its country,
    and the region its gazetteer record gives (``iso_3166_2`` already on the row,
    named through ``fallback_names``), if any.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Points in EPSG:4326 with columns ``kind`` and ``iso_3166_2`` (may be empty).
    regions : geopandas.GeoDataFrame
        From :func:`geo.boundaries.load_boundaries`.
    fallback_names : dict, optional
        ISO 3166-2 code → region name, for places outside ``regions``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``places`` with ``admin1``, ``iso_3166_2`` and ``in_boundaries`` set.
    """
    out = places.copy()
    if out.empty:
        out["admin1"] = pd.Series(dtype=object)
        out["in_boundaries"] = pd.Series(dtype=bool)
        return out
    names = dict(fallback_names or {})
    names.update(zip(regions["iso_3166_2"], regions["admin1"], strict=True))
    point_rows = ~out["kind"].isin(["province", "country"]) & out.geometry.notna()
    joined = gpd.sjoin(
        out.loc[point_rows, ["geometry"]],
        regions[["admin1", "iso_3166_2", "geometry"]],
        how="left",
        predicate="within",
    )
    # A point on a shared border falls in two regions: keep the first.
    joined = joined[~joined.index.duplicated(keep="first")]
    inside = joined["iso_3166_2"].notna()
    codes = out["iso_3166_2"].astype(object).where(out["iso_3166_2"] != "", None)
    codes.loc[out["kind"] == "country"] = None
    admin1 = pd.Series([names.get(c) if c else None for c in codes], index=out.index, dtype=object)
    # Names from the polygon itself: two regions may share a code (Natural Earth gives
    # Alborz Tehran's IR-07), and the polygon's own name is the right one.
    codes.loc[joined.index[inside]] = joined.loc[inside, "iso_3166_2"]
    admin1.loc[joined.index[inside]] = joined.loc[inside, "admin1"]
    out["iso_3166_2"] = codes
    out["admin1"] = admin1
    in_boundaries = np.zeros(len(out), dtype=bool)
    in_boundaries[out.index.get_indexer(joined.index[inside])] = True
    province_in = out["kind"].eq("province") & out["iso_3166_2"].isin(set(regions["iso_3166_2"]))
    out["in_boundaries"] = in_boundaries | province_in.to_numpy()
    return out
