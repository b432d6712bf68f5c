"""Merging the versions of one event told by several sentences or reports."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.events.claims import CLAIM_ORDER, merge_claims
from geo.events.columns import EVENT_COLUMNS, event_id, frame
from geo.events.twins import without_twins
from geo.gcpause import gc_paused

__all__ = ["merge_columns", "merge_events", "merge_rows", "version_columns"]


class _Anchors:
    """The first versions of the open groups of one key (type, sub-type, target), oldest
    first, and which group a place joins.

    A version joins the first anchor, oldest first, of the same region (region-only
    events) or within ``distance_km``. Most versions of a long report repeat a place
    already seen: the answer for a place is remembered with the anchor it found, and
    stays right while that anchor is open, because anchors only leave from the front and
    join at the back, so no anchor before it can have come to match since. The merge is
    linear in the number of versions for a report that names the same places again and
    again, and never compares more pairs than before.
    """

    __slots__ = ("_known", "_left", "_list", "_seq")

    def __init__(self) -> None:
        self._list: deque[tuple[int, float, float, bool, str, int, int]] = deque()
        self._known: dict[tuple[float, float, bool, str], tuple[int, int]] = {}
        self._left = 0  # anchors dropped so far (their sequence numbers are below this)
        self._seq = 0  # anchors added so far

    def expire(self, day: int, window: int) -> None:
        """Drop the anchors more than ``window`` days before ``day`` (days since 1970)."""
        while self._list and day - self._list[0][0] > window:
            self._list.popleft()
            self._left += 1

    @staticmethod
    def _takes(la: float, lo: float, reg: bool, lc: str, q: tuple, distance_km: float) -> bool:
        lat, lon, region, loc = q
        if reg or region:
            return reg and region and lc == loc
        return bool(haversine_km(la, lo, lat, lon) <= distance_km)

    def find(
        self,
        lat: float,
        lon: float,
        region: bool,
        loc: str,
        distance_km: float,
        skip: set[int] | None = None,
    ) -> int:
        q = (lat, lon, region, loc)
        if skip:
            # groups that already hold another place of the same words' list
            for _d0, la, lo, reg, lc, g, _seq in self._list:
                if g not in skip and self._takes(la, lo, reg, lc, q, distance_km):
                    return g
            return -1
        known = self._known.get(q)
        if (
            known is not None
            and known[0] >= self._left
            and not (math.isnan(lat) or math.isnan(lon))
        ):
            return known[1]
        for _d0, la, lo, reg, lc, g, seq in self._list:
            if self._takes(la, lo, reg, lc, q, distance_km):
                self._known[q] = (seq, g)
                return g
        return -1

    def add(
        self,
        day: int,
        lat: float,
        lon: float,
        region: bool,
        loc: str,
        g: int,
        distance_km: float,
    ) -> None:
        seq = self._seq
        self._seq += 1
        self._list.append((day, lat, lon, region, loc, g, seq))
        q = (lat, lon, region, loc)
        if self._takes(lat, lon, region, loc, q, distance_km):
            self._known[q] = (seq, g)


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
        if not rows:
            return merge_events(frame(rows), window_days=window_days, distance_km=distance_km)[0]
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
    only puts each column's parts end to end: the rows are turned once, by the workers,
    not by the parent after the last chunk, and fewer objects are pickled.
    """
    with gc_paused():
        if not columns or not len(columns[0]):
            return merge_events(frame([]), window_days=window_days, distance_km=distance_km)[0]
        return _merged(columns, window_days, distance_km)


def _merged(columns: Sequence[Sequence], window_days: int, distance_km: float) -> gpd.GeoDataFrame:
    cols = _RowColumns(columns)
    group, n_groups = _groups(cols, window_days, distance_km)
    rep, agg = _summarise(cols, group, n_groups)
    # the representatives, and a row holding a value in each column where some row
    # holds one, so the columns' types come out as in the table of every row
    witnesses = _witnesses(cols)
    table = frame([_with_id(cols.row(i)) for i in (*rep, *witnesses)])
    events = table.iloc[: len(rep)].drop(columns=["sources_count", "reports", "sources"])
    return _finish(events, agg)


