"""Merging the versions of one event told by several sentences or reports."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.events.claims import CLAIM_ORDER, merge_claims
from geo.events.columns import EVENT_COLUMNS, event_id, frame
from geo.events.grouping import VersionColumns, VersionIndex, group_versions
from geo.events.twins import without_twins
from geo.gcpause import gc_paused

__all__ = ["VersionMerge", "merge_columns", "merge_events", "merge_rows", "version_columns"]


def merge_events(
    mentions: gpd.GeoDataFrame, *, window_days: int = 2, distance_km: float = 25.0
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Merge the versions of one event told by several sentences or reports.

    Versions merge when they have the same ``event_type``, ``sub_event_type`` and
    ``target``, lie within ``distance_km`` of each other (region-only events: the same
    region), and are dated within ``window_days`` of the first version of the group
    (groups are anchored on their earliest version, so daily fighting over weeks is not
    chained into one event). Versions without a date merge only with undated versions
    of the same report.

    Returns
    -------
    events : GeoDataFrame
        One row per event. Fields come from the most precise version (best
        ``time_precision``, then ``geo_precision``, then earliest date); ``sources_count``
        counts distinct reports; ``reports`` and ``sources`` list them (``;``-separated);
        ``claim_status`` is ``reported`` if any version reports it and none denies it,
        ``claimed`` if versions only claim it or some deny what others say, ``denied`` if every version denies it.
    versions : DataFrame
        Every version (the input rows) with its ``version_id`` and the ``event_id`` it
        was merged into.
    """
    with gc_paused():  # many small lists and tuples, no cycles among them
        return _merge(mentions, window_days, distance_km)


def merge_rows(
    rows: list[tuple], *, window_days: int = 2, distance_km: float = 25.0, twins: bool = True
) -> gpd.GeoDataFrame:
    """The events of :func:`merge_events` from the versions as rows (tuples of the values
    of :data:`EVENT_COLUMNS`, as :func:`geo.events.sentence.sentence_versions` gives them),
    without making the table of every version.

    A row's ``event_id`` may be the :data:`geo.events.columns.IdKey` it is made from (the
    id is then made for the rows kept only).

    The same table as ``merge_events(frame(rows))[0]``: the same groups and
    representatives, and the column types the whole table would have had (a column
    that holds a value in some version keeps its type even when every representative
    lacks it).

    With ``twins=False`` the rows are taken as already without twins
    (:func:`without_twins` of each report's rows, or of consecutive reports' rows).
    """
    with gc_paused():
        if twins:
            rows = without_twins(rows)
        return _merged(version_columns(rows), window_days, distance_km)


def version_columns(rows: list[tuple]) -> list[tuple]:
    """The columns of rows of :data:`EVENT_COLUMNS` (``[]``: no rows), in one pass in C,
    as :func:`merge_columns` reads them.

    Examples
    --------
    >>> version_columns([(1, "a"), (2, "b")]), version_columns([])
    ([(1, 2), ('a', 'b')], [])
    """
    return list(zip(*rows, strict=True))


def merge_columns(
    columns: Sequence[Sequence], *, window_days: int = 2, distance_km: float = 25.0
) -> gpd.GeoDataFrame:
    """:func:`merge_rows` of rows without twins given as their columns (``columns[j]``
    holds the values of ``EVENT_COLUMNS[j]``, row by row: :func:`version_columns`).

    A pool's workers turn their chunks' rows into columns, in parallel, and the parent
    adds each chunk's to a :class:`VersionMerge`: the rows are turned once, by the
    workers, not by the parent after the last chunk, and fewer objects are pickled.
    """
    return _merged(columns, window_days, distance_km)


def _merged(columns: Sequence[Sequence], window_days: int, distance_km: float) -> gpd.GeoDataFrame:
    merge = VersionMerge(window_days=window_days, distance_km=distance_km)
    merge.add(columns)
    return merge.events()


