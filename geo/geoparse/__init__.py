"""Geoparsing: finding the places a report names, and deciding which place each is.

Three steps, all general rules over the gazetteer, one module each:

1. **Spotting.** Runs of capitalised words (joined by spaces, hyphens or ezafe
   particles) are looked up, longest first, by their exact key and then by their
   transliteration key (:mod:`geo.text`). Short all-capital words match only
   acronyms (``US``), so ``NATO`` is not the town of Nato (a capitalised dateline,
   ``KYIV,``, is a place). Day and month names are skipped (:mod:`.spot`).
2. **Context.** Words after a personal title or a given name (``Governor Karim
   Sadat``), two one-word names side by side (``Georgia Hamilton``), names inside an
   organisation's, a team's or a unit's name (``Kabul Bank``, ``X Police
   Department``) and demonyms (``Somali troops``) are not places; a name seen as a
   person's is shadowed in the rest of the text (:mod:`.context`).
3. **Resolving.** Each candidate record is scored by its prior (a country, a
   region, a populous or capital city), the cue words around the mention
   ("X province", "city of X", "X Air Base", "capital of X"), the report's focus
   countries (those it names, those of its places whose country is clear: no
   reading in another country comes near; a country name two countries share, such
   as "Congo", speaks for neither; and, more weakly, those of the armed groups it
   names, :mod:`.groups`) and the other places near it (same region; of towns of
   one name, the one within 60 km of a town the report names without doubt). A
   single common English word ("Mobile", "Split"), a small place abroad, or an
   English word that is a place's alternate name ("Taliban", "Hamas"), needs strong
   evidence to count; a reading abroad that nothing supports gives way to one in the
   report's own countries; in a report that names nothing else, a town or a seat of
   government named by its name or a close spelling is taken at its word
   (:mod:`.resolve`, scores from :mod:`geo.scoring`).

The result has a confidence and the gazetteer record (``source``) of every place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo.boundaries import default_boundaries, wgs84
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.gcpause import gc_paused
from geo.geoparse.rows import mention_rows
from geo.provinces import assign_admin1
from geo.reports import Report, report_from_text

__all__ = ["PLACE_COLUMNS", "find_places", "parse_report"]

PLACE_COLUMNS = [
    "report",
    "mention",
    "start",
    "end",
    "name",
    "kind",
    "country",
    "admin1",
    "iso_3166_2",
    "admin2",
    "admin2_code",
    "lat",
    "lon",
    "source",
    "confidence",
    "match",
    "sentence",
    "sentence_start",
    "sentence_end",
    "population",
    "seat",
    "report_date",
    "geometry",
]


# Columns that come from the join to regions, not from the report and the gazetteer.
_JOINED = ("admin1", "admin2", "admin2_code", "geometry")
# Columns taken from the gazetteer record, and the type each has in the table.
_RECORD = {
    "name": object,
    "kind": object,
    "country": object,
    "iso_3166_2": object,
    "lat": np.float64,
    "lon": np.float64,
    "source": object,
    "population": np.int64,
    "seat": bool,
}


def parse_report(report: Report, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """The resolved place mentions of one report, before the join to regions.

    Returns a DataFrame with the columns of :data:`PLACE_COLUMNS` but ``admin1``, ``admin2``,
    ``admin2_code`` and
    ``geometry``; see :func:`find_places`.
    """
    table, _ = _table([report], gazetteer or default_gazetteer())
    return table


def _table(reports: Iterable[Report], gaz: Gazetteer) -> tuple[pd.DataFrame, np.ndarray]:
    """The place mentions of reports as a table (columns of :data:`PLACE_COLUMNS` but
    those of the join), and the gazetteer record of each row."""
    data, rids = _columns(reports, gaz)
    order = [c for c in PLACE_COLUMNS if c not in _JOINED]
    if not len(rids):
        return pd.DataFrame(columns=order), rids
    return pd.DataFrame({c: data[c] for c in order}), rids


def _columns(reports: Iterable[Report], gaz: Gazetteer) -> tuple[dict[str, Any], np.ndarray]:
    """The columns of :func:`_table` (those of the gazetteer record taken for all rows at
    once), and the gazetteer record of each row."""
    rows = mention_rows(reports, gaz)
    index = np.asarray(rows.rid, dtype=np.int64)
    data: dict[str, Any] = {
        "report": _strings(rows.report_ids, np.asarray(rows.report, dtype=np.int32)),
        "mention": rows.mention,
        "start": np.asarray(rows.start, dtype=np.int64),
        "end": np.asarray(rows.end, dtype=np.int64),
    }
    records = gaz._columns
    distinct, inverse = np.unique(index, return_inverse=True)
    for column, dtype in _RECORD.items():
        if dtype is object:  # strings: each distinct record's once
            data[column] = _strings(records[column][distinct], inverse)
        else:
            data[column] = records[column][index].astype(dtype)
    data["confidence"] = np.asarray(rows.confidence, dtype=np.float64)
    match_code = {m: k for k, m in enumerate(sorted(set(rows.match)))}
    codes = np.fromiter(map(match_code.__getitem__, rows.match), np.int32, len(rows.match))
    data["match"] = _strings(list(match_code), codes)
    data["sentence"] = _strings(rows.sentence_texts, np.asarray(rows.sentence, dtype=np.int32))
    data["sentence_start"] = np.asarray(rows.sentence_start, dtype=np.int64)
    data["sentence_end"] = np.asarray(rows.sentence_end, dtype=np.int64)
    data["report_date"] = rows.report_date
    gaz.bound_caches()
    return data, index


def _strings(values: Any, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a column of pandas' string type, made in C from the distinct
    values (a column of 270,000 repeated names: 1 ms, not 45 ms string by string); a
    value that is not a string is missing, as pandas reads it."""
    dictionary = pa.array([v if isinstance(v, str) else None for v in values], pa.string())
    indices = pa.array(np.asarray(codes, dtype=np.int32), pa.int32())
    decoded = pa.DictionaryArray.from_arrays(indices, dictionary).dictionary_decode()
    return pd.array(decoded, dtype=_STR)