class _Columns:
    """The columns the merge reads, as plain Python lists."""

    days: list[int]  # days since 1970 (undated: never read)
    undated: list[bool]
    order: list[int]  # dated versions by day, then undated ones, each in table order
    stamp_ns: list[int]  # nanoseconds since 1970 (undated: _LAST_DAY)
    lat: list[float]
    lon: list[float]
    region: list[bool]
    loc: list[str]
    report: list[str]
    keys: list  # (event_type, sub_event_type, target), as strings or a tuple
    tp: list[int]
    gp: list[int]
    start: list
    source: list
    claim: list


class _FrameColumns(_Columns):
    def __init__(self, m: pd.DataFrame) -> None:
        stamps = m["event_date"].to_numpy(dtype="datetime64[D]")
        undated = np.isnat(stamps)
        self.days = stamps.astype(np.int64).tolist()
        self.undated = undated.tolist()
        self.order = np.lexsort((np.arange(len(m)), undated, stamps)).tolist()
        ns = m["event_date"].to_numpy(dtype="datetime64[ns]")
        self.stamp_ns = np.where(np.isnat(ns), _LAST_DAY, ns.astype(np.int64)).tolist()
        self.lat = m["latitude"].to_numpy(dtype=float).tolist()
        self.lon = m["longitude"].to_numpy(dtype=float).tolist()
        self.region = m["place_kind"].eq("region").to_numpy().tolist()
        self.loc = m["location"].astype(str).tolist()
        self.report = m["report"].tolist()
        self.keys = [
            "|".join(map(str, k))
            for k in zip(
                *(m[c].tolist() for c in ("event_type", "sub_event_type", "target")), strict=True
            )
        ]
        self.tp = _precisions(m["time_precision"])
        self.gp = _precisions(m["geo_precision"])
        self.start = m["start"].tolist()
        self.source = m["source"].tolist()
        self.claim = m["claim_status"].tolist()


_AT = {c: i for i, c in enumerate(EVENT_COLUMNS)}


class _RowColumns(_Columns):
    #: every column of the rows, in the order of EVENT_COLUMNS
    columns: Sequence[Sequence]

    def __init__(self, columns: Sequence[Sequence]) -> None:
        # the rows as columns, turned by version_columns in one pass in C (a column a row
        # at a time, by itemgetter, would cost a call for each value)
        self.columns = columns

        def col(name: str) -> list:
            return list(self.columns[_AT[name]])

        # each date object converted once: the versions of a report share a handful, and
        # an object's id (the rows hold them all) is cheaper to hash than a Timestamp
        dates = col("event_date")
        day_of: dict[int, tuple[int, int] | None] = {}
        for ts in {id(ts): ts for ts in dates}.values():
            day_of[id(ts)] = None if pd.isna(ts) else _day_ns(ts)
        when = [day_of[id(ts)] for ts in dates]
        self.undated = [w is None for w in when]
        self.days = [0 if w is None else w[0] for w in when]
        self.stamp_ns = [_LAST_DAY if w is None else w[1] for w in when]
        dated = [i for i, w in enumerate(when) if w is not None]
        dated.sort(key=self.days.__getitem__)  # stable: table order within a day
        self.order = dated + [i for i, w in enumerate(when) if w is None]
        self.lat = _floats(col("latitude"))
        self.lon = _floats(col("longitude"))
        self.region = list(map("region".__eq__, col("place_kind")))
        loc = col("location")
        self.loc = loc if _all(loc, str) else [_text(v) for v in loc]
        # tuples, not joined strings: None is one object, so equal keys are equal tuples
        self.keys = list(zip(col("event_type"), col("sub_event_type"), col("target"), strict=True))
        tp, gp = col("time_precision"), col("geo_precision")
        self.tp = tp if _all(tp, int) else [9 if v is None else v for v in tp]
        self.gp = gp if _all(gp, int) else [9 if v is None else v for v in gp]
        self.report = col("report")
        self.start = col("start")
        self.source = col("source")
        self.claim = col("claim_status")

    def row(self, i: int) -> tuple:
        """Row ``i``, as the rows the columns were made of held it."""
        return tuple([c[i] for c in self.columns])


