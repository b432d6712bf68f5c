"""The service's state: the store, the pipeline, and the two background threads that
analyse accepted reports and derive events and control from them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import geo
from geomap.service import derive as D
from geomap.service import store as S
from geomap.service.incremental import derive_incremental

__all__ = ["Service", "Stored"]

log = logging.getLogger("geomap.service")

PACE_MAX_S = 0.5  # longest pause between two derivations under load
MAX_BATCH = 200  # reports analysed in one pipeline call at most


class GroupCommit:
    """The writes of concurrent requests in one transaction: one commit (one fsync) for
    all the requests waiting, instead of one each, and no queueing on SQLite's busy
    handler. If the shared transaction fails, each request is written alone, so a bad
    request fails only itself."""

    def __init__(
        self, store: S.Store, write: Callable[[sa.Connection, list[Any]], list[Any]]
    ) -> None:
        self.store = store
        self.write = write
        self.cond = threading.Condition()
        self.queue: list[tuple[Any, Future[Any]]] = []
        threading.Thread(target=self._loop, name="geomap-commit", daemon=True).start()

    def submit(self, item: Any) -> Any:
        """Write ``item`` (with whatever else is waiting); returns what ``write`` returned
        once committed, or raises its error."""
        future: Future[Any] = Future()
        with self.cond:
            self.queue.append((item, future))
            self.cond.notify()
        return future.result()

    def _loop(self) -> None:
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                batch, self.queue = self.queue, []
            try:
                with self.store.write() as conn:
                    results = self.write(conn, [item for item, _ in batch])
            except Exception:
                for item, future in batch:
                    try:
                        with self.store.write() as conn:
                            future.set_result(self.write(conn, [item])[0])
                    except Exception as err:
                        future.set_exception(err)
            else:
                for (_, future), result in zip(batch, results, strict=True):
                    future.set_result(result)


@dataclass
class Stored:
    """The outcome of posting one report."""

    id: str
    seq: int
    new: bool
    events: list[str] | None  # the events the report tells (its versions); None: pending
    merged: list[str] | None = None  # the merged events it supports (after derivation)


class Service:
    """Accepts and retracts reports; keeps the derived tables up to date.

    A report is committed whole (``pending``) before it is acknowledged. One background
    thread analyses the pending reports, as many as have arrived at once in one pipeline
    call (the pipeline's cost is mostly per call), and stores what it found with the
    report made live in one transaction; another derives events and control from the
    changes, coalescing them. A POST waits (a bounded time) until the derivation that
    includes its reports is committed, unless asked not to. A crash leaves at worst
    pending reports and derived tables behind the reports: both are caught up on start.
    """

    def __init__(self, db: str | None = None, *, pipeline: D.Pipeline | None = None) -> None:
        self.store = S.Store(db)
        self.pipeline = pipeline or D.Pipeline()
        self._commits = GroupCommit(self.store, self._accept_all)
        self._to_analyse = threading.Event()
        self._analysed = threading.Condition()
        self._dirty = threading.Event()
        self._derived = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._analyser: threading.Thread | None = None
        self.derived_seq = 0
        # called (from the deriving thread) after each derivation that wrote something,
        # e.g. to wake the Server-Sent Events streams at once instead of at their next poll
        self.listeners: list[Callable[[], None]] = []

    # --- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        """Migrate, repair what a crash left behind (analyse the pending reports, derive
        from all live reports), start analysing and deriving."""
        self.store.migrate()
        self.pipeline.warm()
        while self.analyse_pending():
            pass
        self.derive_now(full=True)
        self._thread = threading.Thread(target=self._loop, name="geomap-derive", daemon=True)
        self._thread.start()
        self._analyser = threading.Thread(
            target=self._analyse_loop, name="geomap-analyse", daemon=True
        )
        self._analyser.start()

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        self._to_analyse.set()
        for thread in (self._analyser, self._thread):
            if thread:
                thread.join(timeout=30)
        self.store.dispose()

    # --- analysis ----------------------------------------------------------------------
    def analyse_pending(self, limit: int = MAX_BATCH) -> int:
        """Analyse up to ``limit`` pending reports in one pipeline call and store what was
        found; returns how many were analysed."""
        r = S.reports
        with self.store.read() as conn:
            rows = conn.execute(
                sa.select(r)
                .where(r.c.pending.is_(True), r.c.retracted_seq.is_(None))
                .order_by(r.c.seq)
                .limit(limit)
            ).all()
        if not rows:
            return 0
        reports = [D.stored_report(row) for row in rows]
        try:
            found = self.pipeline.analyse_many(reports)
        except Exception:  # one by one, so one bad report fails only itself
            found = {}
            for report in reports:
                try:
                    found[report.id] = self.pipeline.analyse(report)
                except Exception:
                    log.exception("analysis of %s failed: stored without places", report.id)
                    found[report.id] = D.Analysis(report)
        with self.store.write() as conn:
            still = set(
                conn.execute(
                    sa.select(r.c.id).where(
                        r.c.id.in_(list(found)), r.c.pending.is_(True), r.c.retracted_seq.is_(None)
                    )
                ).scalars()
            )
            # in the order they were accepted, those not retracted meanwhile
            done = [found[x.id] for x in reports if x.id in still]
            if done:
                D.store_analyses(conn, done, S.Store.next_seq(conn, len(done)))
        self._dirty.set()
        with self._analysed:
            self._analysed.notify_all()
        return len(rows)

    def _analyse_loop(self) -> None:
        while not self._stop.is_set():
            self._to_analyse.wait(timeout=5)
            self._to_analyse.clear()
            try:
                while not self._stop.is_set():
                    self._to_analyse.clear()
                    started = time.monotonic()
                    n = self.analyse_pending()
                    if not n:
                        break
                    # under a stream of reports (more arrived during the call), pause
                    # about as long as the call took, so the next call takes twice as
                    # many at once: the pipeline's cost is mostly per call
                    if self._to_analyse.is_set() and n < MAX_BATCH:
                        self._stop.wait(min(PACE_MAX_S / 2, time.monotonic() - started))
            except Exception:  # keep serving; the next report retries
                log.exception("analysis failed")
                time.sleep(1)

    def wait_analysed(self, ids: list[str], timeout: float = 30.0) -> int | None:
        """Wait until none of the reports ``ids`` is pending; returns their last ``seq``
        (None on timeout)."""
        deadline = time.monotonic() + timeout
        r = S.reports
        with self._analysed:
            while True:
                with self.store.read() as conn:
                    rows = conn.execute(
                        sa.select(r.c.seq, r.c.pending, r.c.retracted_seq).where(r.c.id.in_(ids))
                    ).all()
                if not any(x.pending and x.retracted_seq is None for x in rows):
                    return max((x.seq for x in rows), default=0)
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._analysed.wait(min(left, 1.0))

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
                n += derive_incremental(self.store, self.pipeline.region_index) or 0
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
            # under a stream of writes (changes arrived while deriving), derive at most
            # about half the time, so more changes are merged in one pass (its cost is
            # partly per pass) and the analysis of new reports gets the CPU; a change
            # after a quiet spell is derived at once. The pause is short (PACE_MAX_S):
            # it adds to the time from a POST to its event on the live page.
            if self._dirty.is_set():
                self._stop.wait(min(PACE_MAX_S, time.monotonic() - started))

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
        """Accept reports (all or none, committed before this returns); returns one
        :class:`Stored` per report. ``wait``: until they are analysed and events and
        control include them; otherwise at once (``events`` None: not analysed yet)."""
        reports = [D.replace_id(r) for r in reports]
        # the group commit stores what is not stored yet (no separate look first: one
        # read less per request, and a duplicate costs no write, only its share of a
        # transaction that others open anyway)
        out: dict[str, Stored] = self._commits.submit(reports)
        if out:
            self._to_analyse.set()
        if wait and out:
            last = self.wait_analysed(list(out))
            if last is not None:
                self.wait_derived(last)
        results = []
        for report in reports:
            s = out.get(report.id) or Stored(report.id, 0, False, None)
            if wait or not s.new:
                s.events = self.versions_of(report.id)
            s.merged = self.events_of(report.id) if wait else None
            results.append(s)
        return results

    def _accept_all(
        self, conn: sa.Connection, requests: list[list[geo.Report]]
    ) -> list[dict[str, Stored]]:
        """:meth:`_accept` the reports of several requests in one go; a report posted by
        two of them is new for the first only."""
        stored = self._accept(conn, [x for reports in requests for x in reports])
        out = []
        for reports in requests:
            out.append({x.id: stored.pop(x.id) for x in reports if x.id in stored})
        return out

    def _accept(self, conn: sa.Connection, reports: list[geo.Report]) -> dict[str, Stored]:
        """Store the reports not stored yet (inside the caller's write transaction)."""
        r = S.reports
        ids = list(dict.fromkeys(x.id for x in reports))
        state = sa.select(r.c.id, r.c.retracted_seq, r.c.pending).where(r.c.id.in_(ids))
        known = {x.id: x for x in conn.execute(state).all()}
        out: dict[str, Stored] = {}
        todo = [
            x
            for x in {x.id: x for x in reports}.values()
            # not stored yet (maybe stored by a request meanwhile), or retracted
            if known.get(x.id) is None or known[x.id].retracted_seq is not None
        ]
        if not todo:
            return out
        seq = S.Store.next_seq(conn, len(todo))
        rows = []
        for report in todo:
            old = known.get(report.id)
            if old is None:
                rows.append(D.report_row(report, seq))
            else:  # a retracted report posted again: live again
                values = {"retracted_seq": None, "seq": seq}
                conn.execute(r.update().where(r.c.id == report.id).values(**values))
                if not old.pending:  # analysed before (same content: same analysis)
                    data = {"id": report.id, "title": report.title}
                    S.Store.add_change(conn, seq, "report", report.id, data)
                    S.Store.set_meta(conn, "input_seq", seq)
                    self._dirty.set()
            out[report.id] = Stored(report.id, seq, True, None)
            seq += 1
        if rows:
            conn.execute(r.insert(), rows)
        return out

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
