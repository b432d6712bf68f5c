"""Reading reports sentence by sentence into event versions."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geo.actors import ActorMention, ActorTable, country_name, load_actors
from geo.dates import EventDate, resolve_date
from geo.events.claims import claim_status
from geo.events.columns import frame
from geo.events.locate import (
    NEAR_RE,
    Place,
    SeatLookup,
    Story,
    anaphora,
    dominant_country,
    pick_place,
    regions_in,
    row_place,
    seat_of,
)
from geo.events.merge import merge_events
from geo.events.rules import EventRule, RuleMatcher, load_event_rules, rule_matcher
from geo.events.structure import Entry, Structure
from geo.reports import Report
from geo.text import sentence_spans

__all__ = ["EventWarning", "event_mentions", "extract_events"]

_HEDGE_BEFORE_RE = re.compile(
    r"\b(?:would|could|might|may|if|fears?|feared|threat(?:en(?:s|ed)?)?|plans? to|planned to|"
    r"intends? to|aims? to|expected to|tried to|try to|attempts? to|attempted to|bid to|risk of|"
    r"not|never|no)\b[^,;]*$|\bto\s*$|\btowards?\s*$"
    # "after the fall of X", "since they overran X": a past event told as a reference
    r"|\b(?:after|since|before|until|following)\s+(?:the|its|their|they|it|he|she|we)\s+$"
    # "the operation of liberating X", "the battle for X": the aim, not the outcome
    r"|\b(?:operation|campaign|offensive|battle|push|drive|effort|mission)s?\s+(?:of|to|for)\s+$",
    re.I,
)
# "the September 11 attacks", "the 9/11 attacks": a name of a past event, not an event.
_NAMED_BEFORE_RE = re.compile(
    r"(?:\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+\d{1,2}|\b\d{1,2}/\d{1,2})\s*$",
    re.I,
)
# a state of control ("under our control", "in the hands of"), not an act
_STATE_RE = re.compile(r"^(?:in|under)\b", re.I)
_AIM_RE = re.compile(
    r"(?:to|(?:operation|campaign|offensive|battle|push|drive|effort|mission)s?\s+(?:of|to|for))",
    re.I,
)
_VICTORY_RE = re.compile(r"\b(?:victory|victorious|won the (?:battle|fight)|completed)\b", re.I)
_POWER_AFTER_RE = re.compile(r"^\s+(?:power|office|the presidency)\b", re.I)
# "victory against X", "backed by X": X is not the one who acts
_NOT_AGENT_BEFORE_RE = re.compile(
    r"\b(?:against|targeting|(?:backed|supported|aided|assisted|helped)\s+by"
    r"|with the (?:help|support|backing) of)\s+[^,;.]{0,60}$",
    re.I,
)
_HEDGE_AFTER_RE = re.compile(r"^[^,;.]{0,40}?\b(?:would|could|might)\b", re.I)


class EventWarning(UserWarning):
    """A data problem in the event stage that does not stop it (e.g. a report with no date)."""


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
            "admin2",
            "lat",
            "lon",
            "source",
            "capital",
            "seat",
        )
        if c in places.columns
    ]
    # column by column (``tolist`` gives plain Python values, as ``to_dict`` would),
    # not row by row through pandas: a tenth of the time on a large table
    columns = [places[c].tolist() for c in cols]
    out: dict[str, list[dict]] = {}
    for values in zip(*columns, strict=True):
        rec = dict(zip(cols, values, strict=True))
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
    matcher = rule_matcher(tuple(rules))
    rows: list[dict] = []
    undated: list[str] = []
    for report in reports:
        n_before = len(rows)
        rows.extend(
            _report_events(report, by_report.get(report.id, []), seat_set, matcher, table, regions)
        )
        if report.date is None and len(rows) > n_before:
            undated.append(report.id)
    if undated:
        warnings.warn(
            f"{len(undated)} report(s) have no date, so their events have no event_date "
            f"(date_origin 'none'): {', '.join(undated[:5])}{' ...' if len(undated) > 5 else ''}",
            EventWarning,
            stacklevel=2,
        )
    return frame(rows)


def _report_events(
    report: Report,
    records: list[dict],
    seat_set: frozenset[str],
    matcher: RuleMatcher,
    table: ActorTable,
    regions: gpd.GeoDataFrame | None,
) -> list[dict]:
    """The event versions of one report, in time linear in its length.

    Places are indexed by offset: each sentence takes its own places by bisection on
    their sorted starts, and "the city" reads a running tally (:class:`Story`).
    """
    text = report.text
    rplaces = sorted((row_place(rec, text) for rec in records), key=lambda p: p.start)
    starts = [p.start for p in rplaces]
    capital_sources = {p.source for p in rplaces if p.capital and p.source} | seat_set
    for p in rplaces:
        p.capital = p.capital or (p.source in capital_sources)
    home = dominant_country([p for p in rplaces if p.kind != "country"]) or dominant_country(
        rplaces
    )
    structure = Structure(text)
    story = Story(rplaces, home)
    spans = _split_at(text, sentence_spans(text), [e.start for e in structure.entries])
    # actors of every sentence, then "rebels" read from the groups the report names
    found = []
    for s0, s1 in spans:
        lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
        s_places = rplaces[lo:hi]
        country = dominant_country([p for p in s_places if p.kind != "country"]) or home
        found.append((s_places, country, table.find(text[s0:s1], country=country)))
    context = _ContextActors([a for _, _, acts in found for a in acts])
    out: list[dict] = []
    prev_actor: ActorMention | None = None
    for (s0, s1), (s_places, country, raw_actors) in zip(spans, found, strict=True):
        s_text = text[s0:s1]
        s_actors = [context.resolve(a) for a in raw_actors]
        context.seen(raw_actors)
        story.advance(s0)
        # every rule's trigger words, each behind its literal gate: most sentences of a
        # long report have none and cost no more than these substring tests
        matches = matcher.matches(s_text)
        if not matches:
            prev_actor = _first_actor(s_actors) or prev_actor
            continue
        entry = structure.entry_at(s0)
        heading = _heading_place(entry, rplaces, starts)
        entry_date = (
            resolve_date(entry.date_text, report.date)
            if entry is not None and entry.date_text
            else None
        )
        cands = [p for p in s_places if p.kind != "country"]
        cands += anaphora(s_text, s0, story, s_places, heading)
        cands += regions_in(s_text, s0, s_places, country, regions)
        out.extend(
            _sentence_events(
                report,
                s_text,
                s0,
                s1,
                cands,
                s_actors,
                prev_actor,
                matches,
                table,
                _Context(heading, entry_date),
            )
        )
        prev_actor = _first_actor(s_actors) or prev_actor
    return out


@dataclass(frozen=True)
class _Context:
    heading: Place | None = None
    entry_date: EventDate | None = None


def _heading_place(entry: Entry | None, rplaces: list[Place], starts: list[int]) -> Place | None:
    if entry is None or entry.head_start < 0:
        return None
    k = bisect.bisect_left(starts, entry.head_start)
    if k < len(rplaces) and rplaces[k].start < entry.head_end and rplaces[k].kind != "country":
        return rplaces[k]
    return None


class _ContextActors:
    """ "Rebels", "militants": the armed group the report names nearest before, else first.

    A generic word for an armed group gets the name of the non-state group last named
    before it in the report, or the first one the report names at all; with none, it
    stays an unidentified armed group of the country (ACLED's naming).
    """

    def __init__(self, mentions: list[ActorMention]) -> None:
        named = [a for a in mentions if a.kind == "non_state" and not _generic(a)]
        self._first = named[0] if named else None
        self._last: ActorMention | None = None

    def seen(self, mentions: Sequence[ActorMention]) -> None:
        for a in mentions:
            if a.kind == "non_state" and not _generic(a):
                self._last = a

    def resolve(self, a: ActorMention) -> ActorMention:
        if not _generic(a):
            return a
        ref = self._last or self._first
        if ref is None:
            return a
        return replace(a, actor=ref.actor, side=ref.side)


def _generic(a: ActorMention) -> bool:
    return a.actor.startswith("Unidentified Armed Group")


@lru_cache(maxsize=1)
def _gazetteer_seats() -> frozenset[str]:
    from geo.gazetteer import default_gazetteer

    rec = default_gazetteer().records
    if "seat" not in rec.columns:
        return frozenset()
    return frozenset(rec.loc[rec["seat"].astype(bool), "source"].astype(str))


def _first_actor(actors: Sequence[ActorMention]) -> ActorMention | None:
    return next((a for a in actors if a.kind not in ("civilians", "host")), None)


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
    inside = [a for a in s_actors if a0 <= a.start and a.end <= a1 and a.kind != "host"]
    if rule.actor == "after" and inside:
        actor1 = inside[0]  # "fell into rebel hands", "under government control"
    # "captured by X", "fell to X", "in the hands of X": the agent comes after the verb
    trigger_of = bool(re.search(r"\bof$", s_text[a0:a1], re.I))
    for a in after if actor1 is None else ():
        between = s_text[a1 : a.start]
        agent = re.search(r"\b(?:to|by|into)\s+(?:the\s+)?$", between, re.I) or (
            trigger_of and re.fullmatch(r"\s*(?:the\s+)?", between)
        )
        if len(between) <= 40 and agent:
            if rule.actor == "after" or re.search(r"\bby\s+(?:the\s+)?$", between, re.I):
                actor1 = a
            break
    if actor1 is None and before and rule.actor == "before":
        # the nearest actor before the trigger, not across a ";" or ":", and not one
        # that is fought or that backs the agent ("victory against X", "backed by X")
        agents = [a for a in before if not _NOT_AGENT_BEFORE_RE.search(s_text[: a.start])]
        before = agents or before
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
        if actor1.kind == "state" and foreign:
            # a foreign state named earlier (officials across the border, hosts of talks)
            # is not the agent of a later unattributed attack or capture: not by context
            actor1, flags = None, "no actor named"
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
    cands: list[Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    matches: Sequence[tuple[EventRule, list[re.Match[str]]]],
    table: ActorTable,
    ctx: _Context | None = None,
) -> list[dict]:
    ctx = ctx or _Context()
    taken: list[tuple[int, int]] = []
    out: list[dict] = []
    seen: set[tuple] = set()
    status = claim_status(s_text, s_actors)
    for rule, rule_ms in matches:
        for m in rule_ms:
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if any(a.start <= m.start() < a.end for a in s_actors):
                continue  # "fighters" is an actor, not a fight
            taken.append(m.span())
            t0, t1 = s0 + m.start(), s0 + m.end()
            clause = re.split(r"[,;:]", s_text[: m.start()])[-1]
            hedge = _HEDGE_BEFORE_RE.search(clause)
            # "the victory in the battle to liberate X": the goal was reached
            if (
                hedge
                and _AIM_RE.fullmatch(hedge.group(0).strip())
                and _VICTORY_RE.search(s_text[: m.start()])
            ):
                hedge = None
            if hedge or _NAMED_BEFORE_RE.search(clause):
                continue
            if rule.effect == "capture" and _HEDGE_AFTER_RE.match(s_text[m.end() :]):
                continue
            if rule.effect == "capture" and _POWER_AFTER_RE.match(s_text[m.end() :]):
                continue  # "the junta that seized power in the capital": a coup, not territory
            picked = pick_place(rule, s_text, s0, t0, t1, cands, _seats_for(ctx, cands))
            if (
                not picked
                and ctx.heading is not None
                and rule.place == "object"
                and rule.effect == "capture"
                and not any(p.kind != "region" for p in cands)
            ):
                # "– Aug. 6 – RIVERTON. The rebels took over.": the entry's heading place
                picked = [(ctx.heading, "part" if rule.partial else "whole")]
            if not picked:
                continue
            actor1, actor2, allies, flags = _pick_actors(
                rule, s_text, s0, t0, t1, s_actors, prev_actor, picked[0][0].country
            )
            if rule.actor_kinds and (actor1 is None or actor1.kind not in rule.actor_kinds):
                continue
            if "non_state" in rule.actor_kinds and flags:
                continue  # a flight is told with its actor: "residents fled" is not one
            when = resolve_date(s_text, report.date, anchor=m.start())
            if when.origin == "report" and ctx.entry_date is not None:
                when = ctx.entry_date  # the entry's own date ("Sept 28: ...")
            if _historical(when, report.date):
                continue  # "seized Jerusalem in 1187": history, not news
            if (
                rule.effect == "capture"
                and _STATE_RE.search(m.group(0))
                and _quoted(s_text, m.start())
            ):
                # a party's own words that it holds a place ("the town is under our
                # control"): an answer to the other side's claim, not a change of control
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
                geo_precision = {"province": 3, "region": 3, "country": 3}.get(place.kind, 1)
                pre = s_text[max(0, place.start - s0 - 25) : place.start - s0]
                if geo_precision == 1 and (
                    NEAR_RE.search(pre) or (target == "part" and rule.effect == "capture")
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
                if (
                    when.date is not None
                    and when.precision in (1, 2)
                    and pd.isna(_timestamp(when.date))
                ):
                    fl.append(f"date out of range ({when.expression!r})")
                if when.date is not None and when.precision not in (1, 2):
                    # "in May", "in 2014": no day to put on a timeline; the words stay
                    fl.append(f"no day ({when.expression!r} names only a month or year)")
                if when.origin in ("none", "unresolved", "invalid"):
                    said = f": {when.expression!r}" if when.expression else ""
                    fl.append(f"no event date ({when.origin}{said})")
                out.append(
                    {
                        "event_id": _event_id(report.id, t0, place.start, rule),
                        "event_date": _timestamp(when.date if when.precision in (1, 2) else None),
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
                        "admin2": place.admin2,
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


def extract_events(
    reports: Report | Iterable[Report],
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
    reports : Report or iterable of Report
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
    if isinstance(reports, Report):
        reports = [reports]
    mentions = event_mentions(
        reports, places, rules=rules, actors=actors, regions=regions, seats=seats
    )
    events, table = merge_events(mentions, window_days=window_days, distance_km=distance_km)
    return (events, table) if versions else events


#: Events dated this long before their report are history told as background.
HISTORY_YEARS = 10


def _historical(when: EventDate, report_date: dt.date | None) -> bool:
    """True for an event the sentence dates long before the report ("in 1187")."""
    if report_date is None:
        return False
    if when.date is None and when.origin == "invalid" and when.expression:
        # "in 1187": before the dates geomap handles, so history if before the report
        years = re.findall(r"\b\d{4}\b", when.expression)
        return bool(years) and int(years[-1]) < report_date.year - HISTORY_YEARS
    if when.date is None or when.origin != "sentence":
        return False
    return (report_date - when.date).days > 365.25 * HISTORY_YEARS


@lru_cache(maxsize=4096)
def _timestamp(day: dt.date | None) -> pd.Timestamp:
    if day is None or not (1678 <= day.year <= 2261):
        return pd.NaT  # outside what pandas can hold: no date rather than a crash
    return pd.Timestamp(day)


def _quoted(s_text: str, at: int) -> bool:
    """True when offset ``at`` lies inside a quotation in the sentence."""
    before = s_text[:at]
    opened = before.count("“") - before.count("”")
    return opened > 0 or before.count('"') % 2 == 1


def _seats_for(ctx: _Context, cands: list[Place]) -> SeatLookup:
    """The capital of a region for "the capital of X province": the entry's heading town
    or a capital the sentence names when they lie in X, else the gazetteer's seat."""

    def lookup(iso: str) -> Place | None:
        for q in (ctx.heading, *cands):
            if q is None or q.iso != iso or q.kind not in ("city", "town") or q.via:
                continue
            if q is ctx.heading or q.capital:
                return q
        return seat_of(iso)

    return lookup


def _split_at(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans also cut where an entry starts ("– Aug. 6 – ..." lines that the
    sentence splitter joins because they start with a dash). Linear: both lists are sorted."""
    out: list[tuple[int, int]] = []
    k = 0
    for s0, s1 in spans:
        while k < len(cuts) and cuts[k] <= s0:
            k += 1
        start = s0
        while k < len(cuts) and cuts[k] < s1:
            if cuts[k] > start:
                out.append((start, cuts[k]))
                start = cuts[k]
            k += 1
        out.append((start, s1))
    trimmed = []
    for a, b in out:  # trim the space a cut leaves at either end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed
