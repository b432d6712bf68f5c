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

__all__ = ["VersionColumns", "VersionIndex", "group_versions"]


class VersionColumns:
    """The columns the merge reads, as plain Python lists, one value a version, and their
    :class:`VersionIndex`."""

    days: list[int]  # days since 1970 (undated: never read)
    undated: list[bool]
    lat: list[float]
    lon: list[float]
    region: list[bool]
    loc: list[str]
    report: list[str]
    # (time precision, geo precision, nanoseconds since 1970 (undated: after every date),
    # report, start): a group's representative is its version of the lowest
    rank: list[tuple]
    start: list
    source: list
    claim: list
    index: VersionIndex

    def order(self) -> list[int]:
        """The merge's order: dated versions by day, then undated ones, each in table
        order."""
        raise NotImplementedError


class VersionIndex:
    """What :func:`group_versions` asks of each version that depends on the version
    alone, read as the versions come (a pool's parent reads each chunk while its workers
    go on, and the grouping, after the last chunk, reads lists of small integers):

    - ``bucket``: the version's set of anchors: its key (type, sub-type, target), with
      its place for a change of control (two towns taken are two changes of control,
      however near), and its report if it is undated (undated versions merge only within
      their report);
    - ``place``: its point and place (latitude, longitude, region or not, location),
      ``-1`` if a coordinate is NaN (never remembered);
    - ``listed``: the sentences (report, start) that name one trigger at several places
      ("airstrikes hit X and Y"; a sentence's versions of one trigger come one after the
      other in the table), whose versions are as many events however near the places
      lie, each with a number; ``listed_starts``: their starts (a cheap first test).

    Examples
    --------
    >>> index = VersionIndex()
    >>> index.extend(
    ...     [("Battles", "Armed clash", ""), ("Battles", "Armed clash", "")],
    ...     ["Herat", "Kabul"], [False, False], ["r1", "r1"], [5, 5],
    ...     [34.3, 34.5], [62.2, 69.2], [False, False])
    >>> index.bucket, index.place, index.listed, index.listed_starts
    ([0, 0], [0, 1], {('r1', 5): 0}, {5})
    """

    def __init__(self) -> None:
        self.bucket: list[int] = []
        self.place: list[int] = []
        self.listed: dict[tuple, int] = {}
        self.listed_starts: set = set()
        self._keys: dict[object, int] = {}  # a key's bucket (or its number, if a change's)
        self._changes: list[bool] = []  # by a key's number: whether a change of control's
        self._buckets: dict[tuple, int] = {}  # the buckets of changes and undated versions
        self._places: dict[tuple[float, float, bool, str], int] = {}
        # the last version's report, start, location, and its point and that point's number
        self._last: tuple = (None, None, None, math.nan, math.nan, False, -1)

    def extend(
        self,
        keys: list,
        loc: list[str],
        undated: list[bool],
        report: list,
        start: list,
        lat: list[float],
        lon: list[float],
        region: list[bool],
    ) -> None:
        """Index the next versions, given by the columns' values of those versions alone;
        ``keys``: each one's (event_type, sub_event_type, target), as a tuple or joined by
        ``|``."""
        ids, changes, buckets, places = self._keys, self._changes, self._buckets, self._places
        bucket, place, listed = self.bucket, self.place, self.listed
        last_report, last_start, last_loc, last_la, last_lo, last_reg, last_p = self._last
        for i in range(len(keys)):
            k: object = keys[i]
            lc = loc[i]
            b = ids.get(k)
            if b is None:
                b = ids[k] = len(changes)
                sub = k[1] if isinstance(k, tuple) else [*str(k).split("|"), "", ""][1]
                changes.append(sub in _CHANGES_OF_CONTROL)
            if changes[b] or undated[i]:
                # one number space for all buckets: a composite's is made unique below
                whole: tuple = (b, lc) if changes[b] else (b,)
                if undated[i]:
                    whole = (*whole, report[i])
                c = buckets.get(whole)
                if c is None:
                    c = buckets[whole] = -1 - len(buckets)
                b = c
            bucket.append(b)
            la, lo, reg = lat[i], lon[i], region[i]
            if math.isnan(la) or math.isnan(lo):
                p = -1
            elif la == last_la and lo == last_lo and reg == last_reg and lc == last_loc:
                p = last_p  # most versions repeat the place of the one before
            else:
                q = (la, lo, reg, lc)
                got = places.get(q)
                if got is None:
                    got = places[q] = len(places)
                p = got
            place.append(p)
            rep, st = report[i], start[i]
            if st == last_start and lc != last_loc and rep == last_report:
                pk = (rep, st)
                if pk not in listed:
                    listed[pk] = len(listed)
                    self.listed_starts.add(st)
            last_report, last_start, last_loc = rep, st, lc
            last_la, last_lo, last_reg, last_p = la, lo, reg, p
        self._last = (last_report, last_start, last_loc, last_la, last_lo, last_reg, last_p)


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
        self._known: dict[int, tuple[int, int]] = {}  # place -> (anchor's number, group)
        self._left = 0  # anchors dropped so far (their sequence numbers are below this)
        self._seq = 0  # anchors added so far

    def expire(self, day: int, window: int) -> None:
        """Drop the anchors more than ``window`` days before ``day`` (days since 1970)."""
        while self._list and day - self._list[0][0] > window:
            self._list.popleft()
            self._left += 1

    @staticmethod
    def _takes(
        la: float,
        lo: float,
        reg: bool,
        lc: str,
        lat: float,
        lon: float,
        region: bool,
        loc: str,
        distance_km: float,
    ) -> bool:
        if reg or region:
            return reg and region and lc == loc
        return bool(haversine_km(la, lo, lat, lon) <= distance_km)

    def find(
        self,
        place: int,
        lat: float,
        lon: float,
        region: bool,
        loc: str,
        distance_km: float,
        skip: set[int] | None = None,
    ) -> int:
        """The group of the first anchor that takes the version (``place``: its
        :attr:`VersionIndex.place`), not one of the groups ``skip``; ``-1`` if none."""
        takes = self._takes
        if skip:
            # groups that already hold another place of the same words' list
            for _d0, la, lo, reg, lc, g, _seq in self._list:
                if g not in skip and takes(la, lo, reg, lc, lat, lon, region, loc, distance_km):
                    return g
            return -1
        if place >= 0:
            known = self._known.get(place)
            if known is not None and known[0] >= self._left:
                return known[1]
        for _d0, la, lo, reg, lc, g, seq in self._list:
            if takes(la, lo, reg, lc, lat, lon, region, loc, distance_km):
                if place >= 0:
                    self._known[place] = (seq, g)
                return g
        return -1

    def add(
        self,
        day: int,
        place: int,
        lat: float,
        lon: float,
        region: bool,
        loc: str,
        g: int,
        distance_km: float,
    ) -> None:
        """Open group ``g`` with this version as its anchor."""
        seq = self._seq
        self._seq += 1
        self._list.append((day, lat, lon, region, loc, g, seq))
        if place >= 0 and self._takes(lat, lon, region, loc, lat, lon, region, loc, distance_km):
            self._known[place] = (seq, g)


