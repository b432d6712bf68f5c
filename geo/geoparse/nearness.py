"""Nearness: of several towns of one name, the one near the places a report names
without doubt is meant (the village of the front line, not a namesake in another
province). Used by :mod:`geo.geoparse.resolve`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from geo.distance import haversine_km
from geo.gazetteer import Gazetteer

__all__ = [
    "CLEAR_MARGIN",
    "NEAR_BONUS",
    "NEAR_KM",
    "POINT_KINDS",
    "Anchor",
    "anchors",
    "near_anchors",
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


def anchors(
    readings: Iterable[tuple[str, list[int], list[float]]], gaz: Gazetteer
) -> dict[str, Anchor]:
    """The anchor of each name whose best reading is a town or another point and beyond
    doubt (one reading, or none within CLEAR_MARGIN of it), by name.

    Parameters
    ----------
    readings : iterable of (str, list of int, list of float)
        Each name's key, its candidate records and their scores.
    gaz : Gazetteer
    """
    cols = gaz._columns
    kinds, lats, lons = cols["kind"], cols["lat"], cols["lon"]
    out: dict[str, Anchor] = {}
    for key, rids, scores in readings:
        b = max(range(len(scores)), key=scores.__getitem__)
        r = rids[b]
        if kinds[r] not in POINT_KINDS:
            continue
        if len(scores) > 1 and max(sc for k, sc in enumerate(scores) if k != b) > (
            scores[b] - CLEAR_MARGIN
        ):
            continue
        out[key] = Anchor(r, float(lats[r]), float(lons[r]))
    return out


def near_anchors(
    key: str, rids: list[int], final: list[float], found: dict[str, Anchor], gaz: Gazetteer
) -> list[float]:
    """``final`` (the scores of ``rids``, the candidates of name ``key``) with NEAR_BONUS
    added to each town (or other point) within NEAR_KM of another name's anchor, never
    for being the anchor itself, where the best reading is a town already; the same list
    if none is."""
    cols = gaz._columns
    kinds, lats, lons = cols["kind"], cols["lat"], cols["lon"]
    if kinds[rids[max(range(len(final)), key=final.__getitem__)]] not in POINT_KINDS:
        return final
    others = [a for name, a in found.items() if name != key]
    a_lat = np.array([a.lat for a in others])
    a_lon = np.array([a.lon for a in others])
    a_rid = np.array([a.rid for a in others])
    out = None
    for k, r in enumerate(rids):
        if kinds[r] not in POINT_KINDS:
            continue
        km = haversine_km(a_lat, a_lon, float(lats[r]), float(lons[r]))
        if np.any((km <= NEAR_KM) & (a_rid != r)):
            if out is None:
                out = list(final)
            out[k] += NEAR_BONUS
    return final if out is None else out
