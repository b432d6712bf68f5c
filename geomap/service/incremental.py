"""Incremental derivation: after a change, re-merge only the versions it can affect
(:func:`geomap.service.versions.affected_versions`, where the reason it equals a full
recompute is given) and recompute control only for the regions whose events changed,
from the earliest changed day on (:mod:`geomap.service.control`).

Control (:func:`geo.control_as_of` on the last event day) is per region: a region's row
depends only on the events placed in it, and on whether its country has any fighting at all
(:func:`geomap.service.derive.control_regions`). So it is recomputed for the regions of the
events that changed, plus every region of a country whose "any fighting" flag flipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.events import merge_events
from geomap.service import control as C
from geomap.service import store as S
from geomap.service.versions import affected_versions
from geomap.service.write import digest, write_delta

__all__ = ["Delta", "changed_reports", "derive_incremental", "plan"]


@dataclass
class Delta:
    """What one derivation changes: event rows, control rows, version→event links and the
    regions' control checkpoints (region, first day replaced, new checkpoints)."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    events_gone: list[str] = field(default_factory=list)
    control: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    control_gone: list[str] = field(default_factory=list)
    links: list[tuple[str, int, str | None]] = field(default_factory=list)
    existing_events: set[str] = field(default_factory=set)
    existing_control: set[str] = field(default_factory=set)
    control_days: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


def _event_rows(conn: Connection, ids: Iterable[str]) -> dict[str, Any]:
    e = S.events
    out = {}
    for batch in S.chunks(ids):
        for row in conn.execute(
            sa.select(
                e.c.event_id, e.c.digest, e.c.iso_3166_2, e.c.country, e.c.effect, e.c.event_date
            ).where(e.c.event_id.in_(batch))
        ).all():
            out[row.event_id] = row
    return out


def _fighting(
    conn: Connection, country: str, excluded: set[str], added: Iterable[dict[str, Any]]
) -> bool:
    if any(r.get("country") == country and r.get("effect") in C.FIGHTING for r in added):
        return True
    e = S.events
    ids = conn.execute(
        sa.select(e.c.event_id)
        .where(e.c.country == country, e.c.effect.in_(C.FIGHTING))
        .limit(len(excluded) + 1)
    ).scalars()
    return any(i not in excluded for i in ids)


def _day_of(value: Any) -> str | None:
    """A stored event date as ``YYYY-MM-DD`` (None: none or unreadable)."""
    return C.counting_day({"iso_3166_2": "-", "effect": "fight", "event_date": value})


def plan(conn: Connection, changed: set[str], regions: C.Regions | gpd.GeoDataFrame) -> Delta:
    """The changes to derived rows after the reports ``changed`` were posted or retracted
    (read from ``conn``, one consistent snapshot of the store)."""
    from geomap.service import derive as D

    if not isinstance(regions, C.Regions):
        regions = C.Regions(regions)
    delta = Delta()
    affected = affected_versions(conn, changed)
    props = [v.props for v in affected]
    live = [p for v, p in zip(affected, props, strict=True) if v.live]
    if live:
        merged, versions = merge_events(D.events_frame(live))
        new_events = {r["event_id"]: r for r in D.frame_records(merged)}
        link = dict(zip(versions["version_id"], versions["event_id"], strict=True))
    else:
        new_events, link = {}, {}
    for v, p in zip(affected, props, strict=True):
        want = link.get(p.get("event_id")) if v.live else None
        if want != v.event_id:
            delta.links.append((v.report, v.n, want))
    old = _event_rows(conn, {v.event_id for v in affected if v.event_id} | set(new_events))
    delta.existing_events = set(old)
    delta.events = [
        (k, r) for k, r in new_events.items() if k not in old or old[k].digest != digest(r)
    ]
    delta.events_gone = [k for k in old if k not in new_events]
    if not delta.events and not delta.events_gone:
        return delta
    _plan_control(conn, delta, old, regions)
    return delta


