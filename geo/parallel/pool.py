"""The process pool under :mod:`geo.parallel`: chunks, workers, their tasks and stats.

Chunks are guided: the first are large and each next one is a share of the work left,
down to a floor, so the workers finish within a small chunk of each other without
paying a chunk's fixed cost (a table built, pickled and read back) many times. A
chunk's size is counted in characters, which is what both stages' time follows.

Workers are forked on Linux after the gazetteer, the regions and the event rules are
loaded, so they share the parent's memory pages (copy-on-write) instead of each loading
its own copy; the garbage collector's tracked objects are frozen first so that a
collection in a worker does not write to (and so copy) every shared page. A forked
worker reads its reports (and, for events, their places) from the memory it inherits:
a task is a range of report positions, nothing is pickled on the way out. Where fork
is not available, workers are spawned, each loads the embedded gazetteer once
(``initializer``) and tasks carry their reports.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import accumulate
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.gazetteer import Gazetteer, default_gazetteer
from geo.gcpause import gc_paused
from geo.reports import Report

__all__ = [
    "chunk_spans",
    "concat_tables",
    "default_jobs",
    "memory_mb",
    "places_of",
    "pool_stats",
    "run_chunks",
    "runs_serially",
]

# Guided chunks: each takes 1/(_GUIDE * jobs) of the characters left, at least
# 1/(_FLOOR * jobs) of all of them and at most _MAX_CHARS. Measured on 1,000 reports of
# 3,000 characters (docs/scale.md): a chunk's fixed cost is 5-15 ms (pandas building,
# pickling and reading back its table), the work ~2.5 ms a report.
_GUIDE = 2
_FLOOR = 16
_MAX_CHARS = 1_500_000
_MIN_CHARS = 20_000  # a chunk's fixed cost stays small next to its work
# What a report costs besides its characters, in characters (its table rows, its date).
_PER_REPORT = 300

# What a worker needs, set by _init (inherited by fork, or loaded by a spawned worker).
_STATE: dict[str, Any] = {}
# What the last pool did (pool_stats).
_STATS: dict[str, Any] = {}


def default_jobs() -> int:
    """The number of cores this process may run on (``--jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def memory_mb() -> dict[str, float]:
    """This process's memory in MiB: ``rss``, and on Linux ``pss`` and ``uss``.

    PSS (proportional set size) counts a page shared by k processes as 1/k: the sum of
    the workers' PSS is what they really use together. USS counts only private pages.
    """
    import resource

    out = {"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as f:
            fields = {
                line.split(":")[0]: int(line.split()[1]) for line in f if line.endswith("kB\n")
            }
    except OSError:
        return out
    out["rss"] = fields.get("Rss", 0) / 1024
    out["pss"] = fields.get("Pss", 0) / 1024
    out["uss"] = (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024
    return out


def pool_stats() -> dict[str, Any]:
    """What the last pool of this process did, for benchmarks.

    Returns
    -------
    dict
        ``chunks`` (the report ranges, in order), ``start`` and ``end`` (``time.monotonic``
        of the call), ``forked`` (the pool's workers exist from then), and ``workers``:
        per worker process id, ``tasks``, ``task_cpu`` (CPU seconds inside the tasks),
        ``cpu`` (the process's CPU seconds when its last task ended, start-up included),
        ``first_start`` and ``last_end`` (``time.monotonic``). Empty before any pool.
    """
    return _STATS


def chunk_spans(weights: Sequence[int], jobs: int) -> list[tuple[int, int]]:
    """Cut ``len(weights)`` items into guided chunks of consecutive positions.

    Each chunk takes ``1/(2 jobs)`` of the weight left (at least ``1/(16 jobs)`` of the
    total or 20,000, whichever is more, and at most 1.5 million): a few large chunks first, smaller ones at the end, so
    the workers end within a small chunk of each other.

    Parameters
    ----------
    weights : sequence of int
        Each item's cost (for reports: characters plus a fixed part).
    jobs : int
        Worker processes.

    Returns
    -------
    list of (int, int)
        ``[start, stop)`` positions, in order, covering every item once.

    Examples
    --------
    >>> chunk_spans([3000] * 1000, 2)[:3], len(chunk_spans([3000] * 1000, 2))
    ([(0, 250), (250, 438), (438, 579)], 11)
    >>> chunk_spans([3000] * 27, 2)
    [(0, 7), (7, 14), (14, 21), (21, 27)]
    """
    n = len(weights)
    if n == 0:
        return []
    ends = list(accumulate(weights))
    total = ends[-1]
    floor = max(_MIN_CHARS, min(total // (_FLOOR * jobs), _MAX_CHARS // _FLOOR))
    spans: list[tuple[int, int]] = []
    start, done = 0, 0
    while start < n:
        want = min(_MAX_CHARS, max(floor, -(-(total - done) // (_GUIDE * jobs))))
        stop = start + 1
        while stop < n and ends[stop - 1] - done < want:
            stop += 1
        if total - ends[stop - 1] < floor // 2:  # no crumb of a chunk at the end
            stop = n
        spans.append((start, stop))
        done = ends[stop - 1]
        start = stop
    return spans


def _report_spans(reports: Sequence[Report], jobs: int) -> list[tuple[int, int]]:
    return chunk_spans([len(r.text) + _PER_REPORT for r in reports], jobs)


def _init(gazetteer: Gazetteer | None, regions: gpd.GeoDataFrame | None) -> None:
    _STATE["gazetteer"] = gazetteer if gazetteer is not None else default_gazetteer()
    _STATE["regions"] = regions


def _pool(jobs: int, gazetteer: Gazetteer, regions: gpd.GeoDataFrame | None, events: bool):
    if "fork" in mp.get_all_start_methods():
        # Everything the workers read is loaded now, before the fork, so it is shared.
        _warm(gazetteer, regions, events)
        # No collection first: a full one walks the whole heap (0.1 s of the parent's
        # time, in series with the workers), and the young generations hold what the
        # paused collector left (run_chunks), 20 million instructions to walk; what
        # garbage there is costs only memory once frozen.
        gc.freeze()
        try:
            pool = ProcessPoolExecutor(jobs, mp.get_context("fork"), _init, (gazetteer, regions))
            pool.submit(int)  # every worker is forked now, while the heap is frozen
            return pool
        finally:
            gc.unfreeze()
    # Spawned workers cannot inherit memory: each loads the embedded gazetteer once.
    mine = gazetteer if gazetteer is not default_gazetteer() else None
    return ProcessPoolExecutor(jobs, mp.get_context("spawn"), _init, (mine, regions))


def _warm(gaz: Gazetteer, regions: gpd.GeoDataFrame | None, events: bool) -> None:
    from geo.boundaries import load_districts
    from geo.geoparse.words import warm_lexicon

    gaz._columns  # noqa: B018 - cached properties, built once in the parent
    gaz.region_names  # noqa: B018
    if regions is not None and not regions.empty:
        regions.sindex  # noqa: B018 - the regions' spatial index, kept on the table
    load_districts()  # each admin-2 file, read once (geo.boundaries caches it)
    # the English lexicon some names are tested against: each worker of a 1,000-report
    # pool read it (~0.3 s, 0.85 x 10^9 instructions) when the parent had not
    warm_lexicon()
    if events:  # the rules cost ~0.1 s to make: only where events are read
        from geo.actors import warm_actors
        from geo.events import load_event_rules
        from geo.events.rules import rule_matcher
        from geo.gates import SHARED_PASS

        rule_matcher(tuple(load_event_rules()))  # with its literal automaton
        warm_actors()  # with the nationality words' expression
        SHARED_PASS.ready()  # the one automaton of the event stage's start strings


def _forks() -> bool:
    return "fork" in mp.get_all_start_methods()


def _task(args: tuple[str, Any]) -> tuple[Any, tuple]:
    """Run one chunk in a worker; with it, what it cost (for :func:`pool_stats`)."""
    kind, payload = args
    t0, c0 = time.monotonic(), time.thread_time()
    with gc_paused():  # the stages' rows and their pickling make no reference cycles
        out = {
            "places": _places_chunk,
            "events": _events_chunk,
            "event_rows": _event_rows_chunk,
            "both": _both_chunk,
        }[kind](payload)
        if kind in ("places", "both"):
            out = (_shipped(out[0]), out[1]) if kind == "both" else _shipped(out)
    return out, (os.getpid(), t0, time.monotonic(), time.thread_time() - c0, time.process_time())


def _shipped(table: gpd.GeoDataFrame) -> Any:
    """A places table made light to send to the parent: its points as the coordinates of
    each distinct point object, and which one each row holds.

    The points' WKB (what a GeoDataFrame pickles) cost two thirds of a chunk's pickling
    and reading back (docs/scale.md); the coordinates are exact. A chunk's rows share a
    point object per gazetteer record (as one process's table does), a few thousand for
    hundreds of thousands of rows: the parent makes those few again, not a point a row,
    each of which the garbage collector would then walk (docs/scale.md, "The parent's
    share")."""
    geometry = table.geometry.values
    kinds = shapely.get_type_id(geometry)
    plain = not (shapely.has_z(geometry).any() or shapely.is_empty(geometry).any())
    if not plain or not np.isin(kinds, (_POINT, _MISSING)).all():
        return table  # not plain points only: as it is
    objects = np.asarray(geometry, dtype=object)
    codes, distinct = pd.factorize(np.fromiter(map(id, objects), np.int64, len(objects)))
    first = np.unique(codes, return_index=True)[1]  # each distinct object's first row
    shared = objects[first]
    name = table.geometry.name
    return _Points(
        pd.DataFrame(table.drop(columns=name)),
        name,
        list(table.columns).index(name),
        shapely.get_x(shared),
        shapely.get_y(shared),
        kinds[first] == _MISSING,
        table.crs,
        codes.astype(np.int32 if len(distinct) < 2**31 else np.int64),
    )


_POINT, _MISSING = 0, -1  # shapely's type ids of a point and of no geometry


class _Points(NamedTuple):
    """A places table in transit: the table without its geometry, the coordinates of its
    distinct points, and the point each row holds."""

    table: pd.DataFrame
    name: str
    at: int
    x: np.ndarray
    y: np.ndarray
    missing: np.ndarray
    crs: Any
    rows: np.ndarray

    def landed(self) -> gpd.GeoDataFrame:
        """The table as the worker had it (its rows sharing point objects as there)."""
        points = shapely.points(self.x, self.y)
        points[self.missing] = None
        table = self.table
        table.insert(
            self.at, self.name, gpd.GeoSeries(points[self.rows], index=table.index, crs=self.crs)
        )
        return gpd.GeoDataFrame(table, geometry=self.name, crs=self.crs)


def _landed(kind: str, out: Any) -> Any:
    """A chunk's result in the parent, as the worker's stage made it."""
    if kind == "places" and isinstance(out, _Points):
        return out.landed()
    if kind == "both" and isinstance(out[0], _Points):
        return out[0].landed(), out[1]
    return out


def _places_chunk(payload: Any) -> gpd.GeoDataFrame:
    from geo.geoparse import find_places as find

    if isinstance(payload, tuple):  # a forked worker: the parent's reports, inherited
        a, b = payload
        payload = _STATE["job"]["reports"][a:b]
    return find(payload, gazetteer=_STATE["gazetteer"], boundaries=_STATE["regions"])


def _chunk_job(payload: Any) -> tuple[list[Report], pd.DataFrame, dict[str, Any]]:
    """A chunk's reports, their places and the event options."""
    if isinstance(payload, tuple):  # a forked worker: the parent's reports and places
        job = _STATE["job"]
        a, b = payload
        chunk = job["reports"][a:b]
        return chunk, places_of(chunk, job["places"], job["by_report"]), job["kwargs"]
    return payload["reports"], payload["places"], payload["kwargs"]


def _events_chunk(payload: Any) -> gpd.GeoDataFrame:
    from geo.events import event_mentions

    chunk, places, kwargs = _chunk_job(payload)
    with warnings.catch_warnings():
        # A report without a date is warned about once, by the parent, for all reports.
        warnings.simplefilter("ignore")
        return event_mentions(chunk, places, regions=_STATE["regions"], **kwargs)


def _event_rows_chunk(payload: Any) -> tuple[list[tuple], list[str]]:
    """A chunk's event versions as rows (what one process merges without a table), its
    twins left out here rather than in the parent (:func:`_rows`)."""
    from geo.events import event_rows

    chunk, places, kwargs = _chunk_job(payload)
    return _rows(event_rows(chunk, places, regions=_STATE["regions"], **kwargs))


def _rows(found: tuple[list[tuple], list[str]]) -> tuple[list[tuple], list[str]]:
    """A chunk's rows without their twins (:func:`geo.events.without_twins`, the same
    chunk by chunk as for all rows), as columns (:func:`geo.events.version_columns`):
    the workers drop the twins and turn the rows, in parallel, and pickle fewer objects;
    the parent adds each chunk's to its merge (:class:`geo.events.VersionMerge`)."""
    from geo.events import version_columns, without_twins

    rows, undated = found
    return version_columns(without_twins(rows)), undated


def _both_chunk(payload: Any) -> tuple[gpd.GeoDataFrame, tuple[list[tuple], list[str]]]:
    """A chunk's places, and its event versions as rows read from those places (in the
    worker that found them: they go to no second pool, and each report's sentences are
    split once)."""
    from geo.events import event_rows
    from geo.geoparse import find_places as find

    if isinstance(payload, tuple):  # a forked worker: the parent's reports, inherited
        a, b = payload
        chunk, kwargs = _STATE["job"]["reports"][a:b], _STATE["job"]["kwargs"]
    else:
        chunk, kwargs = payload["reports"], payload["kwargs"]
    regions = _STATE["regions"]
    places = find(chunk, gazetteer=_STATE["gazetteer"], boundaries=regions)
    return places, _rows(event_rows(chunk, places, regions=regions, **kwargs))


def places_of(
    chunk: Sequence[Report], places: pd.DataFrame, by_report: dict[str, Any]
) -> pd.DataFrame:
    rows = [i for r in chunk for i in by_report.get(r.id, ())]
    return places.iloc[sorted(rows)]


def run_chunks(
    kind: str,
    job: dict[str, Any],
    jobs: int,
    pool_args: tuple,
    spawn_payload: Callable[[int, int], Any],
) -> Iterator[Any]:
    """The chunks' results, in report order, from a pool of ``jobs`` workers.

    Every chunk is submitted at once, largest first (:func:`chunk_spans`): a worker takes
    the next one as soon as it is free. Forked workers read ``job`` (the reports, and
    what else the chunk needs) from the memory they inherit, so a task is its range;
    spawned ones get ``spawn_payload(start, stop)``.
    """
    from geo.progress import progress

    reports = job["reports"]
    spans = _report_spans(reports, jobs)
    forks = _forks()
    workers: dict[int, dict[str, Any]] = {}
    _STATS.clear()
    _STATS.update(chunks=spans, start=time.monotonic(), workers=workers)
    # The collector is paused in the parent while it reads the chunks back (and so in the
    # workers forked now): their tables and rows hold no reference cycles.
    with gc_paused():
        if forks:
            _STATE["job"] = job
        try:
            pool = _pool(min(jobs, len(spans)), *pool_args)
            _STATS["forked"] = time.monotonic()
        finally:
            _STATE.pop("job", None)  # the workers have their copy; spawn ones never need it
        try:
            futures: list[Future] = [
                pool.submit(_task, (kind, (a, b) if forks else spawn_payload(a, b)))
                for a, b in spans
            ]
            for future in progress(futures, desc="reports", total=len(spans), unit="chunk"):
                out, (pid, t0, t1, task_cpu, cpu) = future.result()
                w = workers.setdefault(
                    pid,
                    {"tasks": 0, "task_cpu": 0.0, "cpu": 0.0, "first_start": t0, "last_end": t1},
                )
                w["tasks"] += 1
                w["task_cpu"] += task_cpu
                w["cpu"] = max(w["cpu"], cpu)
                w["first_start"] = min(w["first_start"], t0)
                w["last_end"] = max(w["last_end"], t1)
                yield _landed(kind, out)
        finally:
            # Chunks not started are dropped (an error, an interrupt); a running one ends.
            pool.shutdown(wait=True, cancel_futures=True)
            _STATS["end"] = time.monotonic()


def concat_tables(frames: Iterable[pd.DataFrame], empty: Callable[[], pd.DataFrame]) -> Any:
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty()
    out = pd.concat(parts, ignore_index=True)
    first = parts[0]
    if isinstance(first, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=first.geometry.name, crs=first.crs)
    _retype(out, parts)
    return out


def _retype(out: pd.DataFrame, parts: list[pd.DataFrame]) -> None:
    """Give each column of ``out`` the type one table of all the rows would have.

    A table infers a column's type from its values: a chunk where a column is empty
    (say, no report of the chunk names a second actor) has it as ``object``, the other
    chunks as ``str``, and their concatenation is ``object`` where one process gives
    ``str``. The type is the one the chunks that hold a value agree on.
    """
    for column in out.columns:
        if len({p[column].dtype for p in parts}) < 2:
            continue
        held = {p[column].dtype for p in parts if p[column].notna().any()}
        if len(held) == 1:
            out[column] = out[column].astype(held.pop())


def runs_serially(reports: Sequence[Report], jobs: int | None) -> bool:
    return (jobs if jobs is not None else default_jobs()) <= 1 or len(reports) <= 1
