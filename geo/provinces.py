"""Joining places to admin-1 regions and admin-2 districts by vectorised point-in-polygon
joins, and district-level regions for control."""

from __future__ import annotations

import warnings
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import wgs84

__all__ = [
    "AREA_KINDS",
    "assign_admin1",
    "assign_admin2",
    "district_control",
    "district_level",
    "with_provinces",
]


#: Kinds of place that are areas, not points: a place of these kinds is its own region
#: (or spans several, or a country), never joined to one by its point. A river or a lake
#: spans regions too: its point (a river's mouth) is not where the report places it.
AREA_KINDS = ("province", "region", "country", "river", "lake")


class _RegionColumns(NamedTuple):
    table: gpd.GeoDataFrame  # kept, so the id it is filed under is not reused
    rows: int
    iso: np.ndarray
    admin1: np.ndarray
    country: np.ndarray | None
    names: dict[str, str]
    codes: frozenset[str]


_REGION_COLUMNS: dict[int, _RegionColumns] = {}
_DISTRICTS: dict[tuple, gpd.GeoDataFrame] = {}


def _region_columns(regions: gpd.GeoDataFrame) -> _RegionColumns:
    """The columns of a regions table the join reads, as NumPy arrays, made once per
    table: a call per chunk of reports would otherwise convert 4,600 names each time.
    A table changed in place after its first join is not seen (pass a new table)."""
    known = _REGION_COLUMNS.get(id(regions))
    if known is not None and known.table is regions and known.rows == len(regions):
        return known
    iso = regions["iso_3166_2"].to_numpy(dtype=object)
    admin1 = regions["admin1"].to_numpy(dtype=object)
    country = regions["country"].to_numpy(dtype=object) if "country" in regions else None
    if len(_REGION_COLUMNS) >= 8:
        _REGION_COLUMNS.clear()
    known = _REGION_COLUMNS[id(regions)] = _RegionColumns(
        regions,
        len(regions),
        iso,
        admin1,
        country,
        dict(zip(iso.tolist(), admin1.tolist(), strict=True)),
        frozenset(iso.tolist()),
    )
    return known


def _within(points: np.ndarray, regions: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (point, region) of points lying within regions, by point then region.

    The regions' spatial index is built once per regions table (geopandas keeps it on
    the table), and each point asks it: a join of a few points to 4,600 regions costs
    what its points cost, not a pass over every polygon (``geopandas.sjoin`` with
    ``within`` indexes the points and queries every region).
    """
    if len(points) == 0 or regions.empty:
        return np.array([], dtype=np.intp), np.array([], dtype=np.intp)
    if regions.crs is not None and regions.crs != wgs84():
        warnings.warn(
            f"regions are in {regions.crs.to_string()!r}, places in EPSG:4326: "
            "reproject the regions (to_crs(4326)) for a right join",
            UserWarning,
            stacklevel=3,
        )
    p_idx, r_idx = regions.sindex.query(points, predicate="within")
    order = np.lexsort((r_idx, p_idx))
    return p_idx[order], r_idx[order]


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
        A copy of ``places`` with ``admin1``, ``iso_3166_2`` and ``in_boundaries`` set, and
        ``admin2``/``admin2_code`` from :func:`assign_admin2`.
    """
    out = places.copy()
    if out.empty:
        out["admin1"] = pd.Series(dtype=object)
        out["in_boundaries"] = pd.Series(dtype=bool)
        return assign_admin2(out)
    columns = _region_columns(regions)
    names = dict(fallback_names or {})
    names.update(columns.names)
    point_rows = (~out["kind"].isin(list(AREA_KINDS)) & out.geometry.notna()).to_numpy()
    region_iso = columns.iso
    valid = pd.notna(region_iso)
    points = out.geometry.to_numpy()[point_rows]
    p_idx, r_idx = _within(points, regions)
    keep = valid[r_idx]
    if columns.country is not None and "country" in out:
        # Borders are simplified: a place near one may fall in the neighbour's polygon.
        # Only a region of the place's own country is its region (else the gazetteer's).
        own = out["country"].to_numpy(dtype=object)[point_rows][p_idx]
        theirs = columns.country[r_idx]
        keep &= ~(pd.notna(own) & pd.notna(theirs) & (own != theirs))
    # A point on a shared border falls in two regions: the first of its own country.
    p_idx, r_idx = p_idx[keep], r_idx[keep]
    p_idx, first = np.unique(p_idx, return_index=True)
    r_idx = r_idx[first]
    inside = np.flatnonzero(point_rows)[p_idx]  # positions in ``out``
    codes = out["iso_3166_2"].astype(object).where(out["iso_3166_2"] != "", None)
    codes.loc[out["kind"] == "country"] = None
    admin1 = pd.Series([names.get(c) if c else None for c in codes], index=out.index, dtype=object)
    # Names from the polygon itself: two regions may share a code (Natural Earth gives
    # Manila's cities one), and the polygon's own name is the right one.
    codes.iloc[inside] = region_iso[r_idx]
    admin1.iloc[inside] = columns.admin1[r_idx]
    out["iso_3166_2"] = codes
    out["admin1"] = admin1
    in_boundaries = np.zeros(len(out), dtype=bool)
    in_boundaries[inside] = True
    province_in = out["kind"].eq("province") & out["iso_3166_2"].isin(columns.codes)
    out["in_boundaries"] = in_boundaries | province_in.to_numpy()
    return assign_admin2(out)