# pandas' default type of a column of strings
_STR = pd.Series(["x"]).dtype


def find_places(
    reports: str | Report | Iterable[Report],
    *,
    gazetteer: Gazetteer | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find and resolve the places named in reports, joined to admin-1 regions.

    Parameters
    ----------
    reports : str, Report or iterable of Report
        From :func:`geo.reports.read_reports`; a str is the text of one report
        (:func:`geo.reports.report_from_text`).
    gazetteer : Gazetteer, optional
        The embedded one by default.
    boundaries : geopandas.GeoDataFrame, optional
        Admin-1 polygons (:func:`geo.boundaries.load_boundaries`); embedded by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per resolved mention, EPSG:4326 points, columns :data:`PLACE_COLUMNS`
        (see docs/ARCHITECTURE.md).

    Examples
    --------
    >>> from geo.reports import report_from_text
    >>> r = report_from_text("Fighting broke out in Kunduz province on Monday.")
    >>> find_places(r)[["mention", "kind", "iso_3166_2"]].values.tolist()
    [['Kunduz', 'province', 'AF-KDZ']]
    """
    if isinstance(reports, str):  # plain text: one report
        reports = report_from_text(reports)
    if isinstance(reports, Report):
        reports = [reports]
    gaz = gazetteer or default_gazetteer()
    regions = boundaries if boundaries is not None else default_boundaries()
    with gc_paused():  # mentions and rows without reference cycles: no heap walks
        return _places_table(reports, gaz, regions)


def _places_table(
    reports: Iterable[Report], gaz: Gazetteer, regions: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The table of :func:`find_places` (its arguments resolved to their defaults)."""
    data, rids = _columns(reports, gaz)
    if not len(rids):
        return _no_places(regions, gaz)
    records, inverse = np.unique(rids, return_inverse=True)
    joined = _record_regions(records, gaz, regions)
    for column in ("admin1", "iso_3166_2", "admin2", "admin2_code"):
        data[column] = _strings(joined[column], inverse)
    data["in_boundaries"] = joined["in_boundaries"][inverse]
    # One date type in every table (docs/ARCHITECTURE.md): datetime64 at midnight, NaT if none.
    data["report_date"] = pd.to_datetime(data["report_date"])
    data["geometry"] = joined["geometry"][inverse]
    table = pd.DataFrame({c: data[c] for c in [*PLACE_COLUMNS, "in_boundaries"]})
    return gpd.GeoDataFrame(table, geometry="geometry", crs=wgs84())


def _no_places(regions: gpd.GeoDataFrame, gaz: Gazetteer) -> gpd.GeoDataFrame:
    """The table of :func:`find_places` with no row (the same columns and types)."""
    table = pd.DataFrame(columns=[c for c in PLACE_COLUMNS if c not in _JOINED])
    table["report_date"] = pd.to_datetime(table["report_date"])
    for column in ("admin1", "admin2", "admin2_code"):
        table[column] = np.array([], dtype=object)
    table["in_boundaries"] = np.array([], dtype=bool)
    out = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries([], crs=wgs84()).values, crs=wgs84())
    return out[[*PLACE_COLUMNS, "in_boundaries"]]


