"""Merging the versions of one event told by several sentences or reports."""

from __future__ import annotations

import math
from collections import deque

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.events.claims import CLAIM_ORDER, merge_claims
from geo.events.columns import EVENT_COLUMNS, frame
from geo.events.gcpause import gc_paused

__all__ = ["merge_events"]


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

    def find(self, lat: float, lon: float, region: bool, loc: str, distance_km: float) -> int:
        q = (lat, lon, region, loc)
        memo = q in self._known and not (math.isnan(lat) or math.isnan(lon))
        if memo:
            seq, g = self._known[q]
            if seq >= self._left:
                return g
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


def _merge(
    mentions: gpd.GeoDataFrame, window_days: int, distance_km: float
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    m = mentions.copy(deep=False)  # new columns only: the caller's table is left as it was
    m["version_id"] = m["event_id"]
    if len(m) == 0:
        empty = frame([])
        return empty, pd.DataFrame(m.drop(columns="geometry"))
    n = len(m)
    # plain Python values, column by column: the loops below read them row by row
    stamps = m["event_date"].to_numpy(dtype="datetime64[D]")
    undated = np.isnat(stamps)
    days = stamps.astype(np.int64).tolist()  # days since 1970 (NaT: never read)
    lat = m["latitude"].to_numpy(dtype=float).tolist()
    lon = m["longitude"].to_numpy(dtype=float).tolist()
    region = m["place_kind"].eq("region").to_numpy().tolist()
    loc = m["location"].astype(str).tolist()
    report = m["report"].tolist()
    keys = [
        "|".join(map(str, k))
        for k in zip(
            *(m[c].tolist() for c in ("event_type", "sub_event_type", "target")), strict=True
        )
    ]
    group = [-1] * n
    next_group = 0
    order = np.lexsort((np.arange(n), undated, stamps)).tolist()
    no_date = undated.tolist()
    anchors: dict[str, _Anchors] = {}
    for i in order:
        k = keys[i]
        if no_date[i]:
            k = f"{k}|undated|{report[i]}"
        bucket = anchors.get(k)
        if bucket is None:
            bucket = anchors[k] = _Anchors()
        # drop anchors that are too old to take this version
        if not no_date[i]:
            bucket.expire(days[i], window_days)
        found = bucket.find(lat[i], lon[i], region[i], loc[i], distance_km)
        if found < 0:
            found = next_group
            next_group += 1
            bucket.add(days[i], lat[i], lon[i], region[i], loc[i], found, distance_km)
        group[i] = found
    rep, agg = _summarise(m, group, next_group, report)
    events = m.iloc[rep].drop(columns=["sources_count", "reports", "sources", "version_id"])
    events["sources_count"] = pd.array(agg["sources_count"], dtype="Int64")
    events["reports"] = agg["reports"]
    events["sources"] = agg["sources"]
    events["claim_status"] = agg["claim_status"]
    event_ids = m["event_id"].tolist()
    m["event_id"] = [event_ids[rep[g]] for g in group]
    versions = pd.DataFrame(m.drop(columns=["geometry"]))
    events = events.sort_values(["event_date", "event_id"], na_position="last").reset_index(
        drop=True
    )
    out = gpd.GeoDataFrame(
        events[[*EVENT_COLUMNS, "geometry"]], geometry="geometry", crs="EPSG:4326"
    )
    return out, versions.reset_index(drop=True)


#: The date that sorts an undated version after every dated one (as pandas can hold).
_LAST_DAY = pd.Timestamp("2262-01-01").as_unit("ns").value


def _summarise(
    m: pd.DataFrame, group: list[int], n_groups: int, report: list[str]
) -> tuple[list[int], dict[str, list]]:
    """Each group's representative version (its position in ``m``) and the merged fields.

    The representative is the most precise version: best ``time_precision``, then
    ``geo_precision``, then earliest date, report and start, then the first in ``m``.
    """
    tp = [9 if v is pd.NA else v for v in m["time_precision"].tolist()]
    gp = [9 if v is pd.NA else v for v in m["geo_precision"].tolist()]
    stamps = m["event_date"].to_numpy(dtype="datetime64[ns]")
    date = np.where(np.isnat(stamps), _LAST_DAY, stamps.astype(np.int64)).tolist()
    start = m["start"].tolist()
    source = m["source"].tolist()
    claim = m["claim_status"].tolist()
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