class VersionMerge:
    """:func:`merge_columns` of chunks of versions added one after the other, as a pool's
    chunks arrive.

    Chunks come in table order (a pool's: report order), whole reports each. Each
    chunk's columns are read into the merge's own (dates to days, coordinates to floats,
    the keys made) as it is added: a pool's parent does that while its workers read the
    next chunks. The versions are grouped in :meth:`events`, all at once: a version's
    group depends on every version of an earlier day, and a report may tell of any day
    (most chunks hold a day before the last day of the chunk before them: "on Monday").
    :meth:`events` is ``merge_columns`` of all the chunks' columns put end to end.

    Examples
    --------
    >>> from geo.events import version_columns
    >>> merge = VersionMerge()
    >>> merge.add(version_columns([]))
    >>> len(merge.events())
    0
    """

    def __init__(self, *, window_days: int = 2, distance_km: float = 25.0) -> None:
        self.window_days = window_days
        self.distance_km = distance_km
        self._cols = _RowColumns()

    def add(self, columns: Sequence[Sequence]) -> None:
        """Add a chunk's versions without twins (:func:`version_columns` of its rows)."""
        if columns and len(columns[0]):
            self._cols.extend(columns)

    def events(self) -> gpd.GeoDataFrame:
        """The events of every version added (:func:`merge_columns`)."""
        cols = self._cols
        with gc_paused():
            if not cols.undated:
                return merge_events(
                    frame([]), window_days=self.window_days, distance_km=self.distance_km
                )[0]
            group, n_groups = group_versions(cols, self.window_days, self.distance_km)
            rep, agg = _summarise(cols, group, n_groups)
            # the representatives, and a row holding a value in each column where some row
            # holds one, so the columns' types come out as in the table of every row
            witnesses = _witnesses(cols)
            table = frame([_with_id(cols.row(i)) for i in (*rep, *witnesses)])
            events = table.iloc[: len(rep)].drop(columns=["sources_count", "reports", "sources"])
            return _finish(events, agg)


class _FrameColumns(VersionColumns):
    def __init__(self, m: pd.DataFrame) -> None:
        stamps = m["event_date"].to_numpy(dtype="datetime64[D]")
        undated = np.isnat(stamps)
        self.days = stamps.astype(np.int64).tolist()
        self.undated = undated.tolist()
        self._order = np.lexsort((np.arange(len(m)), undated, stamps)).tolist()
        self.lat = m["latitude"].to_numpy(dtype=float).tolist()
        self.lon = m["longitude"].to_numpy(dtype=float).tolist()
        self.region = m["place_kind"].eq("region").to_numpy().tolist()
        self.loc = m["location"].astype(str).tolist()
        self.report = m["report"].tolist()
        keys = [
            "|".join(map(str, k))
            for k in zip(
                *(m[c].tolist() for c in ("event_type", "sub_event_type", "target")), strict=True
            )
        ]
        self.start = m["start"].tolist()
        ns = m["event_date"].to_numpy(dtype="datetime64[ns]")
        self.rank = list(
            zip(
                _precisions(m["time_precision"]),
                _precisions(m["geo_precision"]),
                np.where(np.isnat(ns), _LAST_DAY, ns.astype(np.int64)).tolist(),
                self.report,
                self.start,
                strict=True,
            )
        )
        self.source = m["source"].tolist()
        self.claim = m["claim_status"].tolist()
        self.index = VersionIndex()
        self.index.extend(
            keys, self.loc, self.undated, self.report, self.start, self.lat, self.lon, self.region
        )

    def order(self) -> list[int]:
        return self._order


_AT = {c: i for i, c in enumerate(EVENT_COLUMNS)}


