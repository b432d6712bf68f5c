"""Admin-1 and admin-2 boundaries: the embedded files, or the user's own.

The embedded admin-1 regions cover the world: Natural Earth 10m admin-1 (public
domain), codes checked against ISO 3166-2 (``data/admin1.parquet``, simplified with
shared borders kept; ``data/admin1_drawing.parquet``, simpler still, for maps).
Admin-2 files are found by country: ``data/admin2_<CC>.parquet`` (today Afghanistan's
districts from geoBoundaries); another country's districts plug in by adding its file
with the columns of :data:`ADMIN2_COLUMNS`. ``scripts/build_boundaries.py`` rebuilds
them all and ``data/README.md`` says how.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.errors import BoundariesError
from geo.resources import data_dir

__all__ = [
    "ADMIN2_COLUMNS",
    "DATA_DIR",
    "DEFAULT_BOUNDARIES",
    "DRAWING_BOUNDARIES",
    "REGION_COLUMNS",
    "admin2_countries",
    "default_boundaries",
    "default_districts",
    "load_boundaries",
    "load_districts",
    "wgs84",
]

DATA_DIR = data_dir()
DEFAULT_BOUNDARIES = DATA_DIR / "admin1.parquet"
DRAWING_BOUNDARIES = DATA_DIR / "admin1_drawing.parquet"
REGION_COLUMNS = ["admin1", "iso_3166_2", "country", "source", "geometry"]
ADMIN2_COLUMNS = ["admin2", "admin2_code", "admin1", "iso_3166_2", "country", "source", "geometry"]


def _read(src: Path, countries: Iterable[str] | None, bbox: tuple | None) -> gpd.GeoDataFrame:
    """Read any GDAL file or GeoParquet, keeping only ``countries`` / ``bbox`` if given."""
    wanted = sorted({c.upper() for c in countries}) if countries is not None else None
    if src.suffix.lower() == ".parquet":
        filters = [("country", "in", wanted)] if wanted is not None else None
        return gpd.read_parquet(src, filters=filters, bbox=bbox)
    gdf = gpd.read_file(src, bbox=bbox)
    return gdf


def load_boundaries(
    path: str | Path | None = None,
    *,
    name_column: str = "admin1",
    code_column: str = "iso_3166_2",
    country_column: str | None = "country",
    countries: Iterable[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    level: int = 1,
) -> gpd.GeoDataFrame:
    """Read admin-1 polygons from any file GDAL reads (or GeoParquet).

    Parameters
    ----------
    path : path, optional
        GeoJSON, GeoPackage, Shapefile, GeoParquet, ...; the embedded worldwide
        Natural Earth file by default.
    name_column, code_column : str
        Columns holding the region's name and its code (ISO 3166-2 or your own).
    country_column : str or None
        Column with the ISO 3166-1 alpha-2 country code; if missing, taken from the
        code's prefix (``AF-BDG`` → ``AF``).
    countries : iterable of str, optional
        Keep only these countries (alpha-2); read with a filter, so a few countries
        load fast from the worldwide file.
    bbox : (minx, miny, maxx, maxy), optional
        Keep only regions that intersect this box (EPSG:4326).
    level : {1, 2}
        ``2`` reads admin-2 districts instead (:func:`load_districts`).

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
    >>> regions = load_boundaries(countries=["AF"])
    >>> int((regions["country"] == "AF").sum())
    34
    """
    if level == 2:
        return load_districts(countries)
    if level != 1:
        raise BoundariesError(f"level {level}: boundaries come at level 1 or 2")
    src = Path(path) if path is not None else DEFAULT_BOUNDARIES
    if not src.exists():
        raise BoundariesError(f"{src}: no such boundaries file")
    try:
        gdf = _read(src, countries if path is None else None, bbox)
    except Exception as err:  # pyogrio and pyarrow raise several types for unreadable data
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BoundariesError(f"{src}: cannot read boundaries ({first})") from err
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf or gdf.geometry.isna().all():
        if path is None and len(gdf) == 0:
            return gpd.GeoDataFrame(
                {c: [] for c in REGION_COLUMNS[:-1]}, geometry=[], crs="EPSG:4326"
            )
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
    # The embedded files are made valid when built (tests check it): only a user's file is.
    invalid = ~gdf.geometry.is_valid if path is not None else gdf.geometry.isna()
    if invalid.any():
        warnings.warn(
            f"{src}: {int(invalid.sum())} invalid polygons repaired", UserWarning, stacklevel=2
        )
        gdf = gdf.set_geometry(gdf.geometry.make_valid())
    raw_codes = gdf[code_column]
    if raw_codes.isna().all() or not (
        pd.api.types.is_string_dtype(raw_codes) or raw_codes.dtype == object
    ):
        what = "is empty" if raw_codes.isna().all() else f"holds {raw_codes.dtype} values"
        raise BoundariesError(
            f"{src}: the code column {code_column!r} {what}, not ISO 3166-2 codes such as "
            "'AF-BDG' (choose another with --code-column)"
        )
    if raw_codes.isna().any():
        warnings.warn(
            f"{src}: {int(raw_codes.isna().sum())} region(s) without a code left out",
            UserWarning,
            stacklevel=2,
        )
        gdf = gdf[raw_codes.notna()]
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
    if countries is not None and path is not None:
        out = out[out["country"].isin({c.upper() for c in countries})]
    return out.reset_index(drop=True)


def admin2_countries() -> dict[str, Path]:
    """The registry of admin-2 files: country (alpha-2) → ``data/admin2_<CC>.parquet``."""
    return {p.stem.split("_", 1)[1].upper(): p for p in sorted(DATA_DIR.glob("admin2_*.parquet"))}


def load_districts(countries: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Admin-2 districts of the countries that have a file (all of them by default).

    Parameters
    ----------
    countries : iterable of str, optional
        ISO 3166-1 alpha-2 codes; countries without an admin-2 file give no rows.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`ADMIN2_COLUMNS`: the district's name and code, its province's name and
        ISO 3166-2 code (largest overlap), country, source; EPSG:4326.

    Examples
    --------
    >>> districts = load_districts(["AF"])
    >>> len(districts), bool(districts["iso_3166_2"].str.startswith("AF-").all())
    (398, True)
    """
    registry = admin2_countries()
    wanted = registry if countries is None else {c.upper() for c in countries}
    frames = []
    for cc in sorted(wanted):
        if cc not in registry:
            continue
        path = registry[cc]
        frames.append(_read_districts(path, path.stat().st_mtime_ns))
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in ADMIN2_COLUMNS[:-1]}, geometry=[], crs="EPSG:4326")
    out = gpd.pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


