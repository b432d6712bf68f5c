"""Nearness: of several towns of one name, the one near the places a report names
without doubt is meant (the village of the front line, not a namesake in another
province). Used by :mod:`geo.geoparse.resolve`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from math import cos, radians
from typing import NamedTuple

from geo.distance import haversine_km
from geo.gazetteer import Gazetteer

__all__ = [
    "CLEAR_MARGIN",
    "NEAR_BONUS",
    "NEAR_KM",
    "POINT_KINDS",
    "Anchor",
    "Points",
    "anchor",
    "near_anchors",
    "near_flags",
    "points",
]

#: A town this close to a place the report names without doubt is more likely meant
#: than its namesakes elsewhere: it gets NEAR_BONUS. It chooses among towns only: a name
#: whose best reading is a province or a country stays so.
NEAR_KM = 60.0
NEAR_BONUS = 1.5
#: Kinds of place that are points (a province, a region, a river is not).
POINT_KINDS = frozenset({"city", "town", "district", "airbase", "border_crossing", "other"})
#: A name's best reading is beyond doubt when no other reading comes this near.
CLEAR_MARGIN = 2.0


class Anchor(NamedTuple):
    """A place a report names without doubt: its record and point."""

    rid: int
    lat: float
    lon: float


def anchor(rids: list[int], scores: list[float], gaz: Gazetteer) -> Anchor | None:
    """The anchor of one name (its candidate records and their scores): its best reading
    if that is a town or another point beyond doubt (the only reading, or none other
    within CLEAR_MARGIN of it); None if there is none."""
    if len(scores) == 1:
        b = 0
    else:
        b = max(range(len(scores)), key=scores.__getitem__)
        if max(scores[:b] + scores[b + 1 :]) > scores[b] - CLEAR_MARGIN:
            return None  # another reading comes near: in doubt
    cols = gaz._columns
    r = rids[b]
    if cols["kind"][r] in POINT_KINDS:
        return Anchor(r, float(cols["lat"][r]), float(cols["lon"][r]))
    return None


class Points(NamedTuple):
    """The candidates of a name that are points (towns...): their positions among the
    candidates, records and coordinates (made once per name and process)."""

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
    positions = tuple(k for k, r in enumerate(rids) if kinds[r] in POINT_KINDS)
    if not positions:
        return None
    chosen = tuple(rids[k] for k in positions)
    lat = tuple(float(lats[r]) for r in chosen)
    return Points(
        positions,
        chosen,
        lat,
        tuple(float(lons[r]) for r in chosen),
        tuple(_CELL / max(cos(radians(min(abs(y) + _CELL, 89.0))), 0.01) for y in lat),
    )


def near_flags(
    names: Iterable[tuple[tuple, int, Points | None]], found: dict[str, Anchor]
) -> dict[tuple, list[bool]]:
    """For each name (its group key, whose first item is its key; its number of
    candidates; their :class:`Points`), whether each candidate is a point within NEAR_KM
    of the anchor of another name, never for being that anchor itself; a name with no
    such candidate is left out.

    The anchors are sorted by latitude: a candidate is measured only against those
    within NEAR_KM of it north to south (found by bisection), most often none or one.
    """
    if not found:
        return {}
    by_lat = sorted((a.lat, name, a) for name, a in found.items())
    lats = [lat for lat, _, _ in by_lat]
    south, north = lats[0], lats[-1]
    out: dict[tuple, list[bool]] = {}
    for gkey, size, pts in names:
        if pts is None:
            continue
        key = gkey[0]
        flags = None
        for k, r, lat, lon, span in zip(
            pts.positions, pts.rids, pts.lat, pts.lon, pts.span, strict=True
        ):
            if lat + _CELL < south or lat - _CELL > north:
                continue  # no anchor within _CELL north or south (most candidates)
            lo, hi = bisect_left(lats, lat - _CELL), bisect_right(lats, lat + _CELL)
            if lo == hi:
                continue
            for j in range(lo, hi):
                _, name, a = by_lat[j]
                if (
                    name != key
                    and a.rid != r
                    and abs(a.lon - lon) <= span
                    and haversine_km(a.lat, a.lon, lat, lon) <= NEAR_KM
                ):
                    if flags is None:
                        flags = out[gkey] = [False] * size
                    flags[k] = True
                    break
    return out


def near_anchors(
    rids: list[int], final: list[float], flags: list[bool], gaz: Gazetteer
) -> list[float]:
    """``final`` (the scores of ``rids``, a name's candidates) with NEAR_BONUS added to
    each candidate :func:`near_flags` flags, where the best reading is a town (or other
    point) already; the same list if it is not."""
    kinds = gaz._columns["kind"]
    if kinds[rids[max(range(len(final)), key=final.__getitem__)]] not in POINT_KINDS:
        return final
    return [sc + NEAR_BONUS if near else sc for sc, near in zip(final, flags, strict=True)]


# NEAR_KM as degrees of latitude (with a margin): an anchor further north or south than
# this is further than NEAR_KM away, whatever its longitude.
_CELL = NEAR_KM / 111.0 + 0.01