class _RowColumns(VersionColumns):
    """The columns the merge reads, and every column of the versions (in the order of
    EVENT_COLUMNS), grown a chunk at a time."""

    columns: list[list]

    def __init__(self) -> None:
        self.columns = []
        self.days, self.undated, self.rank = [], [], []
        self.lat, self.lon, self.region, self.loc = [], [], [], []
        self.report, self.start, self.source, self.claim = [], [], [], []
        self.index = VersionIndex()
        self._by_day: dict[int, list[int]] = {}  # the dated versions of each day
        self._undated_at: list[int] = []

    def extend(self, columns: Sequence[Sequence]) -> None:
        """Put a chunk's columns (:func:`version_columns`) after the ones held."""
        if not self.columns:
            self.columns = [[] for _ in columns]
        for mine, part in zip(self.columns, columns, strict=True):
            mine.extend(part)

        def col(name: str) -> list:
            return list(columns[_AT[name]])

        # each date object converted once: the versions of a report share a handful, and
        # an object's id (the rows hold them all) is cheaper to hash than a Timestamp
        dates = col("event_date")
        day_of: dict[int, tuple[int, int] | None] = {}
        for ts in {id(ts): ts for ts in dates}.values():
            day_of[id(ts)] = None if pd.isna(ts) else _day_ns(ts)
        when = [day_of[id(ts)] for ts in dates]
        undated = [w is None for w in when]
        days = [0 if w is None else w[0] for w in when]
        first = len(self.days)
        by_day = self._by_day
        for i, w in enumerate(when, first):  # the merge's order, kept as the versions come
            if w is None:
                self._undated_at.append(i)
            else:
                at = by_day.get(w[0])
                if at is None:
                    by_day[w[0]] = [i]
                else:
                    at.append(i)
        self.undated += undated
        self.days += days
        lat, lon = _floats(col("latitude")), _floats(col("longitude"))
        self.lat += lat
        self.lon += lon
        region = list(map("region".__eq__, col("place_kind")))
        self.region += region
        loc = col("location")
        loc = loc if _all(loc, str) else [_text(v) for v in loc]
        self.loc += loc
        # tuples, not joined strings: None is one object, so equal keys are equal tuples
        keys = list(zip(col("event_type"), col("sub_event_type"), col("target"), strict=True))
        tp, gp = col("time_precision"), col("geo_precision")
        report, start = col("report"), col("start")
        self.rank += zip(
            tp if _all(tp, int) else [9 if v is None else v for v in tp],
            gp if _all(gp, int) else [9 if v is None else v for v in gp],
            [_LAST_DAY if w is None else w[1] for w in when],
            report,
            start,
            strict=True,
        )
        self.report += report
        self.start += start
        self.source += col("source")
        self.claim += col("claim_status")
        self.index.extend(keys, loc, undated, report, start, lat, lon, region)

    def order(self) -> list[int]:
        by_day = self._by_day
        return [i for day in sorted(by_day) for i in by_day[day]] + self._undated_at

    def row(self, i: int) -> tuple:
        """Row ``i``, as the rows the columns were made of held it."""
        return tuple([c[i] for c in self.columns])


def _precisions(column: pd.Series) -> list[int]:
    """A precision column as integers, 9 where missing (a table read back from a database
    holds them as floats when one is missing)."""
    return [9 if pd.isna(v) else int(v) for v in column.tolist()]


def _all(values: list, kind: type) -> bool:
    """Whether every value is of exactly this type (a compiled loop)."""
    return all(type(v) is kind for v in values)


def _floats(values: list) -> list[float]:
    return values if _all(values, float) else [float(v) for v in values]


def _text(v: object) -> str:
    """A value as the frame's ``astype(str)`` reads it (missing: ``"nan"``)."""
    return "nan" if v is None else str(v)


def _day_ns(ts: pd.Timestamp) -> tuple[int, int]:
    ns = int(np.datetime64(ts.to_datetime64(), "ns").astype(np.int64))
    return int(np.datetime64(ts.to_datetime64(), "D").astype(np.int64)), ns


def _with_id(row: tuple) -> tuple:
    """The row with its ``event_id`` made from its key, if it holds the key."""
    key = row[0]
    return row if key.__class__ is str else (event_id(*key), *row[1:])