def assign_admin2(
    places: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Set ``admin2`` (district name) and ``admin2_code`` of every place from the district
    it lies in.

    Only countries with an admin-2 file (:func:`geo.boundaries.admin2_countries`) get
    districts; elsewhere, and for countries, provinces and places outside every district,
    both are missing. A place of kind ``district`` is the district itself.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Points in EPSG:4326 with columns ``kind`` and ``country``.
    districts : geopandas.GeoDataFrame, optional
        From :func:`geo.boundaries.load_districts`; by default those of the places' countries.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``places`` with ``admin2`` and ``admin2_code``.
    """
    from geo.boundaries import admin2_countries, load_districts

    out = places.copy()
    out["admin2"] = pd.Series(None, index=out.index, dtype=object)
    out["admin2_code"] = pd.Series(None, index=out.index, dtype=object)
    if out.empty:
        return out
    if districts is None:
        registry = admin2_countries()
        wanted = set(out["country"].dropna()) & set(registry)
        if not wanted:
            return out
        key = tuple(sorted((cc, registry[cc].stat().st_mtime_ns) for cc in wanted))
        districts = _DISTRICTS.get(key)
        if districts is None:
            if len(_DISTRICTS) >= 8:
                _DISTRICTS.clear()
            # Read only here: one table (and one spatial index) per set of countries.
            districts = _DISTRICTS[key] = load_districts(wanted)
    point_rows = (~out["kind"].isin(list(AREA_KINDS)) & out.geometry.notna()).to_numpy()
    if not point_rows.any() or districts.empty:
        return out
    p_idx, r_idx = _within(out.geometry.to_numpy()[point_rows], districts)
    if "country" in districts:
        # Only a district of the place's own country (as for regions, in assign_admin1):
        # so a place's district does not depend on which other countries' districts
        # happen to be read with it.
        own = out["country"].to_numpy(dtype=object)[point_rows][p_idx]
        theirs = districts["country"].to_numpy(dtype=object)[r_idx]
        keep = ~(pd.notna(own) & pd.notna(theirs) & (own != theirs))
        p_idx, r_idx = p_idx[keep], r_idx[keep]
    p_idx, first = np.unique(p_idx, return_index=True)  # the first district of each point
    inside = np.flatnonzero(point_rows)[p_idx]
    for column in ("admin2", "admin2_code"):
        values = np.full(len(out), None, dtype=object)
        values[inside] = districts[column].to_numpy(dtype=object)[r_idx[first]]
        out[column] = values
    return out


def district_level(
    events: pd.DataFrame, districts: gpd.GeoDataFrame
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Events and regions keyed by district, for the control functions of :mod:`geo.control`.

    Each event is placed in the district its point lies in; its ``iso_3166_2`` becomes the
    district's code. Events placed at a whole province or country are dropped (they say
    nothing of one district). The district is taken whole when the place taken is the
    district itself, the capital of its province (a district centre) or a place that
    bears the district's name (its centre).

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events` (with point geometries).
    districts : geopandas.GeoDataFrame
        From :func:`geo.boundaries.load_districts`.

    Returns
    -------
    (DataFrame, GeoDataFrame)
        The events, and the districts as regions (``iso_3166_2`` = district code,
        ``admin1`` = district name, with ``province`` and ``province_iso`` beside them).
        :func:`with_provinces` turns a control table back into district terms.
    """
    from geo.text import name_key

    regions = gpd.GeoDataFrame(
        {
            "iso_3166_2": districts["admin2_code"].to_numpy(),
            "admin1": districts["admin2"].to_numpy(),
            "country": districts["country"].to_numpy(),
            "province": districts["admin1"].to_numpy(),
            "province_iso": districts["iso_3166_2"].to_numpy(),
        },
        geometry=districts.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    ev = events.copy()
    if ev.empty or "geometry" not in ev:
        return ev, regions
    if "place_kind" in ev:
        ev = ev[~ev["place_kind"].isin(list(AREA_KINDS))]
    points = gpd.GeoDataFrame(ev[["geometry"]], geometry="geometry", crs="EPSG:4326")
    joined = gpd.sjoin(points, regions[["iso_3166_2", "admin1", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    ev = ev.assign(iso_3166_2=joined["iso_3166_2"].reindex(ev.index).to_numpy())
    ev = ev[ev["iso_3166_2"].notna()]
    names = joined["admin1"].reindex(ev.index).map(lambda n: name_key(str(n)))
    place = ev["location"] if "location" in ev else pd.Series("", index=ev.index)
    same_name = place.astype(str).map(name_key) == names
    kind = ev["place_kind"] if "place_kind" in ev else pd.Series("", index=ev.index)
    ev["capital"] = ev["capital"].fillna(False).astype(bool) | same_name | kind.eq("district")
    return ev, regions


def with_provinces(control: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A control table of :func:`district_level` regions in district terms: ``admin2``,
    ``admin2_code``, and the province's ``admin1`` and ``iso_3166_2``."""
    by_code = regions.drop_duplicates("iso_3166_2").set_index("iso_3166_2")
    out = control.copy()
    out.insert(0, "admin2_code", out["iso_3166_2"])
    out.insert(1, "admin2", out["admin1"])
    out["admin1"] = out["admin2_code"].map(by_code["province"])
    out["iso_3166_2"] = out["admin2_code"].map(by_code["province_iso"])
    return out


def district_control(
    events: pd.DataFrame,
    as_of: str | pd.Timestamp | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Control of admin-2 districts on the day ``as_of``, in district terms.

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events` (with point geometries).
    as_of : date or str, optional
        The day asked about; by default the last dated event's day.
    districts : geopandas.GeoDataFrame, optional
        From :func:`geo.boundaries.load_districts`; by default those of the events'
        countries (where a district file exists).

    Returns
    -------
    geopandas.GeoDataFrame
        :func:`geo.control_as_of` of :func:`district_level`, through :func:`with_provinces`
        (``admin2_code``, ``admin2``, the province's ``iso_3166_2`` and ``admin1``, ...);
        empty where no district file covers the events' countries.
    """
    from geo.boundaries import load_districts
    from geo.control import control_as_of

    if districts is None:
        countries = set(events["country"].dropna()) if "country" in events else set()
        districts = load_districts(countries)
    district_events, regions = district_level(events, districts)
    if as_of is None:
        dates = pd.to_datetime(events["event_date"], errors="coerce").dropna()
        if dates.empty:
            raise ValueError("no dated event: give as_of, the day to report control on")
        as_of = dates.max()
    return with_provinces(control_as_of(district_events, regions, as_of), regions)
