"""Which place an event is about: the verb's object, a list, "the city", a region."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.actors import country_name
from geo.events.rules import EventRule
from geo.prefilter import fold

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
# "the city", "the provincial capital", "The Shiite-majority town", "the IS-held city's":
# up to three modifiers (lower-case or hyphenated words) between "the" and the noun.
_MODIFIER = r"(?:(?!(?:the|a|an|and|or|of|in|on|at|to|by|from|with|into)\s)(?:[a-z][\w'’]*|[\w'’]+-[\w'’-]+)\s+)"
_ANAPHORA_RE = re.compile(
    rf"\b[Tt]he {_MODIFIER}{{0,3}}?(?:(?:provincial |regional |district )?capital|city|town"
    r"|provincial cent(?:re|er)|province)\b(?!\s+(?:hall|council|centre|center)\b)"
    r"(?!\s+of\s+(?:the\s+)?[A-Z])"
)
# "the capital of Nineveh province", "the capital of the northern province of Nineveh"
_CAPITAL_OF_RE = re.compile(
    r"\bcapital\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:(?:province|region|state|governorate|oblast)\s+of\s+)?$",
    re.I,
)
# "in the northern province of Nineveh", "in Nineveh province": a place that contains the
# subject, not the subject ("the town in the province of X fell": the town fell).
_CONTAINER_BEFORE_RE = re.compile(
    r"\b(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:province|region|state|governorate|oblast|district)\s+of\s+$",
    re.I,
)
# "the Kunduz airport", "Slovyansk city-council building": a part of the place, not all of it
_FACILITY_AFTER_RE = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+)?(?:airport|air ?base|air ?field|base|building|headquarters"
    r"|compound|prison|palace|barracks|checkpoints?|cent(?:re|er)|outskirts|suburbs?"
    r"|neighbou?rhoods?|bridge|dam|refinery|fortress|port|hospital|university|market"
    r"|garrison|district cent(?:re|er))\b",
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
    admin2: str | None = None  # the district, where the country has an admin-2 file


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
        admin2=_str_or_none(row.get("admin2")),
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
    # both expressions need the word "capital": a substring test first
    after, before = text[end : end + 40], text[max(0, start - 50) : start]
    return bool(
        ("capital" in fold(after) and _CAPITAL_AFTER_RE.match(after))
        or ("capital" in fold(before) and _CAPITAL_BEFORE_RE.search(before))
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


def _tag(rule: EventRule, gap: str, p: Place, s_text: str, s0: int) -> str:
    """``whole`` when the words between the verb and the place leave the place itself taken."""
    whole = set(_gap_words(gap)) <= _WHOLE_GAP and p.kind != "country"
    if rule.partial or _FACILITY_AFTER_RE.match(s_text[p.end - s0 : p.end - s0 + 40]):
        whole = False
    return "whole" if whole else "part"


def _as_capital(p: Place, s_text: str, s0: int, seat_of: SeatLookup | None) -> Place | None:
    """The capital of a province the text names as "the capital of X province"."""
    if seat_of is None or p.kind != "province" or not p.iso:
        return None
    if not _CAPITAL_OF_RE.search(s_text[max(0, p.start - s0 - 60) : p.start - s0]):
        return None
    seat = seat_of(p.iso)
    if seat is None:
        return None
    return Place(
        p.start,
        p.end,
        seat.name,
        seat.kind,
        seat.country,
        p.admin1,
        seat.iso,
        seat.lat,
        seat.lon,
        seat.source,
        True,
        via="capital of " + p.name,
    )


def _container(p: Place, s_text: str, s0: int) -> bool:
    """True for "(the town) in the northern province of X": X holds the subject."""
    before = s_text[max(0, p.start - s0 - 60) : p.start - s0]
    return bool(_CONTAINER_BEFORE_RE.search(before)) or (
        p.kind == "province"
        and bool(re.match(r"^\s+(?:province|region|governorate)\b", s_text[p.end - s0 :], re.I))
        and bool(re.search(r"\bin\s+(?:the\s+)?$", before, re.I))
    )


SeatLookup = Callable[[str], "Place | None"]


def _object_after(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    ordered: list[Place],
    after: list[Place],
    before: list[Place],
    seat_of: SeatLookup | None,
) -> list[tuple[Place, str]]:
    for p in after[:1]:
        gap = s_text[t1 - s0 : p.start - s0]
        if rule.effect == "withdraw" and re.search(r"\b(?:to|towards?|into|for)\b", gap, re.I):
            break  # "fled to a camp in X": X is where they went, not what they left
        if len(gap) <= 60 and "," not in gap:
            cap = _as_capital(p, s_text, s0, seat_of)
            if cap is not None:
                return [(cap, "part" if rule.partial else "whole")]
            tag = _tag(rule, gap, p, s_text, s0)
            return [(q, tag) for q in _chain(p, ordered, s_text, s0, True)]
    return []


# ", a town west of X, was": an appositive between the subject and its verb
_APPOSITION_GAP_RE = re.compile(
    r"^\s*,\s*(?:(?:was|were|has|had|have|is|are|been|also)\s+)*$", re.I
)
_LEAD_APPOSITIVE_RE = re.compile(r",\s*(?:the|a|an)\s+[^,;]{0,60}$", re.I)


def _object_before(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    ordered: list[Place],
    after: list[Place],
    before: list[Place],
    seat_of: SeatLookup | None,
) -> list[tuple[Place, str]]:
    for k, p in enumerate(before[:2]):
        gap = s_text[p.end - s0 : t0 - s0]
        if k == 0 and _container(p, s_text, s0) and len(before) > 1:
            # "The town in the province of X fell": the subject is the place before X
            q = before[1]
            lead = _CONTAINER_BEFORE_RE.search(s_text[: p.start - s0])
            cut = lead.start() if lead else p.start - s0
            between = s_text[q.end - s0 : cut]
            if len(between) <= 40 and len(gap) <= 60:
                return [(q, _tag(rule, between, q, s_text, s0))]
        if k > 0:
            break
        # "Sheberghan, the capital of Jowzjan, fell", "Tal Afar, a town west of Mosul, was
        # taken": the subject is before the appositive
        lead = _APPOSITIVE_RE.search(s_text[: p.start - s0]) or _LEAD_APPOSITIVE_RE.search(
            s_text[: p.start - s0]
        )
        if lead and _APPOSITION_GAP_RE.fullmatch(gap):
            head = [q for q in before if q.end - s0 <= lead.start()]
            if head and len(s_text[head[0].end - s0 : lead.start()].strip()) == 0:
                p = head[0]
                gap = ""
        # "X was shelled for days and fell": an intransitive verb's subject may be further
        reach = 60 if rule.actor == "after" and not re.search(r"[,;:]", gap) else 40
        if len(gap) <= reach:
            tag = _tag(rule, gap, p, s_text, s0)
            return [(q, tag) for q in _chain(p, ordered, s_text, s0, False)]
    return []


def pick_place(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    places: list[Place],
    seat_of: SeatLookup | None = None,
) -> list[tuple[Place, str]]:
    """The places a trigger at ``t0:t1`` (report offsets) reports on, each ``whole``/``part``.

    ``seat_of`` maps an ISO 3166-2 code to the region's capital, for "the capital of X
    province" (the capital is taken, not the province).
    """
    if not places:
        return []
    ordered = sorted(places, key=lambda p: p.start)
    after = [p for p in ordered if p.start >= t1]
    before = [p for p in ordered if p.end <= t0][::-1]
    if rule.place == "object":
        # "X fell", "X is under rebel control": the subject comes first; "the fall of X"
        # and transitive verbs ("captured X") look after the words first
        subject_first = rule.actor == "after" and not re.search(
            r"\bof$", s_text[t0 - s0 : t1 - s0], re.I
        )
        look = (_object_before,) if subject_first else (_object_after, _object_before)
        for find in look:
            got = find(rule, s_text, s0, t0, t1, ordered, after, before, seat_of)
            if got:
                return got
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


class Story:
    """The places a report has named so far, for "the city" (each place is added once).

    For each kind of referent (towns, provinces) it keeps the place named most often
    so far, the latest of equals, both in the report's home country and anywhere, so a
    report of any length is read in linear time.
    """

    _GROUPS: ClassVar[dict[str, str]] = {"city": "town", "town": "town", "province": "province"}

    def __init__(self, places: list[Place], home: str | None) -> None:
        self.places = places  # sorted by start
        self.home = home
        self._k = 0
        self._count: Counter[str] = Counter()
        # (group, home only) -> (count, order, place)
        self._best: dict[tuple[str, bool], tuple[int, int, Place]] = {}

    def advance(self, offset: int) -> None:
        """Take in every place that ends at or before ``offset``."""
        while self._k < len(self.places) and self.places[self._k].end <= offset:
            p = self.places[self._k]
            group = self._GROUPS.get(p.kind)
            if group is not None and not p.via:
                key = p.source or p.name
                self._count[key] += 1
                c = self._count[key]
                for home_only in (False, True):
                    if home_only and p.country != self.home:
                        continue
                    best = self._best.get((group, home_only))
                    if best is None or c >= best[0]:
                        self._best[(group, home_only)] = (c, self._k, p)
            self._k += 1

    def best(self, group: str) -> Place | None:
        """The referent of "the city" (``group="town"``) or "the province"."""
        got = self._best.get((group, True)) or self._best.get((group, False))
        return got[2] if got else None


def anaphora(
    s_text: str,
    s0: int,
    story: Story,
    s_places: list[Place],
    heading: Place | None = None,
) -> list[Place]:
    """Places that "the city", "the provincial capital" stand for.

    The town named earlier in the same sentence ("In Herat, ... the edge of the city");
    else the heading place of the sentence's entry (a factbox's "– Riverton: The town
    fell ..."); else the story's town: in the country the report is about (a city abroad
    named in passing is not it), the one named most often so far, the latest of equals.
    ``story`` must have been advanced to the sentence start.
    """
    out = []
    named_at = {p.start for p in s_places}
    for m in _ANAPHORA_RE.finditer(s_text):
        start = s0 + m.start()
        if any(s0 + m.end() + k in named_at for k in (1, 2)):
            continue  # "the capital Tripoli": the name that follows is the place
        group = "province" if m.group(0).lower().endswith("province") else "town"
        wants = ("province",) if group == "province" else ("city", "town")
        own = [p for p in s_places if p.end <= start and p.kind in wants and not p.via]
        own = [p for p in own if p.country == story.home] or own
        ref: Place | None
        if own:
            ref = own[-1]
        elif (
            heading is not None
            and (heading.kind in wants or group == "town")
            and (heading.kind != "province" or group == "province")
        ):
            ref = heading
        else:
            ref = story.best(group)
        if ref is None:
            continue
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


@lru_cache(maxsize=4096)
def seat_of(iso: str) -> Place | None:
    """The capital (gazetteer ``seat``) of the admin-1 region ``iso``, the most populous
    seat when several places carry the flag; ``None`` when the gazetteer knows none."""

    table = _seats_by_region()
    rec = table.get(iso)
    if rec is None:
        return None
    return Place(
        -1,
        -1,
        rec["name"],
        rec["kind"],
        rec["country"],
        rec["admin1"],
        iso,
        float(rec["lat"]),
        float(rec["lon"]),
        rec["source"],
        True,
    )


@lru_cache(maxsize=1)
def _seats_by_region() -> dict[str, dict]:
    from geo.gazetteer import default_gazetteer

    rec = default_gazetteer().records
    if "seat" not in rec.columns:
        return {}
    seats = rec[rec["seat"].astype(bool) & rec["kind"].isin(["city", "town"])]
    seats = seats.sort_values("population", ascending=False).drop_duplicates("iso_3166_2")
    out = {}
    for r in seats.to_dict("records"):
        out[str(r["iso_3166_2"])] = {
            "name": r["name"],
            "kind": r["kind"],
            "country": r["country"],
            "admin1": r.get("admin1_code"),
            "lat": r["lat"],
            "lon": r["lon"],
            "source": r["source"],
        }
    return out
