"""Region phrases: "western Afghanistan", "much of the north", "the northern provinces".

:func:`regions_in` finds them in a sentence and places each at a representative point of
that part of the country, from the admin-1 polygons (precision 3).
"""

from __future__ import annotations

import re
from functools import lru_cache

import geopandas as gpd
import numpy as np

from geo.events.places import Place
from geo.gates import SHARED_PASS, StartIndex
from geo.nationals import country_name

__all__ = ["regions_in"]


_DIRECTIONS = {
    "north": (0, 1),
    "south": (0, -1),
    "east": (1, 0),
    "west": (-1, 0),
    "northeast": (1, 1),
    "northwest": (-1, 1),
    "southeast": (1, -1),
    "southwest": (-1, -1),
    "central": (0, 0),
    "centre": (0, 0),
    "center": (0, 0),
}
_DIR = (
    r"(?:north|south)-?(?:east|west)(?:ern)?|north(?:ern)?|south(?:ern)?"
    r"|east(?:ern)?|west(?:ern)?|central"
)
# "the north", "much of the north", "the west of the country" (no country named).
# A bare direction is a region only as a noun ("much of the north.", "the north and
# west") or with a region word ("the northern provinces"); "the central prison" is not.
_AFTER_REGION = (
    r"and|or|of|in|on|at|to|was|were|is|are|has|have|had|where|which|that|as|with|by|"
    r"from|for|since|after|before|until|during|fell|remained|came|saw"
)
_DIR_BEFORE_RE = re.compile(rf"(?:\b(?:much|most|parts?|all) of )?\b(?P<dir>{_DIR})\s+$", re.I)
_BARE_REGION_RE = re.compile(
    rf"\b(?:(?:much|most|parts?|all) of |across )?the (?P<dir>{_DIR})"
    r"(?: of the country| (?:provinces|regions?|parts|areas|districts|belt))?\b"
    rf"(?! \w+ of\b)(?!\s+(?!(?:{_AFTER_REGION})\b)[a-z])",
    re.I,
)
# a direction word, and where a bare region phrase can start, in one pass (geo.gates)
_DIR_INDEX = StartIndex([_DIR, _BARE_REGION_RE], group=SHARED_PASS, keep=True)


def _region_point(
    country: str | None, direction: str, regions: gpd.GeoDataFrame | None, fallback: Place | None
) -> tuple[float, float] | None:
    """A representative point of a part of a country (``"west"``), from admin-1 polygons."""
    key = direction.lower().replace("-", "").replace("ern", "")
    if regions is not None and country and len(regions):
        cache_key = (id(regions), len(regions), country, key)
        if cache_key not in _REGION_POINTS:
            sub = _country_regions(regions, country)
            _REGION_POINTS[cache_key] = _sector_point(sub, key) if len(sub) else None
        point = _REGION_POINTS[cache_key]
        if point is not None:
            return point
    if fallback is not None:
        return fallback.lat, fallback.lon
    return None


_REGION_POINTS: dict[tuple, tuple[float, float] | None] = {}
_BY_COUNTRY: dict[tuple[int, int], tuple[gpd.GeoDataFrame, dict[str, np.ndarray]]] = {}


def _country_regions(regions: gpd.GeoDataFrame, country: str) -> gpd.GeoDataFrame:
    """The regions of one country: the table split by country once (a report naming the
    four directions of a country, or many countries, filtered the whole table each time)."""
    key = (id(regions), len(regions))
    got = _BY_COUNTRY.get(key)
    if got is None or got[0] is not regions:
        _BY_COUNTRY.clear()  # one table at a time (the embedded one, or the caller's)
        got = _BY_COUNTRY[key] = (regions, regions.groupby("country", sort=False).indices)
    rows = got[1].get(country)
    return regions.iloc[rows] if rows is not None else regions.iloc[:0]


def _sector_point(sub: gpd.GeoDataFrame, key: str) -> tuple[float, float]:
    """The representative point of the regions whose centres lie furthest towards ``key``."""
    cent = sub.geometry.representative_point()
    xs, ys = cent.x.to_numpy(), cent.y.to_numpy()
    cx, cy = xs.mean(), ys.mean()
    dx, dy = _DIRECTIONS.get(key, (0, 0))
    if (dx, dy) == (0, 0):
        spread = np.hypot(xs - cx, ys - cy)
        mask = spread <= np.quantile(spread, 0.34)
    else:
        score = (xs - cx) * dx + (ys - cy) * dy
        mask = score >= np.quantile(score, 2 / 3)
    pt = sub[mask].geometry.union_all().representative_point()
    return float(pt.y), float(pt.x)


def regions_in(
    s_text: str,
    s0: int,
    s_places: list[Place],
    country: str | None,
    regions: gpd.GeoDataFrame | None,
) -> list[Place]:
    """The region phrases of a sentence, each a :class:`Place` of kind ``region``.

    "western Afghanistan" (a direction word right before a country mention) and "the
    north", "much of the north", "the northern provinces" (a part of ``country``), each
    at a representative point of that part of the country (``regions``' polygons, else
    the country's own point).

    Parameters
    ----------
    s_text : str
        The sentence; ``s0`` is its offset in the report.
    s0 : int
    s_places : list of Place
        The sentence's place mentions.
    country : str or None
        ISO alpha-2 code of the country the sentence is about.
    regions : GeoDataFrame or None
        Admin-1 polygons with a ``country`` column.

    Returns
    -------
    list of Place
    """
    bare = _bare_regions(s_text)
    if bare is None:
        return []  # both kinds of phrase need a direction word
    out = []
    countries = [p for p in s_places if p.kind == "country"]
    # "western Afghanistan": a direction word right before a country mention
    for c in countries:
        m = _dir_before(s_text, c.start - s0)
        place = _region_place(m[2], c.country, s0 + m[0], c.end, regions, c) if m else None
        if place is not None:
            out.append(place)
    for m_start, m_end, direction in bare:
        if any(p.start <= s0 + m_start < p.end for p in out):
            continue
        ref = next((c for c in countries if c.country == country), None)
        place = _region_place(direction, country, s0 + m_start, s0 + m_end, regions, ref)
        if place is not None:
            out.append(place)
    return out


@lru_cache(maxsize=4096)
def _bare_regions(s_text: str) -> tuple[tuple[int, int, str], ...] | None:
    """The bare region phrases of a sentence ("much of the north"): offsets in the sentence
    and the direction word; ``None`` for a sentence without any direction word. Once per
    sentence: a sentence read again costs a look-up."""
    scanned = _DIR_INDEX.scan(s_text)
    if not _DIR_INDEX.may(0, scanned):
        return None
    found = _DIR_INDEX.find_all(1, _BARE_REGION_RE, s_text, scanned)
    return tuple((m.start(), m.end(), m["dir"]) for m in found)


@lru_cache(maxsize=4096)
def _dir_before(s_text: str, at: int) -> tuple[int, int, str] | None:
    """A direction word right before offset ``at`` of the sentence ("western" before a
    country's name): its match's offsets and the word."""
    m = _DIR_BEFORE_RE.search(s_text[:at])
    return (m.start(), m.end(), m["dir"]) if m else None


def _region_place(direction, country, start, end, regions, ref) -> Place | None:
    point = _region_point(country, direction, regions, ref)
    if point is None:
        return None
    word = direction.lower().replace("-", "")
    word = word if word.endswith(("ern", "central")) else word + "ern"
    name = f"{word.capitalize()} {country_name(country)}"
    return Place(
        start,
        end,
        name,
        "region",
        country,
        None,
        None,
        point[0],
        point[1],
        None,
        False,
        via="region",
    )
