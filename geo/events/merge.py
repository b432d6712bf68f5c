"""Merging the versions of one event told by several sentences or reports."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.events.claims import CLAIM_ORDER, merge_claims
from geo.events.columns import EVENT_COLUMNS, frame

__all__ = ["merge_events"]


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
    anchors: dict[str, list[tuple[np.datetime64, float, float, bool, str, int]]] = {}
    window = np.timedelta64(window_days, "D")
    for i in order:
        k = keys[i]
        if np.isnat(days[i]):
            k = f"{k}|undated|{m['report'].iat[i]}"
        lst = anchors.setdefault(k, [])
        found = -1
        # drop anchors that are too old to take this version
        while lst and not np.isnat(days[i]) and days[i] - lst[0][0] > window:
            lst.pop(0)
        for _d0, la, lo, reg, lc, g in lst:
            if reg or region[i]:
                if reg and region[i] and lc == loc[i]:
                    found = g
                    break
                continue
            if haversine_km(la, lo, lat[i], lon[i]) <= distance_km:
                found = g
                break
        if found < 0:
            found = next_group
            next_group += 1
            lst.append((days[i], lat[i], lon[i], bool(region[i]), loc[i], found))
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