# The join of each gazetteer record to the regions, kept per process: a place's region
# depends on its record alone, so a record met again (in the next chunk of reports, the
# next report posted to the service) is not joined again. Made anew for another
# gazetteer or regions table; bounded like the gazetteer's own caches.
_JOIN_LIMIT = 200_000
_JOIN: dict[str, Any] = {"key": None, "rows": {}}


def _record_regions(records: np.ndarray, gaz: Gazetteer, regions: gpd.GeoDataFrame) -> dict:
    """The region columns (``admin1``, ``iso_3166_2``, ``admin2``, ``admin2_code``,
    ``in_boundaries``) and the point of each gazetteer record in ``records``, as arrays."""
    key = _JOIN["key"]
    if key is None or key[0] is not gaz or key[1] is not regions or key[2] != len(regions):
        _JOIN["key"] = (gaz, regions, len(regions))
        _JOIN["rows"] = {}
    rows: dict[int, tuple] = _JOIN["rows"]
    wanted = records.tolist()
    new = [r for r in wanted if r not in rows]
    if new:
        if len(rows) + len(new) > _JOIN_LIMIT:
            rows.clear()
        rows.update(_join_records(np.asarray(new, dtype=np.int64), gaz, regions))
    found = [rows[r] for r in wanted]
    out: dict[str, np.ndarray] = {}
    for k, column in enumerate(_JOIN_COLUMNS):
        out[column] = np.array([row[k] for row in found], dtype=bool if k == 4 else object)
    out["geometry"] = np.empty(len(found), dtype=object)
    out["geometry"][:] = [row[5] for row in found]
    return out


_JOIN_COLUMNS = ("admin1", "iso_3166_2", "admin2", "admin2_code", "in_boundaries")


def _join_records(
    records: np.ndarray, gaz: Gazetteer, regions: gpd.GeoDataFrame
) -> dict[int, tuple]:
    """Join gazetteer records to the regions: record → (the columns of :data:`_JOIN_COLUMNS`,
    point)."""
    cols = gaz._columns
    table = pd.DataFrame(
        {
            "kind": cols["kind"][records].astype(object),
            "country": cols["country"][records].astype(object),
            "iso_3166_2": cols["iso_3166_2"][records].astype(object),
        }
    )
    lon = cols["lon"][records].astype(np.float64)
    lat = cols["lat"][records].astype(np.float64)
    gdf = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat), crs=wgs84())
    names = gaz.region_names
    record_iso = gdf["iso_3166_2"].copy()
    gdf = assign_admin1(gdf, regions, fallback_names=names)
    # A point a few kilometres across a coarse border (a border crossing, a town on a
    # river frontier) falls in the neighbour's polygon: a place's region is in its own
    # country, so its gazetteer record's region stands.
    joined_cc = gdf["iso_3166_2"].fillna("").str.split("-").str[0]
    abroad = (joined_cc != "") & (joined_cc != gdf["country"]) & (record_iso != "")
    gdf.loc[abroad, "iso_3166_2"] = record_iso[abroad]
    gdf.loc[abroad, "admin1"] = [names.get(c) for c in record_iso[abroad]]
    columns = [gdf[c].to_numpy(dtype=object).tolist() for c in _JOIN_COLUMNS[:4]]
    inside = gdf["in_boundaries"].to_numpy(dtype=bool).tolist()
    points = gdf.geometry.to_numpy().tolist()
    return {
        r: (columns[0][k], columns[1][k], columns[2][k], columns[3][k], inside[k], points[k])
        for k, r in enumerate(records.tolist())
    }
