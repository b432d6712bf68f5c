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
        self._list: deque[tuple[np.datetime64, float, float, bool, str, int, int]] = deque()
        self._known: dict[tuple[float, float, bool, str], tuple[int, int]] = {}
        self._left = 0  # anchors dropped so far (their sequence numbers are below this)
        self._seq = 0  # anchors added so far

    def expire(self, day: np.datetime64, window: np.timedelta64) -> None:
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
        day: np.datetime64,
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
    m = mentions.copy()
    m["version_id"] = m["event_id"]
    if len(m) == 0:
        empty = frame([])
        return empty, pd.DataFrame(m.drop(columns="geometry"))
    group = np.full(len(m), -1, dtype=np.int64)
    days = m["event_date"].to_numpy(dtype="datetime64[D]")
    lat = m["latitude"].to_numpy(dtype=float)
    lon = m["longitude"].to_numpy(dtype=float)
    region = m["place_kind"].eq("region").to_numpy()
    loc = m["location"].astype(str).to_numpy()
    key_cols = ["event_type", "sub_event_type", "target"]
    keys = np.array(
        ["|".join(map(str, k)) for k in m[key_cols].itertuples(index=False, name=None)],
        dtype=object,
    )
    next_group = 0
    order = np.lexsort((np.arange(len(m)), np.isnat(days), days))
    anchors: dict[str, _Anchors] = {}
    window = np.timedelta64(window_days, "D")
    for i in order:
        k = keys[i]
        if np.isnat(days[i]):
            k = f"{k}|undated|{m['report'].iat[i]}"
        bucket = anchors.get(k)
        if bucket is None:
            bucket = anchors[k] = _Anchors()
        # drop anchors that are too old to take this version
        if not np.isnat(days[i]):
            bucket.expire(days[i], window)
        found = bucket.find(lat[i], lon[i], bool(region[i]), loc[i], distance_km)
        if found < 0:
            found = next_group
            next_group += 1
            bucket.add(days[i], lat[i], lon[i], bool(region[i]), loc[i], found, distance_km)
        group[i] = found
    m["_group"] = group
    # representative version per group
    m["_tp"] = m["time_precision"].fillna(9)
    m["_gp"] = m["geo_precision"].fillna(9)
    m["_date"] = m["event_date"].astype("datetime64[ns]").fillna(pd.Timestamp("2262-01-01"))
    rep = m.sort_values(["_group", "_tp", "_gp", "_date", "report", "start"]).drop_duplicates(
        "_group"
    )
    agg = m.groupby("_group").agg(
        sources_count=("report", "nunique"),
        reports=("report", lambda s: ";".join(dict.fromkeys(s))),
        sources=(
            "source",
            lambda s: ";".join(dict.fromkeys(x for x in s if isinstance(x, str) and x)),
        ),
        _claims=(
            "claim_status",
            lambda s: tuple(sorted(set(s), key=lambda c: CLAIM_ORDER.get(c, 9))),
        ),
    )
    events = rep.drop(columns=["sources_count", "reports", "sources"]).join(agg, on="_group")
    events["claim_status"] = events["_claims"].map(merge_claims)
    m["event_id"] = m["_group"].map(dict(zip(rep["_group"], rep["event_id"], strict=True)))
    versions = pd.DataFrame(m.drop(columns=["geometry", "_group", "_tp", "_gp", "_date"]))
    events = events.drop(columns=["_group", "_tp", "_gp", "_date", "_claims", "version_id"])
    events = events.sort_values(["event_date", "event_id"], na_position="last").reset_index(
        drop=True
    )
    events["sources_count"] = events["sources_count"].astype("Int64")
    out = gpd.GeoDataFrame(
        events[[*EVENT_COLUMNS, "geometry"]], geometry="geometry", crs="EPSG:4326"
    )
    return out, versions.reset_index(drop=True)
