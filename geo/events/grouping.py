"""Which versions tell one event: the groups of the merge (:mod:`geo.events.merge`).

Versions are read in the merge's order (by day, then as the table has them; undated
ones last). A version joins the first open group, oldest first, of its key (type,
sub-type, target; a change of control's place too) whose first version lies within
``distance_km`` (region-only events: the same region) and at most ``window_days`` before
it; else it opens a group.
"""

from __future__ import annotations

import math
from collections import deque

from geo.distance import haversine_km

__all__ = ["VersionColumns", "group_versions"]


class VersionColumns:
    """The columns the merge reads, as plain Python lists, one value a version."""

    days: list[int]  # days since 1970 (undated: never read)
    undated: list[bool]
    stamp_ns: list[int]  # nanoseconds since 1970 (undated: after every date)
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


# The sub-event types of changes of control.
_CHANGES_OF_CONTROL = frozenset(
    {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
    }
)


def group_versions(
    cols: VersionColumns, order: list[int], window_days: int, distance_km: float
) -> tuple[list[int], int]:
    """Each version's group, and the number of groups, the versions read in ``order`` (by
    day, then in table order; undated ones last)."""
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
    for i in order:
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
