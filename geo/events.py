"""Events in ACLED's terms: what happened, where, when, who did it, who says so.

:func:`event_mentions` reads every sentence of every report against the word
rules in ``data/event_rules.csv`` (documented in ``docs/events.md``) and the
places :func:`geo.geoparse.find_places` found there. One row per event *as told
by one sentence* (a version). :func:`merge_events` turns versions of the same
event (same type, within ``distance_km`` and ``window_days``) into one event with
``sources_count`` and the ids of every report; :func:`extract_events` does both.

How a sentence becomes an event:

* a rule's words (the trigger) give ``event_type`` and ``sub_event_type``;
* the place is the sentence's place mention the rule points at (the object of
  "captured", the nearest place for "fighting"); "the city" or "the provincial
  capital" stand for the town of the report's country named most often so far
  (the latest of equals); a region phrase ("western
  Afghanistan", "much of the north") is kept as a region at precision 3;
* ``actor1`` is the actor named before the trigger (or after "to"/"by" for "fell
  to", "captured by"), else the first actor of the nearest sentence before that
  names one (``flags`` says so);
* :func:`geo.dates.resolve_date` dates it; :func:`claim_status` reads the wording.

A sentence whose only place is a whole country is not an event (ACLED codes
events at admin-1 or finer); a sentence with no place at all is not one either.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.actors import ActorMention, ActorTable, country_name, load_actors
from geo.dates import resolve_date
from geo.reports import Report
from geo.text import sentence_spans

__all__ = [
    "ACLED_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_RULES_CSV",
    "EVENT_TYPES",
    "EventRule",
    "EventWarning",
    "claim_status",
    "event_mentions",
    "extract_events",
    "load_event_rules",
    "merge_events",
    "to_acled",
]

EVENT_RULES_CSV = __import__("geo.resources").resources.data_path("event_rules.csv")
EVENT_TYPES = (
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
)
EFFECTS = ("capture", "fight", "repel", "talks", "withdraw", "none")
EVENT_COLUMNS = [
    "event_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "host",
    "side1",
    "side2",
    "country",
    "admin1",
    "iso_3166_2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "claim_status",
    "sources_count",
    "report",
    "start",
    "end",
    "url",
    "sentence_start",
    "sentence_end",
    "reports",
    "sources",
    "date_origin",
    "effect",
    "target",
    "capital",
    "place_kind",
    "place_source",
    "flags",
]
# ACLED's export names for the columns we share (CSV output).
ACLED_COLUMNS = {
    "event_id": "event_id_cnty",
    "event_date": "event_date",
    "time_precision": "time_precision",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "actor1": "actor1",
    "assoc_actor_1": "assoc_actor_1",
    "actor2": "actor2",
    "country": "country",
    "iso_3166_2": "iso_3166_2",
    "admin1": "admin1",
    "location": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": "geo_precision",
    "source": "source",
    "notes": "notes",
    "claim_status": "claim_status",
    "sources_count": "sources_count",
    "report": "report",
    "start": "start",
    "end": "end",
    "url": "url",
}

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
_HEDGE_BEFORE_RE = re.compile(
    r"\b(?:would|could|might|may|if|fears?|feared|threat(?:en(?:s|ed)?)?|plans? to|planned to|"
    r"intends? to|aims? to|expected to|tried to|try to|attempts? to|attempted to|bid to|risk of|"
    r"not|never|no)\b[^,;]*$|\bto\s*$"
    # "after the fall of X", "since the capture of X": a past event told as a reference
    r"|\b(?:after|since|before|until|following)\s+(?:the|its|their)\s+$",
    re.I,
)
# "the September 11 attacks", "the 9/11 attacks": a name of a past event, not an event.
_NAMED_BEFORE_RE = re.compile(
    r"(?:\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+\d{1,2}|\b\d{1,2}/\d{1,2})\s*$",
    re.I,
)
_HEDGE_AFTER_RE = re.compile(r"^[^,;.]{0,40}?\b(?:would|could|might)\b", re.I)
_NEAR_RE = re.compile(
    r"\b(?:near|outside|close to|around|outskirts of|"
    r"(?:north|south|east|west)(?:-?(?:east|west))? of)\s+(?:the\s+)?$",
    re.I,
)
_DENIED_RE = re.compile(
    r"\b(?:den(?:y|ied|ies|ial)|rejected (?:the |that )?claims?|dismissed (?:the )?claims?"
    r"|false|untrue|not true|refuted)\b",
    re.I,
)
_UNVERIFIED_RE = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|unverified|unconfirmed"
    r"|(?:could|can)(?:not|n't| not) be (?:independently )?(?:verified|confirmed)"
    r"|not (?:been )?(?:independently )?(?:verified|confirmed)"
    r"|according to (?:the )?(?:taliban|militants|insurgents|the group))\b",
    re.I,
)
_SAID_RE = re.compile(
    r"\b(?:said|says|claimed|claims|announced|tweeted|posted|stated|told|wrote)\b", re.I
)


class EventWarning(UserWarning):
    """A data problem in the event stage that does not stop it (e.g. a report with no date)."""


@dataclass(frozen=True)
class EventRule:
    """One row of ``data/event_rules.csv``."""

    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str
    effect: str
    place: str
    actor: str
    actor_kinds: frozenset[str]
    note: str


def load_event_rules(path: str | Path | None = None) -> list[EventRule]:
    """Read the word rules (``data/event_rules.csv`` unless another file is given).

    Raises
    ------
    ValueError
        A missing column, an event type outside ACLED's six, an unknown effect or a bad regex.

    Examples
    --------
    >>> rules = load_event_rules()
    >>> sorted({r.event_type for r in rules}) == sorted(EVENT_TYPES)
    True
    """
    return list(_rules_cached(str(path or EVENT_RULES_CSV)))


@lru_cache(maxsize=8)
def _rules_cached(path: str) -> tuple[EventRule, ...]:
    rules = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {
            "pattern",
            "event_type",
            "sub_event_type",
            "effect",
            "place",
            "actor",
            "actor_kinds",
            "note",
        }
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)!r}")
        for lineno, row in enumerate(reader, start=2):
            where = f"{path}:{lineno}"
            if row["event_type"] not in EVENT_TYPES:
                raise ValueError(
                    f"{where}: event_type {row['event_type']!r} is not one of {EVENT_TYPES}"
                )
            if row["effect"] not in EFFECTS:
                raise ValueError(f"{where}: effect {row['effect']!r} is not one of {EFFECTS}")
            if row["place"] not in ("near", "object") or row["actor"] not in ("before", "after"):
                raise ValueError(f"{where}: place must be near/object and actor before/after")
            try:
                pattern = re.compile(rf"(?<![\w-])(?:{row['pattern']})(?![\w-])", re.I)
            except re.error as err:
                raise ValueError(f"{where}: bad pattern {row['pattern']!r}: {err}") from err
            kinds = frozenset(k.strip() for k in row["actor_kinds"].split(",") if k.strip())
            rules.append(
                EventRule(
                    pattern,
                    row["event_type"],
                    row["sub_event_type"],
                    row["effect"],
                    row["place"],
                    row["actor"],
                    kinds,
                    row["note"],
                )
            )
    return tuple(rules)


def claim_status(sentence: str, actors: Sequence[ActorMention] = ()) -> str:
    """``reported``, ``claimed`` or ``denied``, from the wording of a sentence.

    ``denied`` when someone denies it ("officials denied"); ``claimed`` when only a
    party says so ("the Taliban said they had captured", "could not be independently
    verified"); otherwise ``reported``.

    Examples
    --------
    >>> claim_status("Officials denied that the town had fallen.")
    'denied'
    >>> claim_status("The claim could not be independently verified.")
    'claimed'
    >>> claim_status("The town fell on Monday.")
    'reported'
    """
    if _DENIED_RE.search(sentence):
        return "denied"
    if _UNVERIFIED_RE.search(sentence):
        return "claimed"
    if not actors:
        from geo.actors import find_actors

        actors = find_actors(sentence)
    for said in _SAID_RE.finditer(sentence):
        # the speaker: the nearest actor before the verb, not across a quotation mark
        speakers = [a for a in actors if a.end <= said.start() and said.start() - a.end <= 40]
        quoted = speakers and re.search(r"[\"“”]", sentence[speakers[-1].end : said.start()])
        if speakers and speakers[-1].kind == "non_state" and not quoted:
            return "claimed"
    return "reported"


@dataclass
class _Place:
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


def _row_place(row: dict, text: str) -> _Place:
    cap = False
    for col in ("capital", "seat"):
        v = row.get(col)
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and bool(v):
            cap = True
    return _Place(
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


def _chain(
    first: _Place, ordered: list[_Place], s_text: str, s0: int, forward: bool
) -> list[_Place]:
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


def _pick_place(
    rule: EventRule, s_text: str, s0: int, t0: int, t1: int, places: list[_Place]
) -> list[tuple[_Place, str]]:
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
    country: str | None, direction: str, regions: gpd.GeoDataFrame | None, fallback: _Place | None
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


def _dominant_country(places: list[_Place]) -> str | None:
    counts: dict[str, int] = {}
    for p in places:
        if p.country:
            counts[p.country] = counts.get(p.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _event_id(report: str, start: int, place_start: int, rule: EventRule) -> str:
    key = f"{report}:{start}:{place_start}:{rule.sub_event_type}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return f"ev-{digest}"


def _places_by_report(places: pd.DataFrame) -> dict[str, list[dict]]:
    if places is None or len(places) == 0:
        return {}
    cols = [
        c
        for c in (
            "report",
            "start",
            "end",
            "mention",
            "name",
            "kind",
            "country",
            "admin1",
            "iso_3166_2",
            "lat",
            "lon",
            "source",
            "capital",
            "seat",
        )
        if c in places.columns
    ]
    frame = pd.DataFrame(places[cols])
    out: dict[str, list[dict]] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(str(rec["report"]), []).append(rec)
    return out


def event_mentions(
    reports: Iterable[Report],
    places: pd.DataFrame,
    *,
    rules: Sequence[EventRule] | None = None,
    actors: ActorTable | None = None,
    regions: gpd.GeoDataFrame | None = None,
    seats: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Every event as told by each sentence: one row per version.

    Parameters
    ----------
    reports : iterable of Report
    places : DataFrame
        The places table of :func:`geo.geoparse.find_places` for these reports
        (columns ``report``, ``start``, ``end``, ``name``, ``kind``, ``country``,
        ``admin1``, ``iso_3166_2``, ``lat``, ``lon``, ``source``; ``capital`` or
        ``seat`` when the gazetteer knows the place is a regional capital).
    rules : list of EventRule, optional
        Word rules (default :func:`load_event_rules`).
    actors : ActorTable, optional
        Actor rules (default :func:`geo.actors.load_actors`).
    regions : GeoDataFrame, optional
        Admin-1 polygons, to place region phrases ("western Afghanistan") at a
        representative point of that part of the country.
    seats : iterable of str, optional
        Gazetteer ``source`` ids of regional capitals, used when ``places`` has no
        ``capital``/``seat`` column; by default the embedded gazetteer's ``seat`` flag.
        A place the report itself calls "the capital" or "the provincial capital" is a
        capital too.

    Returns
    -------
    GeoDataFrame
        :data:`EVENT_COLUMNS` plus ``geometry`` (EPSG:4326); ``event_id`` is the version's id
        and ``sources_count`` is 1.

    Warns
    -----
    EventWarning
        For a report without a date: its events keep ``event_date`` missing.
    """
    rules = list(rules) if rules is not None else load_event_rules()
    table = actors or load_actors()
    by_report = _places_by_report(places)
    if seats is None and not {"capital", "seat"} & set(getattr(places, "columns", ())):
        seats = _gazetteer_seats()
    seat_set = frozenset(seats or ())
    any_trigger = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in rules), re.I)
    rows: list[dict] = []
    undated: list[str] = []
    for report in reports:
        text = report.text
        rplaces = [_row_place(rec, text) for rec in by_report.get(report.id, [])]
        rplaces.sort(key=lambda p: p.start)
        capital_sources = {p.source for p in rplaces if p.capital and p.source} | seat_set
        for p in rplaces:
            p.capital = p.capital or (p.source in capital_sources)
        home = _dominant_country([p for p in rplaces if p.kind != "country"]) or _dominant_country(
            rplaces
        )
        prev_actor: ActorMention | None = None
        n_before = len(rows)
        for s0, s1 in sentence_spans(text):
            s_text = text[s0:s1]
            s_places = [p for p in rplaces if s0 <= p.start < s1]
            country = _dominant_country([p for p in s_places if p.kind != "country"]) or home
            s_actors = table.find(s_text, country=country)
            if not any_trigger.search(s_text):
                prev_actor = _first_actor(s_actors) or prev_actor
                continue
            cands = [p for p in s_places if p.kind != "country"]
            cands += _anaphora(s_text, s0, rplaces, home)
            cands += _regions(s_text, s0, s_places, country, regions)
            rows.extend(
                _sentence_events(report, s_text, s0, s1, cands, s_actors, prev_actor, rules, table)
            )
            prev_actor = _first_actor(s_actors) or prev_actor
        if report.date is None and len(rows) > n_before:
            undated.append(report.id)
    if undated:
        warnings.warn(
            f"{len(undated)} report(s) have no date, so their events have no event_date "
            f"(date_origin 'none'): {', '.join(undated[:5])}{' ...' if len(undated) > 5 else ''}",
            EventWarning,
            stacklevel=2,
        )
    return _frame(rows)