def _precisions(column: pd.Series) -> list[int]:
    """A precision column as integers, 9 where missing (a table read back from a database
    holds them as floats when one is missing)."""
    return [9 if pd.isna(v) else int(v) for v in column.tolist()]


def _all(values: list, kind: type) -> bool:
    """Whether every value is of exactly this type (tested in C)."""
    return set(map(type, values)) <= {kind}


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
    for i in range(min(64, len(cols.keys))):  # most columns hold a value in the first rows
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
    group, n_groups = _groups(cols, window_days, distance_km)
    rep, agg = _summarise(cols, group, n_groups)
    events = m.iloc[rep].drop(columns=["sources_count", "reports", "sources", "version_id"])
    event_ids = m["event_id"].tolist()
    m["event_id"] = [event_ids[rep[g]] for g in group]
    versions = pd.DataFrame(m.drop(columns=["geometry"]))
    return _finish(events, agg), versions.reset_index(drop=True)


# The sub-event types of changes of control.
_CHANGES_OF_CONTROL = frozenset(
    {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
    }
)


def _groups(cols: _Columns, window_days: int, distance_km: float) -> tuple[list[int], int]:
    """Each version's group, and the number of groups."""
    n = len(cols.keys)
    days, no_date, keys, report = cols.days, cols.undated, cols.keys, cols.report
    lat, lon, region, loc = cols.lat, cols.lon, cols.region, cols.loc
    group = [-1] * n
    next_group = 0
    anchors: dict[object, _Anchors] = {}
    changes: dict = {}  # key -> whether it is a change of control's
    # "airstrikes hit X and Y": the versions of one trigger at several places are as many
    # events, however near the places lie (their groups, by trigger)
    # (a sentence's versions of one trigger come one after the other in the table)
    start = cols.start
    listed: dict[tuple, set[int]] = {}
    for i in range(1, n):
        if start[i] == start[i - 1] and loc[i] != loc[i - 1] and report[i] == report[i - 1]:
            listed.setdefault((report[i], start[i]), set())
    for i in cols.order:
        k = keys[i]
        change = changes.get(k)
        if change is None:
            sub = k[1] if isinstance(k, tuple) else [*k.split("|"), "", ""][1]
            change = changes[k] = sub in _CHANGES_OF_CONTROL
        if change:
            # two towns taken are two changes of control, however near: a capture
            # merges only with versions of the same place
            k = (k, loc[i])
        if no_date[i]:
            k = (k, "undated", report[i])
        bucket = anchors.get(k)
        if bucket is None:
            bucket = anchors[k] = _Anchors()
        # drop anchors that are too old to take this version
        if not no_date[i]:
            bucket.expire(days[i], window_days)
        siblings = listed.get((report[i], start[i])) if listed else None
        found = bucket.find(lat[i], lon[i], region[i], loc[i], distance_km, siblings)
        if found < 0:
            found = next_group
            next_group += 1
            bucket.add(days[i], lat[i], lon[i], region[i], loc[i], found, distance_km)
        group[i] = found
        if siblings is not None:
            siblings.add(found)
    return group, next_group


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
    cols: _Columns, group: list[int], n_groups: int
) -> tuple[list[int], dict[str, list]]:
    """Each group's representative version (its position in the table) and the merged
    fields.

    The representative is the most precise version: best ``time_precision``, then
    ``geo_precision``, then earliest date, report and start, then the first in the table.
    """
    tp, gp, date, report = cols.tp, cols.gp, cols.stamp_ns, cols.report
    start, source, claim = cols.start, cols.source, cols.claim
    best: list[tuple | None] = [None] * n_groups
    rep = [0] * n_groups
    reports: list[dict[str, None]] = [{} for _ in range(n_groups)]
    sources: list[dict[str, None]] = [{} for _ in range(n_groups)]
    claims: list[set[str]] = [set() for _ in range(n_groups)]
    for i, g in enumerate(group):
        key = (tp[i], gp[i], date[i], report[i], start[i])
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