def _witnesses(cols: _RowColumns) -> list[int]:
    """For each column, the first row that holds a value there (not None; a date for
    ``event_date``)."""
    out: set[int] = set()
    if False in cols.undated:
        out.add(cols.undated.index(False))
    open_ = set(range(len(EVENT_COLUMNS))) - {_AT["event_date"]}
    for i in range(min(64, len(cols.loc))):  # most columns hold a value in the first rows
        row = cols.row(i)
        for j in [j for j in open_ if row[j] is not None]:
            out.add(i)
            open_.discard(j)
    for j in sorted(open_):
        col = cols.columns[j]
        if col.count(None) < len(col):
            out.add(next(i for i, v in enumerate(col) if v is not None))
    return sorted(out)


def _merge(
    mentions: gpd.GeoDataFrame, window_days: int, distance_km: float
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    m = mentions.copy(deep=False)  # new columns only: the caller's table is left as it was
    m["version_id"] = m["event_id"]
    if len(m) == 0:
        empty = frame([])
        return empty, pd.DataFrame(m.drop(columns="geometry"))
    cols = _FrameColumns(m)
    group, n_groups = group_versions(cols, window_days, distance_km)
    rep, agg = _summarise(cols, group, n_groups)
    events = m.iloc[rep].drop(columns=["sources_count", "reports", "sources", "version_id"])
    event_ids = m["event_id"].tolist()
    m["event_id"] = [event_ids[rep[g]] for g in group]
    versions = pd.DataFrame(m.drop(columns=["geometry"]))
    return _finish(events, agg), versions.reset_index(drop=True)


def _finish(events: pd.DataFrame, agg: dict[str, list]) -> gpd.GeoDataFrame:
    """The merged fields put in, sorted by date and id."""
    events = events.copy(deep=False)
    events["sources_count"] = pd.array(agg["sources_count"], dtype="Int64")
    events["reports"] = agg["reports"]
    events["sources"] = agg["sources"]
    events["claim_status"] = agg["claim_status"]
    events = events.sort_values(["event_date", "event_id"], na_position="last").reset_index(
        drop=True
    )
    return gpd.GeoDataFrame(
        events[[*EVENT_COLUMNS, "geometry"]], geometry="geometry", crs="EPSG:4326"
    )


#: The date that sorts an undated version after every dated one (as pandas can hold).
_LAST_DAY = pd.Timestamp("2262-01-01").as_unit("ns").value


def _summarise(
    cols: VersionColumns, group: list[int], n_groups: int
) -> tuple[list[int], dict[str, list]]:
    """Each group's representative version (its position in the table) and the merged
    fields.

    The representative is the most precise version: best ``time_precision``, then
    ``geo_precision``, then earliest date, report and start, then the first in the table.
    """
    rank, report, source, claim = cols.rank, cols.report, cols.source, cols.claim
    best: list[tuple | None] = [None] * n_groups
    rep = [0] * n_groups
    reports: list[dict[str, None]] = [{} for _ in range(n_groups)]
    sources: list[dict[str, None]] = [{} for _ in range(n_groups)]
    claims: list[set[str]] = [set() for _ in range(n_groups)]
    for i, g in enumerate(group):
        key = rank[i]
        b = best[g]
        if b is None or key < b:
            best[g], rep[g] = key, i
        reports[g][report[i]] = None
        s = source[i]
        if isinstance(s, str) and s:
            sources[g][s] = None
        claims[g].add(claim[i])
    agg: dict[str, list] = {
        "sources_count": [len(r) for r in reports],
        "reports": [";".join(r) for r in reports],
        "sources": [";".join(s) for s in sources],
        "claim_status": [
            merge_claims(tuple(sorted(c, key=lambda x: CLAIM_ORDER.get(x, 9)))) for c in claims
        ],
    }
    return rep, agg
