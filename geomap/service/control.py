"""Control of regions for the service, kept incrementally.

A region's control is a fold of its days of events (:func:`geo.control.apply_day`, the
rules of :mod:`geo.control`), so the service keeps the region's state at the end of each
day it has events (the ``control_days`` table: its *checkpoints*). When events of a region
change, only its days from the earliest changed one onward are replayed, from the
checkpoint before it; the region's row is then its last change, as
:func:`geo.control.control_as_of` reports it on the last event day (with the provenance
of its latest evidence event), and equal to it: ``tests/test_service_control.py``.

Plain records throughout (the events' stored JSON): no data frame per batch.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.control import ControlState, apply_day
from geo.reports import DATE_MAX, DATE_MIN
from geomap.service import store as S

__all__ = [
    "FIGHTING",
    "Regions",
    "Timeline",
    "checkpoint_before",
    "control_row",
    "counting_day",
    "full_control",
    "last_evidence",
    "replay",
]

#: The effects that count for control (:mod:`geo.control` reads no other).
FIGHTING = ("capture", "fight", "repel")


def counting_day(event: Mapping[str, Any]) -> str | None:
    """The day (``YYYY-MM-DD``) on which an event counts for control, or None if it does
    not count: not placed in a region, not fighting or a capture, placed only at region or
    country level, or without a usable date (as :func:`geo.control.control_changes`)."""
    if not event.get("iso_3166_2") or event.get("effect") not in FIGHTING:
        return None
    if event.get("place_kind") in ("region", "country"):
        return None
    value = event.get("event_date")
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day.isoformat() if DATE_MIN <= day <= DATE_MAX else None


@dataclass
class Timeline:
    """A region's state after its last day applied, and its last change (what
    :func:`geo.control.control_as_of` reports; None: no change yet, ``unknown``)."""

    state: ControlState = field(default_factory=ControlState)
    row: dict[str, Any] | None = None

    def to_json(self) -> str:
        s = self.state
        since = s.since.isoformat() if s.since is not None else None
        return json.dumps(
            {
                "state": [s.status, s.controller, since, s.claim_status, s.evidence],
                "row": self.row,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Timeline:
        data = json.loads(text)
        status, controller, since, claim, evidence = data["state"]
        day = dt.date.fromisoformat(since) if since else None
        return cls(ControlState(status, controller, day, claim, list(evidence)), data["row"])


def replay(
    events: Iterable[Mapping[str, Any]], start: Timeline | None = None
) -> tuple[Timeline, list[tuple[str, str]]]:
    """Apply the events of one region that count for control (:func:`counting_day`), day
    by day, to ``start`` (default: nothing known); returns the timeline at the end and a
    checkpoint (day, :meth:`Timeline.to_json`) for each day applied."""
    by_day: dict[str, list[Mapping[str, Any]]] = {}
    for e in events:
        day = counting_day(e)
        if day is not None:
            by_day.setdefault(day, []).append(e)
    tl = Timeline() if start is None else Timeline.from_json(start.to_json())
    checkpoints = []
    for day in sorted(by_day):
        todays = sorted(by_day[day], key=lambda e: str(e["event_id"]))
        before, n_evidence = tl.state.key(), len(tl.state.evidence)
        tl.state = apply_day(tl.state, dt.date.fromisoformat(day), [dict(e) for e in todays])
        if tl.state.key() != before or len(tl.state.evidence) != n_evidence:
            s = tl.state
            tl.row = {
                "status": s.status,
                "controller": s.controller,
                "since": s.since.isoformat() if s.since is not None else None,
                "claim_status": s.claim_status,
                "evidence": ";".join(dict.fromkeys(s.evidence)),
            }
        checkpoints.append((day, tl.to_json()))
    return tl, checkpoints


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def control_row(
    iso: str, region: tuple[Any, Any], row: dict[str, Any], evidence_event: Mapping | None
) -> dict[str, Any]:
    """A region's control row (the columns of ``geomap control`` less ``as_of`` and the
    polygon): its last change, ``region`` (``admin1``, ``country``) and the provenance of
    ``evidence_event``, its latest evidence event."""
    e = evidence_event or {}
    return {
        "iso_3166_2": iso,
        "admin1": region[0],
        "country": region[1],
        **row,
        "report": e.get("report"),
        "quote": e.get("notes"),
        "quote_start": _int(e.get("sentence_start")),
        "quote_end": _int(e.get("sentence_end")),
    }


def last_evidence(row: dict[str, Any] | None) -> str | None:
    ids = [x for x in str((row or {}).get("evidence") or "").split(";") if x]
    return ids[-1] if ids else None


class Regions:
    """The admin-1 regions' names and countries, by ``iso_3166_2`` (a code may name
    several features: as in ``geomap control``, the last one of a country with fighting
    gives the row)."""

    def __init__(self, regions: gpd.GeoDataFrame) -> None:
        self.features: dict[str, list[tuple[Any, Any]]] = {}
        self.of_country: dict[str, list[str]] = {}
        for iso, admin1, country in zip(
            regions["iso_3166_2"], regions["admin1"], regions["country"], strict=True
        ):
            if not isinstance(iso, str):
                continue
            admin1 = admin1 if isinstance(admin1, str) else None
            country = country if isinstance(country, str) else None
            self.features.setdefault(iso, []).append((admin1, country))
            if country:
                self.of_country.setdefault(country, []).append(iso)

    def feature(self, iso: str, fighting: Callable[[str], bool]) -> tuple[Any, Any] | None:
        """``admin1``, ``country`` of the region (None: not a region of a country with
        fighting, so no row)."""
        found = [f for f in self.features.get(iso, ()) if f[1] and fighting(f[1])]
        return found[-1] if found else None


def full_control(
    events: list[dict[str, Any]], regions: Regions
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str]]]:
    """Control rows (by region) and every checkpoint (region, day, state) from all the
    merged events: what the incremental upkeep must equal."""
    fighting = {
        str(e["country"]) for e in events if e.get("effect") in FIGHTING and e.get("country")
    }
    by_iso: dict[str, list[dict[str, Any]]] = {}
    by_id = {str(e["event_id"]): e for e in events}
    for e in events:
        if counting_day(e) is not None:
            by_iso.setdefault(str(e["iso_3166_2"]), []).append(e)
    rows: dict[str, dict[str, Any]] = {}
    checkpoints: list[tuple[str, str, str]] = []
    for iso in sorted(by_iso):
        tl, days = replay(by_iso[iso])
        checkpoints += [(iso, day, state) for day, state in days]
        feature = regions.feature(iso, fighting.__contains__)
        if tl.row is not None and feature is not None:
            rows[iso] = control_row(iso, feature, tl.row, by_id.get(last_evidence(tl.row) or ""))
    return rows, checkpoints


_CHECKPOINT_BEFORE = (
    sa.select(S.control_days.c.state)
    .where(
        S.control_days.c.iso_3166_2 == sa.bindparam("iso"),
        S.control_days.c.day < sa.bindparam("day"),
    )
    .order_by(S.control_days.c.day.desc())
    .limit(1)
)


def checkpoint_before(conn: Connection, iso: str, day: str | None) -> Timeline | None:
    """The region's timeline at the end of its last event day before ``day`` (None:
    before its first; ``day`` None: its latest)."""
    text = conn.execute(_CHECKPOINT_BEFORE, {"iso": iso, "day": day or "9999-12-31"}).scalar()
    return Timeline.from_json(text) if text else None