@lru_cache(maxsize=1)
def _gazetteer_seats() -> frozenset[str]:
    from geo.gazetteer import default_gazetteer

    rec = default_gazetteer().records
    if "seat" not in rec.columns:
        return frozenset()
    return frozenset(rec.loc[rec["seat"].astype(bool), "source"].astype(str))


def _first_actor(actors: Sequence[ActorMention]) -> ActorMention | None:
    return next((a for a in actors if a.kind not in ("civilians", "host")), None)


def _anaphora(s_text: str, s0: int, rplaces: list[_Place], home: str | None = None) -> list[_Place]:
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
            _Place(
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


def _regions(
    s_text: str,
    s0: int,
    s_places: list[_Place],
    country: str | None,
    regions: gpd.GeoDataFrame | None,
) -> list[_Place]:
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


def _region_place(direction, country, start, end, regions, ref) -> _Place | None:
    point = _region_point(country, direction, regions, ref)
    if point is None:
        return None
    word = direction.lower().replace("-", "")
    word = word if word.endswith(("ern", "central")) else word + "ern"
    name = f"{word.capitalize()} {country_name(country)}"
    return _Place(
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


def _pick_actors(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    country: str | None = None,
) -> tuple[ActorMention | None, ActorMention | None, list[ActorMention], str]:
    a0, a1 = t0 - s0, t1 - s0
    before = [a for a in s_actors if a.end <= a0 and a.kind != "host"]
    after = [a for a in s_actors if a.start >= a1 and a.kind != "host"]
    flags = ""
    actor1 = None
    # "captured by X", "fell to X": the agent comes after the verb
    for a in after:
        between = s_text[a1 : a.start]
        if len(between) <= 40 and re.search(r"\b(?:to|by)\s+(?:the\s+)?$", between, re.I):
            if rule.actor == "after" or re.search(r"\bby\s+(?:the\s+)?$", between, re.I):
                actor1 = a
            break
    if actor1 is None and before and rule.actor == "before":
        # the nearest actor before the trigger, not across a ";" or ":"
        clause = [a for a in before if not re.search(r"[;:]", s_text[a.end : a0])]
        actor1 = clause[-1] if clause else before[-1]
    allies: list[ActorMention] = []
    if actor1 is not None and actor1 in before:
        # "US and NATO forces": the first of a pair is actor1, the others its allies
        k = before.index(actor1)
        while k > 0 and re.fullmatch(
            r"\s*(?:,|and|,\s*and)\s*", s_text[before[k - 1].end : before[k].start]
        ):
            k -= 1
        chain = before[k : before.index(actor1) + 1]
        actor1, allies = chain[0], [a for a in chain[1:] if a.actor != chain[0].actor]
    if actor1 is None and prev_actor is not None:
        actor1, flags = prev_actor, "actor1 from an earlier sentence"
        foreign = country is not None and country_name(country) not in actor1.actor
        if actor1.kind == "state" and rule.effect == "capture" and foreign:
            actor1, flags = None, "no actor named"  # a foreign state as captor: not by context
    actor2 = None
    others = [a for a in s_actors if a is not actor1 and a not in allies and a.kind != "host"]
    if actor1 is not None:
        others = [a for a in others if a.side != actor1.side]
    if others:
        actor2 = min(others, key=lambda a: abs(a.start - a1))
    return actor1, actor2, allies, flags


def _sentence_events(
    report: Report,
    s_text: str,
    s0: int,
    s1: int,
    cands: list[_Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    rules: Sequence[EventRule],
    table: ActorTable,
) -> list[dict]:
    taken: list[tuple[int, int]] = []
    out: list[dict] = []
    seen: set[tuple] = set()
    status = claim_status(s_text, s_actors)
    for rule in rules:
        for m in rule.pattern.finditer(s_text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if any(a.start <= m.start() < a.end for a in s_actors):
                continue  # "fighters" is an actor, not a fight
            taken.append(m.span())
            t0, t1 = s0 + m.start(), s0 + m.end()
            clause = re.split(r"[,;:]", s_text[: m.start()])[-1]
            if _HEDGE_BEFORE_RE.search(clause) or _NAMED_BEFORE_RE.search(clause):
                continue
            if rule.effect == "capture" and _HEDGE_AFTER_RE.match(s_text[m.end() :]):
                continue
            picked = _pick_place(rule, s_text, s0, t0, t1, cands)
            if not picked:
                continue
            actor1, actor2, allies, flags = _pick_actors(
                rule, s_text, s0, t0, t1, s_actors, prev_actor, picked[0][0].country
            )
            if rule.actor_kinds and (actor1 is None or actor1.kind not in rule.actor_kinds):
                continue
            for place, target in picked:
                sub = rule.sub_event_type
                etype = rule.event_type
                if rule.effect == "capture" and actor1 is not None:
                    sub = (
                        "Government regains territory"
                        if actor1.kind == "state"
                        else "Non-state actor overtakes territory"
                    )
                if (
                    etype == "Battles"
                    and rule.effect in ("fight",)
                    and actor2 is not None
                    and actor2.kind == "civilians"
                ):
                    etype, sub = "Violence against civilians", "Attack"
                assoc = "; ".join(dict.fromkeys(a.actor for a in allies)) or None
                host_name = None
                if rule.effect == "talks":
                    host = table.host(place.country)
                    if host is not None and host.actor not in {
                        a.actor for a in (actor1, actor2) if a
                    }:
                        host_name = host.actor
                key = (etype, sub, place.source or place.name, target)
                if key in seen:
                    continue
                seen.add(key)
                when = resolve_date(s_text, report.date, anchor=m.start())
                geo_precision = {"province": 3, "region": 3, "country": 3}.get(place.kind, 1)
                pre = s_text[max(0, place.start - s0 - 25) : place.start - s0]
                if geo_precision == 1 and (
                    _NEAR_RE.search(pre) or (target == "part" and rule.effect == "capture")
                ):
                    geo_precision = 2
                fl = [
                    f
                    for f in (
                        flags,
                        f"location from {place.via!r}"
                        if place.via and place.via != "region"
                        else "",
                    )
                    if f
                ]
                if when.origin in ("none", "unresolved", "invalid"):
                    said = f": {when.expression!r}" if when.expression else ""
                    fl.append(f"no event date ({when.origin}{said})")
                out.append(
                    {
                        "event_id": _event_id(report.id, t0, place.start, rule),
                        "event_date": pd.Timestamp(when.date) if when.date else pd.NaT,
                        "time_precision": when.precision,
                        "event_type": etype,
                        "sub_event_type": sub,
                        "actor1": actor1.actor if actor1 else None,
                        "assoc_actor_1": assoc,
                        "actor2": actor2.actor if actor2 else None,
                        "host": host_name,
                        "side1": actor1.side if actor1 else None,
                        "side2": actor2.side if actor2 else None,
                        "country": place.country,
                        "admin1": place.admin1,
                        "iso_3166_2": place.iso,
                        "location": place.name,
                        "latitude": place.lat,
                        "longitude": place.lon,
                        "geo_precision": geo_precision,
                        "source": report.source,
                        "notes": s_text,
                        "claim_status": status,
                        "sources_count": 1,
                        "report": report.id,
                        "start": t0,
                        "end": t1,
                        "url": report.url,
                        "sentence_start": s0,
                        "sentence_end": s1,
                        "reports": report.id,
                        "sources": report.source or "",
                        "date_origin": when.origin
                        + (f": {when.expression}" if when.expression else ""),
                        "effect": rule.effect,
                        "target": target if rule.effect in ("capture", "withdraw") else None,
                        "capital": bool(place.capital),
                        "place_kind": place.kind,
                        "place_source": place.source,
                        "flags": "; ".join(fl) or None,
                    }
                )
    # "a suicide bomber attacked": the attack is the bombing, not a second event
    bombed = {
        r["place_source"] or r["location"]
        for r in out
        if r["event_type"] == "Explosions/Remote violence"
    }
    return [
        r
        for r in out
        if not (r["effect"] == "fight" and (r["place_source"] or r["location"]) in bombed)
    ]


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    df["event_date"] = pd.to_datetime(df["event_date"])
    for col in (
        "time_precision",
        "geo_precision",
        "sources_count",
        "start",
        "end",
        "sentence_start",
        "sentence_end",
    ):
        df[col] = df[col].astype("Int64")
    df["capital"] = df["capital"].astype(bool)
    df["latitude"] = df["latitude"].astype(float)
    df["longitude"] = df["longitude"].astype(float)
    return gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326"
    )


def _haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


_CLAIM_ORDER = {"reported": 0, "claimed": 1, "denied": 2}


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
        empty = _frame([])
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
            if _haversine_km(la, lo, lat[i], lon[i]) <= distance_km:
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
            lambda s: tuple(sorted(set(s), key=lambda c: _CLAIM_ORDER.get(c, 9))),
        ),
    )
    events = rep.drop(columns=["sources_count", "reports", "sources"]).join(agg, on="_group")
    events["claim_status"] = events["_claims"].map(_merge_claims)
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


def _merge_claims(claims: tuple[str, ...]) -> str:
    if "reported" in claims and "denied" not in claims:
        return "reported"
    if claims == ("denied",):
        return "denied"
    return "claimed"


def extract_events(
    reports: Iterable[Report],
    places: pd.DataFrame,
    *,
    rules: Sequence[EventRule] | None = None,
    actors: ActorTable | None = None,
    regions: gpd.GeoDataFrame | None = None,
    seats: Iterable[str] | None = None,
    window_days: int = 2,
    distance_km: float = 25.0,
    versions: bool = False,
) -> gpd.GeoDataFrame | tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Events of a set of reports, each merged across the reports that tell it.

    Parameters
    ----------
    reports : iterable of Report
    places : DataFrame
        The places table (:func:`geo.geoparse.find_places`) of the same reports.
    rules, actors, regions, seats
        See :func:`event_mentions`.
    window_days, distance_km
        See :func:`merge_events`.
    versions : bool
        Also return the table of every report's version of each event.

    Returns
    -------
    GeoDataFrame, or (GeoDataFrame, DataFrame) with ``versions=True``
        One row per event, :data:`EVENT_COLUMNS` and a Point ``geometry`` in EPSG:4326.

    Examples
    --------
    >>> from geo.reports import report_from_text
    >>> r = report_from_text("date: 2021-07-07\\n\\nFighting broke out in Townsville on Monday.")
    >>> start = r.text.index("Townsville")
    >>> places = pd.DataFrame([{"report": r.id, "start": start, "end": start + 10,
    ...     "name": "Townsville", "kind": "town", "country": "AF", "admin1": "Somewhere",
    ...     "iso_3166_2": "AF-XX", "lat": 35.0, "lon": 63.0, "source": "test:1"}])
    >>> ev = extract_events([r], places)
    >>> ev.loc[0, ["event_type", "sub_event_type", "location"]].tolist()
    ['Battles', 'Armed clash', 'Townsville']
    >>> str(ev.loc[0, "event_date"].date()), int(ev.loc[0, "time_precision"])
    ('2021-07-05', 1)
    """
    mentions = event_mentions(
        reports, places, rules=rules, actors=actors, regions=regions, seats=seats
    )
    events, table = merge_events(mentions, window_days=window_days, distance_km=distance_km)
    return (events, table) if versions else events


def to_acled(events: pd.DataFrame) -> pd.DataFrame:
    """The events with ACLED's column names and values, for a CSV export.

    ``country`` becomes the country's name, ``event_date`` ``YYYY-MM-DD``; columns
    without an ACLED counterpart keep their names after the ACLED ones.
    """
    out = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).copy()
    out["country"] = out["country"].map(lambda c: country_name(c) if isinstance(c, str) else None)
    out["event_date"] = pd.to_datetime(out["event_date"]).dt.strftime("%Y-%m-%d")
    first = [c for c in ACLED_COLUMNS if c in out.columns]
    rest = [c for c in out.columns if c not in ACLED_COLUMNS]
    return out[first + rest].rename(columns=ACLED_COLUMNS)
