"""One sentence into event versions: the rule matches read against the sentence's
places, actors and dates.

A match is dropped when the words around it hedge it ("could fall", "plans to
capture"), name a past event ("the September 11 attacks") or date it long before the
report; otherwise each place the rule points at gives a version (:func:`sentence_events`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from geo.actors import ActorMention, ActorTable
from geo.dates import DAY, EventDate
from geo.events.agents import pick_actors
from geo.events.claims import claim_status, denial_at
from geo.events.columns import EVENT_COLUMNS, event_id
from geo.events.hedges import dropped
from geo.events.inner import inner_places
from geo.events.locate import NEAR_RE, SeatLookup, pick_place
from geo.events.memo import SentenceMemo, memo_key
from geo.events.places import Place
from geo.events.rules import EventRule
from geo.events.story import seat_of
from geo.events.timing import HISTORY_YEARS, date_after, historical, timestamp, when_told
from geo.reports import Report

__all__ = [
    "HISTORY_YEARS",
    "SentenceContext",
    "sentence_events",
    "sentence_versions",
]


# a version without its report: the parts of its row that do not depend on the report
# (the values of EVENT_COLUMNS 1-18, 21-22 and 31-), the trigger's and the place's offsets
# in the sentence, and the sub-event type (for the version's id)
_Told = list[tuple[tuple, tuple, tuple, int, int, int, str]]


@dataclass(frozen=True)
class SentenceContext:
    """What a sentence's entry gives it (the heading place and the entry's date), and the
    day the sentences before it told of."""

    heading: Place | None = None
    entry_date: EventDate | None = None
    #: the day an earlier sentence told of, for "the next day" in a sentence naming no other
    previous: dt.date | None = None


def sentence_events(
    report: Report,
    s_text: str,
    s0: int,
    s1: int,
    cands: list[Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    matches: Sequence[tuple[EventRule, Sequence[re.Match[str]]]],
    table: ActorTable,
    ctx: SentenceContext | None = None,
    *,
    memo: SentenceMemo | None = None,
) -> list[dict]:
    """The event versions one sentence tells: one row (a dict of :data:`EVENT_COLUMNS`)
    per rule match, place and target. The same as :func:`sentence_versions`, as dicts.
    """
    return [
        dict(zip(EVENT_COLUMNS, row, strict=True))
        for row in sentence_versions(
            report, s_text, s0, s1, cands, s_actors, prev_actor, matches, table, ctx, memo=memo
        )
    ]


def sentence_versions(
    report: Report,
    s_text: str,
    s0: int,
    s1: int,
    cands: list[Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    matches: Sequence[tuple[EventRule, Sequence[re.Match[str]]]],
    table: ActorTable,
    ctx: SentenceContext | None = None,
    *,
    memo: SentenceMemo | None = None,
    ids: bool = True,
) -> list[tuple]:
    """The event versions one sentence tells: one row (a tuple of the values of
    :data:`EVENT_COLUMNS`, in that order) per rule match, place and target.

    Parameters
    ----------
    report : Report
    s_text : str
        The sentence; ``s0:s1`` are its offsets in the report.
    s0, s1 : int
    cands : list of Place
        The places the sentence may be about (mentions, "the city", region phrases).
    s_actors : sequence of ActorMention
        The sentence's actors (generic words already named from context).
    prev_actor : ActorMention or None
        The actor of the nearest earlier sentence that names one.
    matches : sequence of (EventRule, list of re.Match)
        The rules' matches in the sentence, in the rules' order
        (:meth:`geo.events.rules.RuleMatcher.matches`).
    table : ActorTable
        For the host state of talks.
    ctx : SentenceContext, optional
    memo : SentenceMemo, optional
        Versions already read with these rules and actor table (the caller keeps one
        per pair): a sentence read again with the same places, actors and report date
        costs a look-up.
    ids : bool
        Make each version's ``event_id`` (default); else the row holds the
        :data:`geo.events.columns.IdKey` it is made from.

    Returns
    -------
    list of tuple
    """
    ctx = ctx or SentenceContext()
    if memo is None or not memo.wanted():
        told = _told(report.date, s_text, s0, cands, s_actors, prev_actor, matches, table, ctx)
        return _fill(told, report, s_text, s0, s1, ids)
    key = memo_key(report.date, s_text, s0, cands, s_actors, prev_actor, ctx)
    found = memo.get(key)
    if found is not None:
        told = found
    else:
        told = _told(report.date, s_text, s0, cands, s_actors, prev_actor, matches, table, ctx)
        memo.put(key, told)
    return _fill(told, report, s_text, s0, s1, ids)


def _fill(
    told: _Told, report: Report, s_text: str, s0: int, s1: int, ids: bool = True
) -> list[tuple]:
    """The rows of versions told by a sentence at ``s0:s1`` of ``report``."""
    out = []
    rid, source, url = report.id, report.source, report.url
    for head, mid, tail, t0, t1, p0, sub in told:
        key = (rid, s0 + t0, s0 + p0, sub)
        out.append(
            (
                event_id(*key) if ids else key,
                *head,
                source,
                s_text,
                *mid,
                rid,
                s0 + t0,
                s0 + t1,
                url,
                s0,
                s1,
                rid,
                source or "",
                *tail,
            )
        )
    return out


def _told(
    report_date: dt.date | None,
    s_text: str,
    s0: int,
    cands: list[Place],
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    matches: Sequence[tuple[EventRule, Sequence[re.Match[str]]]],
    table: ActorTable,
    ctx: SentenceContext,
) -> _Told:
    """:func:`sentence_events` but for the report's own fields and the offsets."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[tuple, int, int, int, EventRule]] = []
    seen: set[tuple] = set()
    status = claim_status(s_text, s_actors)
    # "X said it retook the town, but Y denied it had fallen": what is told before the
    # denial is a disputed claim, what follows it the denial
    denied_from = denial_at(s_text) if status == "denied" else None
    cands = inner_places(s_text, s0, cands)  # "the X suburb of Y": Y
    for rule, rule_ms in matches:
        for m in rule_ms:
            m0, m1 = m.span()
            if taken and any(m0 < e and s < m1 for s, e in taken):
                continue
            if s_actors:
                inside = [a for a in s_actors if a.start <= m0 < a.end]
                if inside:
                    if m1 <= inside[0].end:
                        continue  # "fighters" is an actor, not a fight
                    # "Russian warplanes bombed": a strike whose words run past its actor's,
                    # told from the end of the actor's words
                    m0 = inside[0].end
                    m0 += len(s_text[m0:m1]) - len(s_text[m0:m1].lstrip())
            taken.append((m0, m1))
            t0, t1 = s0 + m0, s0 + m1
            if dropped(s_text, m0, m1, rule.effect == "capture"):
                continue
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
            actor1, actor2, allies, flags = pick_actors(
                rule, s_text, s0, t0, t1, s_actors, prev_actor, picked[0][0].country
            )
            if (
                flags
                and actor1 is not None
                and actor1.kind == "non_state"
                and rule.sub_event_type == "Air/drone strike"
                and "drone" not in s_text[m0:m1].lower()
            ):
                # an air strike no words attribute is not the armed group of an earlier
                # sentence's (aircraft are a state's; a group's drones are named so)
                actor1, flags = None, "no actor named"
            if rule.actor_kinds and (actor1 is None or actor1.kind not in rule.actor_kinds):
                # not this rule's actor ("the rebels withdrew from X" is no state's
                # handover): the words stay free for another rule ("withdraw from")
                taken.remove((m0, m1))
                continue
            if "non_state" in rule.actor_kinds and flags:
                continue  # a flight is told with its actor: "residents fled" is not one
            entry_date = ctx.entry_date
            # In an entry dated to the day ("Sept 28: ..."), "two days later" and "on
            # Tuesday" are read against the entry's date, not the report's.
            day = (
                entry_date.date if entry_date is not None and entry_date.precision == DAY else None
            )
            when = when_told(s_text, report_date, m0, day, ctx.previous)
            if when.origin == "report" and entry_date is not None:
                when = entry_date  # the entry's own date
            if historical(when, report_date):
                continue  # "seized Jerusalem in 1187": history, not news
            trigger_when = when
            for place, target in picked:
                when = trigger_when
                if len(picked) > 1:
                    # "seized X on Sunday and Y on Monday": a date right after a listed
                    # place is that place's
                    own = date_after(s_text, place.end - s0)
                    if own is not None:
                        when = when_told(s_text, report_date, own, day, ctx.previous)
                sub = rule.sub_event_type
                etype = rule.event_type
                if rule.effect == "capture" and actor1 is not None and etype == "Battles":
                    sub = (
                        "Government regains territory"
                        if actor1.kind == "state"
                        else "Non-state actor overtakes territory"
                    )
                elif (
                    rule.effect == "capture"
                    and etype == "Battles"
                    and actor2 is not None
                    and actor2.kind == "state"
                    and actor2.end <= m0
                ):
                    # no captor named, a state's forces the subject that lost the place
                    # ("Army troops were forced out of X"): not the government's gain
                    sub = "Non-state actor overtakes territory"
                if (
                    etype == "Battles"
                    and rule.effect in ("fight",)
                    and actor2 is not None
                    and actor2.kind == "civilians"
                ):
                    etype, sub = "Violence against civilians", "Attack"
                assoc = "; ".join(dict.fromkeys(a.actor for a in allies)) if allies else None
                assoc = assoc or None
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
                geo_precision = {
                    "province": 3,
                    "region": 3,
                    "country": 3,
                    "river": 3,
                    "lake": 3,
                }.get(place.kind, 1)
                if geo_precision == 1 and (
                    (target == "part" and rule.effect == "capture")
                    or _near(s_text[max(0, place.start - s0 - 25) : place.start - s0])
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
                    and timestamp(when.date) is pd.NaT
                ):
                    fl.append(f"date out of range ({when.expression!r})")
                if when.date is not None and when.precision not in (1, 2):
                    # "in May", "in 2014": no day to put on a timeline; the words stay
                    fl.append(f"no day ({when.expression!r} names only a month or year)")
                if when.origin in ("none", "unresolved", "invalid"):
                    said = f": {when.expression!r}" if when.expression else ""
                    fl.append(f"no event date ({when.origin}{said})")
                # the values of EVENT_COLUMNS, in order
                row = (
                    None,  # event_id
                    timestamp(when.date if when.precision in (1, 2) else None),  # event_date
                    when.precision,  # time_precision
                    etype,  # event_type
                    sub,  # sub_event_type
                    actor1.actor if actor1 else None,  # actor1
                    assoc,  # assoc_actor_1
                    actor2.actor if actor2 else None,  # actor2
                    host_name,  # host
                    actor1.side if actor1 else None,  # side1
                    actor2.side if actor2 else None,  # side2
                    place.country,  # country
                    place.admin1,  # admin1
                    place.iso,  # iso_3166_2
                    place.admin2,  # admin2
                    place.name,  # location
                    place.lat,  # latitude
                    place.lon,  # longitude
                    geo_precision,  # geo_precision
                    None,  # source
                    None,  # notes
                    "claimed"
                    if denied_from is not None and m1 <= denied_from
                    else status,  # claim_status
                    1,  # sources_count
                    None,  # report
                    None,  # start
                    None,  # end
                    None,  # url
                    None,  # sentence_start
                    None,  # sentence_end
                    None,  # reports
                    None,  # sources
                    when.origin
                    + (f": {when.expression}" if when.expression else ""),  # date_origin
                    rule.effect,  # effect
                    target if rule.effect in ("capture", "withdraw") else None,  # target
                    bool(place.capital),  # capital
                    place.kind,  # place_kind
                    place.source,  # place_source
                    "; ".join(fl) or None,  # flags
                )
                out.append((row, m0, m1, place.start - s0, rule))
    if denied_from is not None:
        # the denial of a capture the sentence told before it is that claim's dispute,
        # not a second capture
        claimed = {
            v[0][_PLACE_SOURCE] or v[0][_LOCATION]
            for v in out
            if v[0][_EFFECT] == "capture" and v[1] < denied_from
        }
        out = [
            v
            for v in out
            if not (
                v[1] >= denied_from
                and v[0][_EFFECT] == "capture"
                and (v[0][_PLACE_SOURCE] or v[0][_LOCATION]) in claimed
            )
        ]
    # "a suicide bomber attacked": the attack is the bombing, not a second event; "seized
    # X after heavy fighting": the fighting is the taking of X (ACLED codes one event)
    told = {
        r[_PLACE_SOURCE] or r[_LOCATION]
        for r, *_ in out
        if r[_TYPE] == _EXPLOSIONS or r[_EFFECT] == "capture"
    }
    # "airstrikes on X killed six civilians": the killing is the strike's (its fatalities),
    # not an attack beside it
    struck = (
        {r[_PLACE_SOURCE] or r[_LOCATION] for r, *_ in out if r[_TYPE] == _EXPLOSIONS}
        if told
        else ()
    )
    # each row cut once into the parts a version of any report shares (see _fill)
    return [
        (r[1:19], r[21:23], r[31:], t0, t1, p0, rule.sub_event_type)
        for r, t0, t1, p0, rule in out
        if not (
            told
            and (r[_EFFECT] == "fight" or r[_TYPE] == _CIVILIANS)
            and (r[_PLACE_SOURCE] or r[_LOCATION]) in (told if r[_EFFECT] == "fight" else struck)
        )
    ]


_PLACE_SOURCE = EVENT_COLUMNS.index("place_source")
_LOCATION = EVENT_COLUMNS.index("location")
_TYPE = EVENT_COLUMNS.index("event_type")
_EFFECT = EVENT_COLUMNS.index("effect")
_EXPLOSIONS = "Explosions/Remote violence"
_CIVILIANS = "Violence against civilians"


@lru_cache(maxsize=16384)
def _near(before: str) -> bool:
    """Whether the words before a place say near it ("near", "outside", "north of")."""
    return bool(NEAR_RE.search(before))


def _seats_for(ctx: SentenceContext, cands: list[Place]) -> SeatLookup:
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