def _plan_control(conn: Connection, delta: Delta, old: dict[str, Any], regions: C.Regions) -> None:
    """Control after the event changes of ``delta``: each region with a changed event
    that counts for control (or counted before) is replayed from the earliest day such an
    event has (or had), from its checkpoint before that day; every region of a country
    whose "any fighting" flag flips gets its row again (added or removed)."""
    changed_ids = set(delta.events_gone) | {k for k, _ in delta.events}
    before = [old[k] for k in changed_ids if k in old]
    added = [r for _, r in delta.events]
    starts: dict[str, str] = {}  # region -> earliest day to replay from
    candidates = [(b.iso_3166_2, b.effect, _day_of(b.event_date)) for b in before]
    candidates += [(r.get("iso_3166_2"), r.get("effect"), C.counting_day(r)) for r in added]
    for iso, effect, day in candidates:
        if iso and effect in C.FIGHTING and day is not None:
            starts[str(iso)] = min(day, starts.get(str(iso), day))

    fighting: dict[str, bool] = {}

    def is_fighting(country: str) -> bool:
        if country not in fighting:
            fighting[country] = _fighting(conn, country, changed_ids, added)
        return fighting[country]

    isos = set(starts)
    countries = {str(x) for x in [b.country for b in before] + [r.get("country") for r in added]}
    for c in sorted(countries - {"None", ""}):
        if _fighting(conn, c, set(), []) != is_fighting(c):
            isos |= set(regions.of_country.get(c, ()))

    # the events of the replayed regions from their first replayed day: those stored
    # (less the changed ones) and the new versions of the changed ones
    known: dict[str, dict[str, Any]] = {str(r["event_id"]): r for r in added}
    by_iso: dict[str, list[dict[str, Any]]] = {}
    e = S.events
    if starts:
        earliest = min(starts.values())
        for batch in S.chunks(sorted(starts)):
            for eid, iso, day, text in conn.execute(
                sa.select(e.c.event_id, e.c.iso_3166_2, e.c.event_date, e.c.props).where(
                    e.c.iso_3166_2.in_(batch),
                    e.c.effect.in_(C.FIGHTING),
                    e.c.event_date >= earliest,
                )
            ):
                if eid not in changed_ids and day >= starts[iso]:
                    known[eid] = json.loads(text)
                    by_iso.setdefault(iso, []).append(known[eid])
    for r in added:
        if C.counting_day(r) is not None and r.get("iso_3166_2") in starts:
            by_iso.setdefault(str(r["iso_3166_2"]), []).append(r)
    timelines: dict[str, C.Timeline | None] = {}
    for iso in sorted(isos):
        if iso in starts:
            start = C.checkpoint_before(conn, iso, starts[iso])
            timelines[iso], days = C.replay(by_iso.get(iso, []), start)
            delta.control_days.append((iso, starts[iso], days))
        else:  # a region of a country whose flag flipped: its latest state
            timelines[iso] = C.checkpoint_before(conn, iso, None)

    # the provenance of each row: its latest evidence event
    evidence = {iso: C.last_evidence(tl.row if tl else None) for iso, tl in timelines.items()}
    missing = {x for x in evidence.values() if x and x not in known}
    for batch in S.chunks(sorted(missing)):
        for eid, text in conn.execute(
            sa.select(e.c.event_id, e.c.props).where(e.c.event_id.in_(batch))
        ):
            known[eid] = json.loads(text)
    rows: dict[str, dict[str, Any]] = {}
    for iso, tl in timelines.items():
        feature = regions.feature(iso, is_fighting)
        if tl is not None and tl.row is not None and feature is not None:
            rows[iso] = C.control_row(iso, feature, tl.row, known.get(evidence[iso] or ""))

    ct = S.control
    old_c: dict[str, str] = {}
    for batch in S.chunks(sorted(isos)):
        old_c.update(
            conn.execute(
                sa.select(ct.c.iso_3166_2, ct.c.digest).where(ct.c.iso_3166_2.in_(batch))
            ).all()
        )
    delta.existing_control = set(old_c)
    delta.control = [(k, r) for k, r in rows.items() if old_c.get(k) != digest(r)]
    delta.control_gone = [k for k in old_c if k not in rows]


def changed_reports(conn: Connection, derived_seq: int, input_seq: int) -> set[str]:
    """The reports posted or retracted after ``derived_seq`` up to ``input_seq``."""
    ch = S.changes
    return set(
        conn.execute(
            sa.select(ch.c.key).where(
                ch.c.seq > derived_seq,
                ch.c.seq <= input_seq,
                ch.c.kind.in_(("report", "report_retracted")),
            )
        ).scalars()
    )


def derive_incremental(store: S.Store, regions: C.Regions | gpd.GeoDataFrame) -> int | None:
    """Bring the derived tables up to the stored reports by re-deriving only what the
    changes since the last derivation can affect.

    Returns the number of changes written, or None if another derivation was written
    meanwhile (the caller tries again).
    """

    with store.read() as conn:
        if not store.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            input_seq = S.Store.get_meta(conn, "input_seq")
            derived_seq = S.Store.get_meta(conn, "derived_seq")
            if derived_seq >= input_seq:
                return 0
            delta = plan(conn, changed_reports(conn, derived_seq, input_seq), regions)
    with store.write() as conn:
        if S.Store.get_meta(conn, "derived_seq") != derived_seq:
            return None
        n = write_delta(conn, delta)
        S.Store.set_meta(conn, "derived_seq", input_seq)
    return n