# The sub-event types of changes of control.
_CHANGES_OF_CONTROL = frozenset(
    {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
    }
)


def group_versions(
    cols: VersionColumns, window_days: int, distance_km: float
) -> tuple[list[int], int]:
    """Each version's group, and the number of groups, the versions read in the merge's
    order (:meth:`VersionColumns.order`)."""
    index = cols.index
    n = len(index.bucket)
    days, no_date, start, report = cols.days, cols.undated, cols.start, cols.report
    lat, lon, region, loc = cols.lat, cols.lon, cols.region, cols.loc
    bucket, place, listed, listed_starts = (
        index.bucket, index.place, index.listed, index.listed_starts
    )  # fmt: skip
    group = [-1] * n
    next_group = 0
    anchors: dict[int, _Anchors] = {}
    siblings_of: dict[int, set[int]] = {}  # the groups of each listed sentence's trigger
    for i in cols.order():
        b = bucket[i]
        anchor = anchors.get(b)
        if anchor is None:
            anchor = anchors[b] = _Anchors()
        # drop anchors that are too old to take this version
        if not no_date[i]:
            anchor.expire(days[i], window_days)
        siblings: set[int] | None = None
        st = start[i]
        if st in listed_starts:
            s = listed.get((report[i], st))
            if s is not None:
                siblings = siblings_of.get(s)
                if siblings is None:
                    siblings = siblings_of[s] = set()
        found = anchor.find(place[i], lat[i], lon[i], region[i], loc[i], distance_km, siblings)
        if found < 0:
            found = next_group
            next_group += 1
            anchor.add(days[i], place[i], lat[i], lon[i], region[i], loc[i], found, distance_km)
        group[i] = found
        if siblings is not None:
            siblings.add(found)
    return group, next_group
