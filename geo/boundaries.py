"""Admin-1 boundaries: the embedded Natural Earth file, or the user's own.

The embedded file ``data/admin1.geojson`` holds the admin-1 regions of
Afghanistan and its neighbours from Natural Earth 10m (public domain), with two
Natural Earth mislabels fixed; ``scripts/build_boundaries.py`` rebuilds it and
``data/README.md`` says how.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from geo.errors import BoundariesError

__all__ = ["DEFAULT_BOUNDARIES", "REGION_COLUMNS", "default_boundaries", "load_boundaries"]

DEFAULT_BOUNDARIES = __import__("geo.resources").resources.data_path("admin1.geojson")
REGION_COLUMNS = ["admin1", "iso_3166_2", "country", "source", "geometry"]


def load_boundaries(
    path: str | Path | None = None,
    *,
    name_column: str = "admin1",
    code_column: str = "iso_3166_2",
    country_column: str | None = "country",
) -> gpd.GeoDataFrame:
    """Read admin-1 polygons from any file GDAL reads.

    Parameters
    ----------
    path : path, optional
        GeoJSON, GeoPackage, Shapefile, ...; the embedded Natural Earth file by default.
    name_column, code_column : str
        Columns holding the region's name and its code (ISO 3166-2 or your own).
    country_column : str or None
        Column with the ISO 3166-1 alpha-2 country code; if missing, taken from the
        code's prefix (``AF-BDG`` → ``AF``).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``admin1``, ``iso_3166_2``, ``country``, ``source``, ``geometry``, EPSG:4326.

    Raises
    ------
    BoundariesError
        Naming the file and what is wrong: unreadable, no polygons, missing columns.

    Examples
    --------
    >>> regions = load_boundaries()
    >>> int((regions["country"] == "AF").sum())
    34
    """
    src = Path(path) if path is not None else DEFAULT_BOUNDARIES
    if not src.exists():
        raise BoundariesError(f"{src}: no such boundaries file")
    try:
        gdf = gpd.read_file(src)
    except Exception as err:  # pyogrio raises several types for unreadable data
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BoundariesError(f"{src}: cannot read boundaries ({first})") from err
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf or gdf.geometry.isna().all():
        raise BoundariesError(f"{src}: the file holds no geometries")
    missing = [c for c in (name_column, code_column) if c not in gdf.columns]
    if missing:
        columns = ", ".join(repr(c) for c in gdf.columns if c != "geometry")
        raise BoundariesError(
            f"{src}: no column {missing[0]!r}; the file has {columns} "
            "(name them with name_column= / code_column=, or --name-column / --code-column)"
        )
    polygonal = gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if not polygonal.any():
        raise BoundariesError(f"{src}: the file holds no polygons")
    gdf = gdf[polygonal]
    if gdf.crs is None:
        warnings.warn(f"{src}: no CRS given, assuming EPSG:4326", UserWarning, stacklevel=2)
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        warnings.warn(
            f"{src}: {int(invalid.sum())} invalid polygons repaired", UserWarning, stacklevel=2
        )
        gdf = gdf.set_geometry(gdf.geometry.make_valid())
    codes = gdf[code_column].astype(str)
    if country_column and country_column in gdf.columns:
        country = gdf[country_column].astype(str).str.upper()
    else:
        country = codes.str.split("-").str[0].str.upper()
    source = gdf["source"] if "source" in gdf.columns else f"file:{src.name}:" + codes
    out = gpd.GeoDataFrame(
        {
            "admin1": gdf[name_column].astype(str).to_numpy(),
            "iso_3166_2": codes.to_numpy(),
            "country": country.to_numpy(),
            "source": list(source),
        },
        geometry=gdf.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    return out.reset_index(drop=True)


@lru_cache(maxsize=1)
def _default() -> gpd.GeoDataFrame:
    return load_boundaries()


def default_boundaries() -> gpd.GeoDataFrame:
    """The embedded admin-1 boundaries (read once per process; a copy is returned)."""
    return _default().copy()