@lru_cache(maxsize=1)
def wgs84() -> CRS:
    """EPSG:4326, the CRS of every table geomap makes (parsed once: ~10 ms a time)."""
    return CRS.from_epsg(4326)


@lru_cache(maxsize=16)
def _read_districts(path: Path, mtime_ns: int) -> gpd.GeoDataFrame:
    """One country's admin-2 file, read once per process (and again if it changes)."""
    gdf = gpd.read_parquet(path)
    missing = [c for c in ADMIN2_COLUMNS if c not in gdf.columns]
    if missing:
        raise BoundariesError(f"{path}: no column {missing[0]!r} (see ADMIN2_COLUMNS)")
    return gdf[ADMIN2_COLUMNS]


@lru_cache(maxsize=1)
def _default() -> gpd.GeoDataFrame:
    return load_boundaries()


@lru_cache(maxsize=1)
def _districts() -> gpd.GeoDataFrame:
    return load_districts()


def default_boundaries(countries: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """The embedded admin-1 regions of the world (read once per process; a copy is returned).

    Parameters
    ----------
    countries : iterable of str, optional
        Keep only these countries (alpha-2).
    """
    regions = _default()
    if countries is not None:
        regions = regions[regions["country"].isin({c.upper() for c in countries})]
    return regions.copy()


def default_districts() -> gpd.GeoDataFrame:
    """Every embedded admin-2 district (read once per process; a copy is returned)."""
    return _districts().copy()
