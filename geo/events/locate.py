"""Which place an event is about: the verb's object, a list, "the city", a region."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.actors import country_name
from geo.events.rules import EventRule

SETTLEMENT_KINDS = frozenset({"city", "town", "district", "airbase", "border_crossing", "other"})
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
_BARE_REGION_RE = re.compile(
    rf"\b(?:(?:much|most|parts?|all) of |across )?the (?P<dir>{_DIR})"
    r"(?: of the country| (?:provinces|regions?|parts|areas|districts|belt))?\b"
    rf"(?! \w+ of\b)(?!\s+(?!(?:{_AFTER_REGION})\b)[a-z])",
    re.I,
)
_ANAPHORA_RE = re.compile(
    r"\bthe (?:(?:provincial )?capital|city|town|provincial cent(?:re|er)|province)\b"
    r"(?!\s+of\b)",
    re.I,
)
# Words allowed between a capture verb and its place when the place itself is taken.
_WHOLE_GAP_TEXT = (
    "the a of control full complete total city town provincial capital province centre center "
    "key strategic important major administrative northern southern eastern western central "
    "northeastern northwestern southeastern southwestern north-eastern north-western "
    "south-eastern south-western nearby neighbouring neighboring border was were has have had "
    "been is are finally also reportedly now itself largely completely to"
)
_WHOLE_GAP = frozenset(_WHOLE_GAP_TEXT.split())

NEAR_RE = re.compile(
    r"\b(?:near|outside|close to|around|outskirts of|"
    r"(?:north|south|east|west)(?:-?(?:east|west))? of)\s+(?:the\s+)?$",
    re.I,
)


@dataclass
class Place:
    start: int  # offsets in the report text
    end: int
    name: str
    kind: str
    country: str | None
    admin1: str | None
    iso: str | None
    lat: float
    lon: float
    source: str | None
    capital: bool
    via: str = ""  # "" for a mention, else how it was found ("the city", "region")


def row_place(row: dict, text: str) -> Place:
    cap = False
    for col in ("capital", "seat"):
        v = row.get(col)
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and bool(v):
            cap = True
    return Place(
        int(row["start"]),
        int(row["end"]),
        str(row.get("name") or row.get("mention")),
        str(row.get("kind") or "other"),
        _str_or_none(row.get("country")),
        _str_or_none(row.get("admin1")),
        _str_or_none(row.get("iso_3166_2")),
        float(row["lat"]),
        float(row["lon"]),
        _str_or_none(row.get("source")),
        cap
        or (
            str(row.get("kind")) not in ("province", "country")
            and _capital_from_text(text, int(row["start"]), int(row["end"]))
        ),
    )


def _str_or_none(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return str(v)


_CAPITAL_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:the\s+|a\s+)?(?:\w+\s+)?(?:provincial\s+)?capital\b", re.I
)
_CAPITAL_BEFORE_RE = re.compile(r"\b(?:provincial capital|capital city)\s*,?\s*$", re.I)


def _capital_from_text(text: str, start: int, end: int) -> bool:
    """True when the text says the place is a capital ("X, the capital of ...")."""
    return bool(
        _CAPITAL_AFTER_RE.match(text[end : end + 40])
        or _CAPITAL_BEFORE_RE.search(text[max(0, start - 50) : start])
    )


def _gap_words(gap: str) -> list[str]:
    return re.findall(r"[\w'’-]+", gap.lower())


_LIST_GAP_RE = re.compile(
    r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+(?:cities|towns)\s+of\s+)?$", re.I
)


_APPOSITIVE_RE = re.compile(
    r",\s*(?:the|a)\s+(?:[\w-]+\s+){0,4}?capital\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.I
)


def _chain(first: Place, ordered: list[Place], s_text: str, s0: int, forward: bool) -> list[Place]:
    """``first`` and the places listed with it ("X, Y and Z")."""
    out = [first]
    k = ordered.index(first)
    step = 1 if forward else -1
    while 0 <= k + step < len(ordered):
        a, b = (out[-1], ordered[k + step]) if forward else (ordered[k + step], out[-1])
        gap = s_text[a.end - s0 : b.start - s0]
        # skip an appositive such as ", the capital of Zabul province," between list items
        if not _LIST_GAP_RE.match(gap):
            break
        out.append(ordered[k + step])
        k += step
    return out


def pick_place(
    rule: EventRule, s_text: str, s0: int, t0: int, t1: int, places: list[Place]
) -> list[tuple[Place, str]]:
    """The places a trigger at ``t0:t1`` (report offsets) reports on, each ``whole``/``part``."""
    if not places:
        return []
    ordered = sorted(places, key=lambda p: p.start)
    after = [p for p in ordered if p.start >= t1]
    before = [p for p in ordered if p.end <= t0][::-1]
    if rule.place == "object":
        for p in after[:1]:
            gap = s_text[t1 - s0 : p.start - s0]
            if len(gap) <= 60 and "," not in gap:
                whole = set(_gap_words(gap)) <= _WHOLE_GAP and p.kind != "country"
                tag = "whole" if whole else "part"
                return [(q, tag) for q in _chain(p, ordered, s_text, s0, True)]
        for p in before[:1]:
            gap = s_text[p.end - s0 : t0 - s0]
            # "Sheberghan, the capital of Jowzjan, fell": the subject is before the appositive
            lead = _APPOSITIVE_RE.search(s_text[: p.start - s0])
            if lead and re.fullmatch(r"\s*,\s*", gap):
                head = [q for q in before if q.end - s0 <= lead.start()]
                if head and len(s_text[head[0].end - s0 : lead.start()].strip()) == 0:
                    p = head[0]
                    gap = ""
            if len(gap) <= 40:
                whole = set(_gap_words(gap)) <= _WHOLE_GAP and p.kind != "country"
                tag = "whole" if whole else "part"
                return [(q, tag) for q in _chain(p, ordered, s_text, s0, False)]
        if rule.effect == "withdraw":
            return []  # a withdrawal is placed only where its object says
    # nearest place, preferring one after the trigger ("fighting in X", "attack on X")
    cands = [(0, p.start - t1, p) for p in after if p.start - t1 <= 80]
    cands += [(1, t0 - p.end, p) for p in before]
    cands += [(1, p.start - t1, p) for p in after if p.start - t1 > 80]
    cands.sort(key=lambda c: (c[0], c[1]))
    return [(cands[0][2], "part")] if cands else []


def _region_point(
    country: str | None, direction: str, regions: gpd.GeoDataFrame | None, fallback: Place | None
) -> tuple[float, float] | None:
    """A representative point of a part of a country (``"west"``), from admin-1 polygons."""
    key = direction.lower().replace("-", "").replace("ern", "")
    if regions is not None and country and len(regions):
        cache_key = (id(regions), len(regions), country, key)
        if cache_key not in _REGION_POINTS:
            sub = regions[regions["country"] == country]
            _REGION_POINTS[cache_key] = _sector_point(sub, key) if len(sub) else None
        point = _REGION_POINTS[cache_key]
        if point is not None:
            return point
    if fallback is not None:
        return fallback.lat, fallback.lon
    return None


_REGION_POINTS: dict[tuple, tuple[float, float] | None] = {}


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


def dominant_country(places: list[Place]) -> str | None:
    counts: dict[str, int] = {}
    for p in places:
        if p.country:
            counts[p.country] = counts.get(p.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def anaphora(s_text: str, s0: int, rplaces: list[Place], home: str | None = None) -> list[Place]:
    """Places that "the city", "the provincial capital" stand for: in the country the report
    is about (a city abroad named in passing is not it), the one named most often so far,
    the latest of equals."""
    out = []
    for m in _ANAPHORA_RE.finditer(s_text):
        start = s0 + m.start()
        wants = ("province",) if m.group(0).lower().endswith("province") else ("city", "town")
        prior = [p for p in rplaces if p.end <= start and p.kind in wants and not p.via]
        prior = [p for p in prior if p.country == home] or prior
        if not prior:
            continue
        in_sentence = [p for p in prior if p.start >= s0]
        if in_sentence:  # "In Herat, ... the edge of the city": the sentence's own town
            ref = in_sentence[-1]
        else:  # the story's city: the one named most often so far, the latest of equals
            named = Counter(p.source for p in prior)
            ref = max(enumerate(prior), key=lambda ip: (named[ip[1].source], ip[0]))[1]
        out.append(
            Place(
                start,
                s0 + m.end(),
                ref.name,
                ref.kind,
                ref.country,
                ref.admin1,
                ref.iso,
                ref.lat,
                ref.lon,
                ref.source,
                ref.capital or "capital" in m.group(0).lower(),
                via=m.group(0),
            )
        )
    return out


def regions_in(
    s_text: str,
    s0: int,
    s_places: list[Place],
    country: str | None,
    regions: gpd.GeoDataFrame | None,
) -> list[Place]:
    out = []
    countries = [p for p in s_places if p.kind == "country"]
    # "western Afghanistan": a direction word right before a country mention
    for c in countries:
        m = re.search(
            rf"(?:\b(?:much|most|parts?|all) of )?\b(?P<dir>{_DIR})\s+$",
            s_text[: c.start - s0],
            re.I,
        )
        place = _region_place(m["dir"], c.country, s0 + m.start(), c.end, regions, c) if m else None
        if place is not None:
            out.append(place)
    for m in _BARE_REGION_RE.finditer(s_text):
        if any(p.start <= s0 + m.start() < p.end for p in out):
            continue
        ref = next((c for c in countries if c.country == country), None)
        place = _region_place(m["dir"], country, s0 + m.start(), s0 + m.end(), regions, ref)
        if place is not None:
            out.append(place)
    return out


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
