"""Reading reports sentence by sentence into event versions.

:func:`event_mentions` indexes each report's places by offset, splits the report into
sentences (and factbox or timeline entries), finds each sentence's actors and, for the
sentences where a rule's words occur (:class:`geo.events.rules.RuleMatcher`), hands the
rest to :func:`geo.events.sentence.sentence_events`. :func:`extract_events` then merges
the versions (:func:`geo.events.merge.merge_events`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import attrgetter

import geopandas as gpd
import pandas as pd

from geo.actors import ActorMention, ActorTable, load_actors
from geo.dates import DAY, needs_previous_day, resolve_date
from geo.events.agents import ContextActors, first_actor
from geo.events.claims import denies_what_was_told
from geo.events.columns import EVENT_COLUMNS, frame
from geo.events.memo import SentenceMemo
from geo.events.merge import merge_events, merge_rows
from geo.events.places import Place, PlaceTable
from geo.events.pronouns import pronoun_places
from geo.events.regions import regions_in
from geo.events.rules import EventRule, RuleMatcher, load_event_rules, rule_matcher
from geo.events.sentence import SentenceContext, sentence_versions
from geo.events.story import Story, anaphora, dominant_country
from geo.events.structure import Entry, Structure, in_dateline
from geo.gcpause import gc_paused
from geo.reports import Report
from geo.sentences import sentence_spans, trimmed_spans

__all__ = ["EventWarning", "event_mentions", "event_rows", "extract_events", "warn_undated"]


class EventWarning(UserWarning):
    """A data problem in the event stage that does not stop it (e.g. a report with no date)."""


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
    with gc_paused():  # rows without reference cycles: no heap walks while they pile up
        rows, undated = _mention_rows(reports, places, rules, actors, regions, seats)
        out = frame(rows)
    warn_undated(undated, stacklevel=3)
    return out


def event_rows(
    reports: Iterable[Report],
    places: pd.DataFrame,
    *,
    rules: Sequence[EventRule] | None = None,
    actors: ActorTable | None = None,
    regions: gpd.GeoDataFrame | None = None,
    seats: Iterable[str] | None = None,
) -> tuple[list[tuple], list[str]]:
    """The versions of :func:`event_mentions` as rows, for
    :func:`geo.events.merge.merge_rows` (what :func:`extract_events` merges), and the ids
    of the undated reports that told events (not warned about here).

    Rows of several calls on consecutive chunks of reports, joined in order, are the rows
    of one call on all of them (``geo.parallel`` merges its workers' rows so). A row's
    ``event_id`` is the key its id is made from (:data:`geo.events.columns.IdKey`).
    """
    with gc_paused():
        return _mention_rows(reports, places, rules, actors, regions, seats, False)


def _mention_rows(
    reports: Iterable[Report],
    places: pd.DataFrame,
    rules: Sequence[EventRule] | None,
    actors: ActorTable | None,
    regions: gpd.GeoDataFrame | None,
    seats: Iterable[str] | None,
    ids: bool = True,
) -> tuple[list[tuple], list[str]]:
    """The rows of :func:`event_mentions` (tuples of :data:`EVENT_COLUMNS`' values) and the
    ids of the undated reports that told events; with ``ids=False`` a row's ``event_id``
    is the :data:`geo.events.columns.IdKey` it is made from."""
    rules = list(rules) if rules is not None else load_event_rules()
    table = actors or load_actors()
    table_places = PlaceTable(places)
    if seats is None and not {"capital", "seat"} & set(getattr(places, "columns", ())):
        seats = _gazetteer_seats()
    seat_set = frozenset(seats or ())
    matcher = rule_matcher(tuple(rules))
    memo = _memo(matcher, table)
    rows: list[tuple] = []
    undated: list[str] = []
    for report in reports:
        n_before = len(rows)
        rows.extend(
            _report_events(report, table_places, seat_set, matcher, table, regions, memo, ids)
        )
        if report.date is None and len(rows) > n_before:
            undated.append(report.id)
    return rows, undated


def warn_undated(undated: Sequence[str], stacklevel: int = 2) -> None:
    """The :class:`EventWarning` about reports without a date whose events have none.

    Parameters
    ----------
    undated : sequence of str
        Ids of the undated reports that told events, in report order (none: no warning).
    stacklevel : int
        As :func:`warnings.warn`'s.
    """
    if undated:
        warnings.warn(
            f"{len(undated)} report(s) have no date, so their events have no event_date "
            f"(date_origin 'none'): {', '.join(undated[:5])}{' ...' if len(undated) > 5 else ''}",
            EventWarning,
            stacklevel=stacklevel,
        )


def _report_events(
    report: Report,
    places: PlaceTable,
    seat_set: frozenset[str],
    matcher: RuleMatcher,
    table: ActorTable,
    regions: gpd.GeoDataFrame | None,
    memo: SentenceMemo,
    ids: bool = True,
) -> list[tuple]:
    """The event versions of one report (rows of :data:`EVENT_COLUMNS`' values), in time
    linear in its length.

    Places are indexed by offset: each sentence takes its own places from their sorted
    starts, and "the city" reads a running tally (:class:`Story`).
    """
    text = report.text
    rplaces = sorted(places.places(report.id, text), key=_START)
    starts = [p.start for p in rplaces]
    capital_sources = {p.source for p in rplaces if p.capital and p.source} | seat_set
    for p in rplaces:
        p.capital = p.capital or (p.source in capital_sources)
    home = dominant_country([p for p in rplaces if p.kind != "country"]) or dominant_country(
        rplaces
    )
    structure = Structure(text)
    # A dateline's place is where the reporter files from: no event is placed there by
    # its own words, and "the town" is it only if the report names it again ("GHAZNI -
    # ... captured Ghazni"), not when it is only the capital the story is filed from.
    filed = {id(p) for p in rplaces if in_dateline(text, p.start, p.end)}
    if filed:
        named = {p.source for p in rplaces if id(p) not in filed}
        story = Story([p for p in rplaces if id(p) not in filed or p.source in named], home)
    else:
        story = Story(rplaces, home)
    # cut where an entry starts, and after a heading that is a line of its own (read in
    # structure.py: mypyc 2.4.1 fails to compile this attribute read from another module)
    spans = _split_at(text, sentence_spans(text), structure.cuts())
    # actors of every sentence, then "rebels" read from the groups the report names
    found: list = []
    # each sentence's first place and the first after it (bisect_left of its start and end
    # in ``starts``), read by two pointers that only move on: the spans are in text order
    firsts: list[int] = []
    n_places = len(starts)
    lo = hi = 0
    for s0, s1 in spans:
        while lo < n_places and starts[lo] < s0:
            lo += 1
        if hi < lo:
            hi = lo
        while hi < n_places and starts[hi] < s1:
            hi += 1
        firsts.append(lo)
        s_places = rplaces[lo:hi]
        # where the reporter files from is not where the sentence's events happen
        told = [p for p in s_places if id(p) not in filed] if filed else s_places
        if not told:
            country = home
        elif len(told) == 1:  # dominant_country of one place, without the tally
            p = told[0]
            country = (p.country if p.kind != "country" else None) or home
        else:
            country = dominant_country([p for p in told if p.kind != "country"]) or home
        s_text = text[s0:s1]
        found.append((s_text, s_places, country, table.find(s_text, country=country)))
    context = ContextActors([a for *_, acts in found for a in acts])
    out: list[tuple] = []
    told_from, told_at = 0, -2  # where the rows of the last sentence with events begin
    prev_actor: ActorMention | None = None
    in_entry: Entry | None = None
    for k, (s0, s1) in enumerate(spans):
        s_text, s_places, country, raw_actors = found[k]
        found[k] = None  # let a long report's sentences go as they are read
        if structure.entries:
            entry_now = structure.entry_at(s0)
            if entry_now is not in_entry:
                # a timeline's or live blog's entry tells its own story: the actor of the
                # entry before is not this one's ("- May 3: The army shelled X. - May 4:
                # Y fell.": Y did not fall to the army)
                in_entry, prev_actor = entry_now, None
        if raw_actors:
            s_actors = [context.resolve(a, s_text, raw_actors) for a in raw_actors]
            context.seen(raw_actors)
        else:
            s_actors = []
        # every rule's trigger words, each behind its literal gate: most sentences of a
        # long report have none and cost no more than these substring tests
        matches = matcher.found(s_text)
        if not matches:
            prev_actor = first_actor(s_actors) or prev_actor
            if told_at == k - 1 and denies_what_was_told(s_text):
                # "... took X. The army denied the claim.": the captures told are disputed
                out[told_from:] = [_disputed(row) for row in out[told_from:]]
            continue
        story.advance(s0)  # the places named before this sentence, for "the city"
        entry = structure.entry_at(s0) if structure.entries else None
        if entry is None:
            heading = entry_date = None
        else:
            heading = _heading_place(entry, rplaces, starts)
            entry_date = resolve_date(entry.date_text, report.date) if entry.date_text else None
        previous = (
            _previous_day(text, spans, k, report.date) if needs_previous_day(s_text) else None
        )
        cands = [p for p in s_places if p.kind != "country" and id(p) not in filed]
        cands += anaphora(s_text, s0, story, s_places, heading)
        # "... X. Rebels seized it": "it" is the place named last, here or just before
        p0 = firsts[k - 1] if k else 0
        p1 = firsts[k]
        cands += pronoun_places(
            s_text,
            s0,
            [p for p in s_places if id(p) not in filed],
            [p for p in rplaces[p0:p1] if id(p) not in filed],
            (text[spans[k - 1][0] : s0], spans[k - 1][0]) if k else ("", 0),
        )
        cands += regions_in(s_text, s0, s_places, country, regions)
        told_from, told_at = len(out), k
        out.extend(
            sentence_versions(
                report,
                s_text,
                s0,
                s1,
                cands,
                s_actors,
                prev_actor,
                matches,
                table,
                SentenceContext(heading, entry_date, previous)
                if entry is not None or previous is not None
                else _NO_ENTRY,
                memo=memo,
                ids=ids,
            )
        )
        prev_actor = first_actor(s_actors) or prev_actor
    return _dated_by_earlier(out)


_START = attrgetter("start")
_DATE = EVENT_COLUMNS.index("event_date")
_PRECISION = EVENT_COLUMNS.index("time_precision")
_ORIGIN = EVENT_COLUMNS.index("date_origin")
_ACTOR1 = EVENT_COLUMNS.index("actor1")
_PLACE_KEY = (EVENT_COLUMNS.index("place_source"), EVENT_COLUMNS.index("location"))


def _dated_by_earlier(rows: list[tuple]) -> list[tuple]:
    """The rows of one report, a change of hands told again without a date of its own
    ("X captured Y on Saturday. ... X said it had taken full control of the city.")
    dated as the earlier sentence that told it with its day: the same place, the same
    effect, the same actor1. Told with no date, it is not the report's day's news."""
    told: dict[tuple, tuple] = {}
    out = []
    for row in rows:
        effect = row[_EFFECT]
        if effect in ("capture", "withdraw") and row[_ACTOR1] is not None:
            key = (row[_PLACE_KEY[0]] or row[_PLACE_KEY[1]], effect, row[_ACTOR1])
            origin = row[_ORIGIN] or ""
            if origin.startswith("sentence") and row[_PRECISION] == DAY:
                told[key] = row
            elif origin == "report" and key in told:
                first = told[key]
                said = first[_ORIGIN].removeprefix("sentence: ")
                row = tuple(
                    first[_DATE]
                    if i == _DATE
                    else f"earlier sentence: {said}"
                    if i == _ORIGIN
                    else v
                    for i, v in enumerate(row)
                )
        out.append(row)
    return out


_CLAIM = EVENT_COLUMNS.index("claim_status")
_EFFECT = EVENT_COLUMNS.index("effect")


def _disputed(row: tuple) -> tuple:
    """``row`` as a claim when it reports a capture: a later sentence denies it."""
    if row[_EFFECT] != "capture" or row[_CLAIM] != "reported":
        return row
    return (*row[:_CLAIM], "claimed", *row[_CLAIM + 1 :])


_NO_ENTRY = SentenceContext()  # a sentence outside any entry: no heading, no entry date


@lru_cache(maxsize=8)
def _memo(matcher: RuleMatcher, table: ActorTable) -> SentenceMemo:
    """The versions already read with these rules and actors (see :func:`sentence_events`),
    kept for the process: a sentence told again, in this report or a later one, costs a
    look-up."""
    return SentenceMemo()


def _previous_day(
    text: str, spans: Sequence[tuple[int, int]], k: int, report_date: dt.date | None
) -> dt.date | None:
    """The day the nearest of the two sentences before sentence ``k`` names ("… on
    Monday."), for "the next day" in sentence ``k``."""
    for j in (k - 1, k - 2):
        if j < 0:
            break
        said = resolve_date(text[spans[j][0] : spans[j][1]], report_date)
        if said.origin == "sentence" and said.precision == DAY:
            return said.date
    return None


def _heading_place(entry: Entry | None, rplaces: list[Place], starts: list[int]) -> Place | None:
    if entry is None or entry.head_start < 0:
        return None
    k = bisect.bisect_left(starts, entry.head_start)
    if k < len(rplaces) and rplaces[k].start < entry.head_end and rplaces[k].kind != "country":
        return rplaces[k]
    return None


@lru_cache(maxsize=1)
def _gazetteer_seats() -> frozenset[str]:
    from geo.gazetteer import default_gazetteer

    rec = default_gazetteer().records
    if "seat" not in rec.columns:
        return frozenset()
    return frozenset(rec.loc[rec["seat"].astype(bool), "source"].astype(str))


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
    if not versions:
        # the merged events only: no table of every version (a long report tells
        # hundreds of thousands), the merge reads the rows themselves (ids made only for
        # the versions that stand for their event)
        rows, undated = event_rows(
            reports, places, rules=rules, actors=actors, regions=regions, seats=seats
        )
        events = merge_rows(rows, window_days=window_days, distance_km=distance_km)
        warn_undated(undated, stacklevel=2)
        return events
    mentions = event_mentions(
        reports, places, rules=rules, actors=actors, regions=regions, seats=seats
    )
    events, table = merge_events(mentions, window_days=window_days, distance_km=distance_km)
    return events, table


def _split_at(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans also cut where an entry starts ("– Aug. 6 – ..." lines that the
    sentence splitter joins because they start with a dash). Linear: both lists are sorted."""
    if not cuts:
        return spans  # no entry starts: the sentences, already trimmed of space
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
    return trimmed_spans(text, out)  # the space a cut leaves at either end
