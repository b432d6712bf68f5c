"""The service's state: the store, the pipeline and the background derivation."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import geo
from geomap.service import derive as D
from geomap.service import store as S
from geomap.service.incremental import derive_incremental

__all__ = ["Service", "Stored"]

log = logging.getLogger("geomap.service")

PACE_MAX_S = 1.0  # longest pause between two derivations under load


@dataclass
class Stored:
    """The outcome of posting one report."""

    id: str
    seq: int
    new: bool
    events: list[str]  # the events the report tells (its versions)
    merged: list[str] | None = None  # the merged events it supports (after derivation)


class Service:
    """Accepts and retracts reports; keeps the derived tables up to date.

    Writes of reports are committed before they are acknowledged. Events and control are
    derived by one background thread that coalesces changes: a POST waits (a bounded time)
    until the derivation that includes its report is committed.
    """

    def __init__(self, db: str | None = None, *, pipeline: D.Pipeline | None = None) -> None:
        self.store = S.Store(db)
        self.pipeline = pipeline or D.Pipeline()
        self.batcher = D.Batcher(self.pipeline)
        self._dirty = threading.Event()
        self._derived = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.derived_seq = 0
        # called (from the deriving thread) after each derivation that wrote something,
        # e.g. to wake the Server-Sent Events streams at once instead of at their next poll
        self.listeners: list[Callable[[], None]] = []

    # --- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        """Migrate, repair derived tables left behind by a crash, start deriving."""
        self.store.migrate()
        self.pipeline.warm()
        self.derive_now(full=True)
        self._thread = threading.Thread(target=self._loop, name="geomap-derive", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        if self._thread:
            self._thread.join(timeout=30)
        self.store.dispose()

    def derive_now(self, *, full: bool = False) -> int:
        """Bring the derived tables up to the stored reports; returns the changes made.

        ``full``: re-derive from all live reports (on start: repairs whatever a crash left
        behind); otherwise only what the changes since the last derivation can affect."""
        n = 0
        while True:
            with self.store.read() as conn:
                wanted = S.Store.get_meta(conn, "input_seq")
                derived = S.Store.get_meta(conn, "derived_seq")
            if derived >= wanted:
                break
            if full:
                n += D.derive(self.store, self.pipeline)
            else:
                n += derive_incremental(self.store, self.pipeline.regions) or 0
        with self._derived:
            self.derived_seq = derived
            self._derived.notify_all()
        if n:
            for listener in self.listeners:
                listener()
        return n

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait(timeout=5)
            self._dirty.clear()
            if self._stop.is_set():
                break
            started = time.monotonic()
            try:
                self.derive_now()
            except Exception:  # keep serving; the next change retries
                log.exception("derivation failed")
                time.sleep(1)
            # under a stream of writes, derive at most about a third of the time, so more
            # changes are merged in one pass (its cost is mostly per pass) and the
            # analysis of new reports gets the CPU; a POST after a quiet spell is derived
            # at once (the pause follows a derivation, it does not precede one)
            self._stop.wait(min(PACE_MAX_S, 2 * (time.monotonic() - started)))

    def wait_derived(self, seq: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._derived:
            while self.derived_seq < seq:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._derived.wait(left)
        return True

    # --- writes ------------------------------------------------------------------------
    def post(self, reports: list[geo.Report], *, wait: bool = True) -> list[Stored]:
        """Store reports (all or none); returns one :class:`Stored` per report."""
        reports = [D.replace_id(r) for r in reports]
        ids = [r.id for r in reports]
        with self.store.read() as conn:
            known = dict(
                conn.execute(
                    sa.select(S.reports.c.id, S.reports.c.retracted_seq).where(
                        S.reports.c.id.in_(ids)
                    )
                ).all()
            )
        fresh = [r for r in reports if r.id not in known or known[r.id] is not None]
        todo = self.batcher.analyse(fresh) if fresh else {}
        out: dict[str, Stored] = {}
        with self.store.write() as conn:
            now = dict(
                conn.execute(
                    sa.select(S.reports.c.id, S.reports.c.retracted_seq).where(
                        S.reports.c.id.in_(ids)
                    )
                ).all()
            )
            for rid, analysis in todo.items():
                if rid in now and now[rid] is None:
                    continue  # stored meanwhile by another request
                seq = S.Store.next_seq(conn)
                D.store_analysis(conn, analysis, seq, revive=rid in now)
                out[rid] = Stored(rid, seq, True, [])
        if out:
            self._dirty.set()
        if wait and out:
            self.wait_derived(max(s.seq for s in out.values()))
        results = []
        for r in reports:
            s = out.get(r.id) or Stored(r.id, 0, False, [])
            s.events = self.versions_of(r.id)
            s.merged = self.events_of(r.id) if wait else None
            results.append(s)
        return results

    def retract(self, report_id: str, *, wait: bool = True) -> bool | None:
        """Retract a report: None if unknown, False if already retracted, True if done
        (``wait``: once events and control no longer include it)."""
        with self.store.write() as conn:
            row = conn.execute(
                sa.select(S.reports.c.retracted_seq).where(S.reports.c.id == report_id)
            ).first()
            if row is None:
                return None
            if row.retracted_seq is not None:
                return False
            seq = S.Store.next_seq(conn)
            conn.execute(
                S.reports.update().where(S.reports.c.id == report_id).values(retracted_seq=seq)
            )
            S.Store.add_change(conn, seq, "report_retracted", report_id, {"id": report_id})
            S.Store.set_meta(conn, "input_seq", seq)
        self._dirty.set()
        if wait:
            self.wait_derived(seq)
        return True

    # --- reads -------------------------------------------------------------------------
    def versions_of(self, report_id: str) -> list[str]:
        """Ids of the events a report tells (before merging with other reports)."""
        import json

        with self.store.read() as conn:
            rows = conn.execute(
                sa.select(S.report_mentions.c.props)
                .where(S.report_mentions.c.report == report_id)
                .order_by(S.report_mentions.c.n)
            ).scalars()
            return [json.loads(p)["event_id"] for p in rows]

    def events_of(self, report_id: str) -> list[str]:
        """Ids of the merged events a report supports (as last derived)."""
        rm = S.report_mentions
        with self.store.read() as conn:
            rows = conn.execute(
                sa.select(rm.c.event_id)
                .where(rm.c.report == report_id, rm.c.event_id.is_not(None))
                .order_by(rm.c.n)
            ).scalars()
            return list(dict.fromkeys(rows))

    def report(self, report_id: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            row = conn.execute(sa.select(S.reports).where(S.reports.c.id == report_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out["retracted"] = out["retracted_seq"] is not None
        out["events"] = self.events_of(report_id)
        return out
