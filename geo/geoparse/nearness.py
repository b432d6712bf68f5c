"""Nearness: of several towns of one name, the one near the places a report names
without doubt is meant (the village of the front line, not a namesake in another
province). Used by :mod:`geo.geoparse.resolve`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from math import cos, radians
from typing import Final, NamedTuple

from geo.distance import great_circle_km
from geo.gazetteer import Gazetteer

__all__ = [
    "CLEAR_MARGIN",
    "NEAR_BONUS",
    "NEAR_KM",
    "POINT_KINDS",
    "Anchor",
    "Nearness",
    "Points",
    "anchors_at",
    "beyond_doubt",
    "points",
]

#: A town this close to a place the report names without doubt is more likely meant
#: than its namesakes elsewhere: it gets NEAR_BONUS. It chooses among towns only: a name
#: whose best reading is a province or a country stays so.
NEAR_KM: Final = 60.0
NEAR_BONUS: Final = 1.5
#: Kinds of place that are points (a province, a region, a river is not).
POINT_KINDS: Final = frozenset({"city", "town", "district", "airbase", "border_crossing", "other"})
#: A name's best reading is beyond doubt when no other reading comes this near.
CLEAR_MARGIN: Final = 2.0


class Anchor(NamedTuple):
    """A place a report names without doubt: its record and point."""

    rid: int
    lat: float
    lon: float


def anchors_at(rids: list[int], gaz: Gazetteer) -> tuple[Anchor | None, ...]:
    """The :class:`Anchor` that each candidate ``rids`` would be, if a point (a town...);
    None for one that is not (made once per name and process)."""
    cols = gaz._columns
    kinds, lats, lons = cols["kind"], cols["lat"], cols["lon"]
    return tuple(
        Anchor(r, float(lats[r]), float(lons[r])) if kinds[r] in POINT_KINDS else None for r in rids
    )


def beyond_doubt(scores: list[float], b: int) -> bool:
    """The best reading ``b`` of a name (by its candidates' ``scores``) is beyond doubt:
    the only reading, or none other within CLEAR_MARGIN of it. Its :class:`Anchor`, if
    a point, is then an anchor of the report."""
    limit = scores[b] - CLEAR_MARGIN
    return not any(k != b and sc > limit for k, sc in enumerate(scores))


class Points(NamedTuple):
    """The candidates of a name that are points (towns...): their positions among the
    candidates, records and coordinates, from south to north (made once per name and
    process)."""

    positions: tuple[int, ...]
    rids: tuple[int, ...]
    lat: tuple[float, ...]
    lon: tuple[float, ...]
    #: as many degrees of longitude as _CELL is of latitude at each point (and north or
    #: south of it by _CELL): wider towards the poles
    span: tuple[float, ...]


def points(rids: list[int], gaz: Gazetteer) -> Points | None:
    """The :class:`Points` of candidates ``rids``; None if none is a point."""
    cols = gaz._columns
    kinds, lats, lons = cols["kind"], cols["lat"], cols["lon"]
    found = [k for k, r in enumerate(rids) if kinds[r] in POINT_KINDS]
    if not found:
        return None
    # south to north (ties in candidate order): Nearness.flags bisects them
    positions = tuple(sorted(found, key=lambda k: float(lats[rids[k]])))
    chosen = tuple(rids[k] for k in positions)
    lat = tuple(float(lats[r]) for r in chosen)
    return Points(
        positions,
        chosen,
        lat,
        tuple(float(lons[r]) for r in chosen),
        tuple(_CELL / max(cos(radians(min(abs(y) + _CELL, 89.0))), 0.01) for y in lat),
    )


class Nearness:
    """The anchors of a report (by name, :func:`anchor`), sorted by latitude, for
    :meth:`flags`. False if there is none."""

    def __init__(self, found: dict[str, Anchor]) -> None:
        # (lat, name, lon, record): sorted by latitude, then name
        self.by_lat = sorted((a.lat, name, a.lon, a.rid) for name, a in found.items())
        self.lats = [lat for lat, _, _, _ in self.by_lat]

    def __bool__(self) -> bool:
        return bool(self.lats)

    def flags(self, key: str, size: int, pts: Points) -> list[bool] | None:
        """For one name (its key; its number of candidates; their :class:`Points`),
        whether each candidate is a point within NEAR_KM of the anchor of another name,
        never for being that anchor itself; None if no candidate is.

        A candidate is measured only against the anchors within NEAR_KM of it north to
        south (found by bisection), most often none or one.
        """
        lats, by_lat = self.lats, self.by_lat
        if not lats:
            return None
        south, north = lats[0], lats[-1]
        flags = None
        # The candidates (south to north) within _CELL of the anchors' band of latitude,
        # found by bisection (most of a common name's towns are not); the margin keeps
        # every candidate the test below would keep, whatever the rounding.
        plat = pts.lat
        first = bisect_left(plat, south - _CELL - _MARGIN)
        stop = bisect_right(plat, north + _CELL + _MARGIN)
        # The anchors within _CELL of each candidate, north or south: between two
        # pointers that only move north, as the candidates do (where bisect_left and
        # bisect_right of lat -/+ _CELL would put them).
        lo = hi = 0
        n_anchors = len(lats)
        for t in range(first, stop):
            k, r, lat, lon, span = pts.positions[t], pts.rids[t], plat[t], pts.lon[t], pts.span[t]
            if lat + _CELL < south or lat - _CELL > north:
                continue  # no anchor within _CELL north or south
            low, high = lat - _CELL, lat + _CELL
            while lo < n_anchors and lats[lo] < low:
                lo += 1
            hi = max(hi, lo)
            while hi < n_anchors and lats[hi] <= high:
                hi += 1
            for j in range(lo, hi):
                alat, name, alon, rid = by_lat[j]
                if (
                    name != key
                    and rid != r
                    and abs(alon - lon) <= span
                    and great_circle_km(alat, alon, lat, lon) <= NEAR_KM
                ):
                    if flags is None:
                        flags = [False] * size
                    flags[k] = True
                    break
        return flags


# NEAR_KM as degrees of latitude (with a margin): an anchor further north or south than
# this is further than NEAR_KM away, whatever its longitude.
_CELL: Final = NEAR_KM / 111.0 + 0.01
_MARGIN: Final = 1e-6
