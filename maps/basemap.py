"""Shapes for display: the offline basemap and simplified region outlines.

Outlines are simplified for the screen with a coverage-aware algorithm
(:meth:`geopandas.GeoSeries.simplify_coverage`), which keeps neighbouring
provinces meeting along one shared edge, and written as compact GeoJSON with
coordinates rounded to 4 decimals (about 11 m), far below what a screen
shows at the zoom levels a province map is read at.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box, mapping

__all__ = [
    "DEFAULT_COUNTRIES",
    "compact_features",
    "display_outlines",
    "load_countries",
]

#: Where the lead's build puts the Natural Earth country outlines.
DEFAULT_COUNTRIES = __import__("geo.resources").resources.data_path("countries.geojson")


def load_countries(path: str | Path | None = None) -> gpd.GeoDataFrame | None:
    """Read country outlines for the offline basemap.

    Parameters
    ----------
    path : str or Path, optional
        Any vector file GDAL reads, with a ``name`` column (optional) and
        polygons in EPSG:4326. Default: ``data/countries.geojson`` in the
        repository (Natural Earth, via npm ``world-atlas@2.0.2``).

    Returns
    -------
    GeoDataFrame or None
        ``None``, with a warning, when the default file is not there: the
        offline map then draws province outlines only.
    """
    target = Path(path) if path is not None else DEFAULT_COUNTRIES
    if not target.exists():
        if path is not None:
            raise FileNotFoundError(f"country outlines file {str(target)!r} does not exist")
        warnings.warn(
            f"no country outlines at {str(target)!r}: the offline basemap shows "
            "province outlines only",
            stacklevel=2,
        )
        return None
    gdf = gpd.read_file(target)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf.to_crs(4326)


def display_outlines(geoms: gpd.GeoSeries, tolerance: float = 0.01) -> gpd.GeoSeries:
    """Simplify polygons for display, keeping shared edges shared.

    Parameters
    ----------
    geoms : GeoSeries
        Polygons in EPSG:4326 forming a coverage (neighbours meet, no overlaps).
    tolerance : float, default 0.01
        Simplification distance in degrees (0.01° ≈ 1 km).

    Returns
    -------
    GeoSeries
        Same index; invalid input is repaired first, empty results keep the
        original shape.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> s = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    >>> out = display_outlines(s, 0.1)
    >>> bool(out.iloc[0].touches(out.iloc[1]))
    True
    """
    geoms = geoms.copy()
    invalid = ~geoms.is_valid
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid].values)
    polys = geoms.geom_type.isin(["Polygon", "MultiPolygon"])
    simplified = geoms.copy()
    if polys.any():
        part = geoms[polys]
        try:
            out = part.simplify_coverage(tolerance)
        except (AttributeError, shapely.errors.GEOSException):
            # geopandas < 1.1 or an input that is not a valid coverage
            out = part.simplify(tolerance, preserve_topology=True)
        keep = ~out.is_empty
        simplified[out.index[keep]] = out[keep]
    return simplified


def _round(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (float, int)):
        return round(float(coords), ndigits)
    return [_round(c, ndigits) for c in coords]


def compact_features(
    geoms: gpd.GeoSeries, properties: list[dict[str, Any]], ndigits: int = 4
) -> dict[str, Any]:
    """Build a GeoJSON FeatureCollection with rounded coordinates.

    Parameters
    ----------
    geoms : GeoSeries
        Geometries in EPSG:4326.
    properties : list of dict
        One dict per geometry, JSON-serialisable.
    ndigits : int, default 4
        Decimal places kept.

    Returns
    -------
    dict
        A FeatureCollection; missing or empty geometries are skipped.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> fc = compact_features(gpd.GeoSeries([Point(61.123456, 34.9)]), [{"i": 0}])
    >>> fc["features"][0]["geometry"]["coordinates"]
    [61.1235, 34.9]
    """
    features = []
    for geom, props in zip(geoms.values, properties, strict=True):
        if geom is None or geom.is_empty:
            continue
        gj = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"], ndigits)},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def clip_to(gdf: gpd.GeoDataFrame, bounds: tuple[float, float, float, float], margin: float):
    """Clip ``gdf`` to ``bounds`` (minx, miny, maxx, maxy) grown by ``margin`` degrees."""
    minx, miny, maxx, maxy = bounds
    area = box(
        max(minx - margin, -180.0),
        max(miny - margin, -85.0),
        min(maxx + margin, 180.0),
        min(maxy + margin, 85.0),
    )
    geoms = gdf.geometry
    invalid = ~geoms.is_valid
    if invalid.any():
        gdf = gdf.copy()
        gdf.loc[invalid, gdf.geometry.name] = shapely.make_valid(geoms[invalid].values)
    hit = gdf[gdf.intersects(area)]
    clipped = hit.clip(area)
    return clipped[~clipped.is_empty & np.asarray(clipped.geom_type != "GeometryCollection")]
