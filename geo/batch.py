"""Past one machine: geoparsing and event extraction of sharded reports on a Dask cluster.

:func:`run_batch` reads a folder of shards (JSON Lines files, one report per line as
:func:`geo.reports.read_reports` reads them, or Parquet files with a ``text`` column
and optional ``id``, ``date``, ``title``, ``url``, ``source``). Each shard is one
partition: a Dask worker reads it, finds its places (:func:`geo.geoparse.find_places`,
joined to the regions, which are scattered to every worker once) and its event
versions (:func:`geo.events.event_mentions`), and writes both as GeoParquet
(``places/part-NNNNN.parquet``, ``event_versions/part-NNNNN.parquet``). The client then
merges the versions of all partitions, in shard order, with
:func:`geo.events.merge_events` — the same merge as in one process — and computes
control from the merged events. The result is the same as one process on the same
reports (``tests/test_batch.py``).

The output folder is built beside its target and moved into place when complete: a
failed run leaves no half-written folder. See ``docs/scale.md`` for a multi-node cluster.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.errors import GeomapError, ReportError
from geo.reports import Report, parse_date, read_reports, report_from_text

__all__ = ["BatchResult", "read_shard", "run_batch", "shards"]

SHARD_SUFFIXES = (".jsonl", ".parquet")


@dataclass
class BatchResult:
    """What :func:`run_batch` wrote and found."""

    output: Path
    partitions: int
    reports: int
    places: int
    versions: int
    events: int
    control_regions: int


def shards(folder: str | Path) -> list[Path]:
    """The shard files of a folder (``.jsonl`` and ``.parquet``), in name order.

    Raises
    ------
    ReportError
        If ``folder`` is no folder or holds no shard.
    """
    path = Path(folder)
    if not path.is_dir():
        raise ReportError(f"{path}: no such folder of shards (.jsonl or .parquet files)")
    found = sorted(p for p in path.iterdir() if p.suffix.lower() in SHARD_SUFFIXES)
    if not found:
        raise ReportError(f"{path}: the folder holds no .jsonl or .parquet shards")
    return found


def read_shard(path: str | Path, date: dt.date | None = None) -> list[Report]:
    """The reports of one shard (``.jsonl`` as :func:`geo.reports.read_reports`, or
    ``.parquet`` with the same fields as columns).

    Raises
    ------
    ReportError
        Naming the shard (and row) and what is wrong with it.
    """
    path = Path(path)
    if path.suffix.lower() != ".parquet":
        return read_reports(path, date=date)
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise ReportError(f"{path}: not a readable Parquet file ({err})") from err
    if "text" not in table.columns:
        raise ReportError(f"{path}: expected a 'text' column")
    reports = []
    for row, record in enumerate(table.to_dict("records")):
        where = f"{path}:{row}"
        text = record.get("text")
        if not isinstance(text, str):
            raise ReportError(f"{where}: 'text' is not a string")
        record_date = date
        raw = record.get("date")
        if raw is not None and not (isinstance(raw, float) and raw != raw) and str(raw):
            try:
                record_date = parse_date(str(raw)[:10])
            except ValueError as err:
                raise ReportError(f"{where}: bad 'date': {err}") from err
        report = report_from_text(
            text,
            name=str(record.get("id") or record.get("title") or f"{path.stem}-{row}"),
            date=record_date,
            title=_str(record.get("title")),
            url=_str(record.get("url")),
            source=_str(record.get("source")),
            path=where,
            parse_header=False,
        )
        if record_date is not None and raw:
            report = replace(report, date=record_date, date_origin="header")
        reports.append(report)
    return reports


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _partition(
    index: int, shard: str, out: str, regions: gpd.GeoDataFrame, date: dt.date | None
) -> tuple[int, gpd.GeoDataFrame]:
    """One partition, on a worker: its places and event versions, written as GeoParquet."""
    import warnings

    from geo.events import event_mentions
    from geo.geoparse import find_places
    from geo.output import write_table

    reports = read_shard(shard, date)
    places = find_places(reports, boundaries=regions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undated reports: their events have no date
        versions = event_mentions(reports, places, regions=regions)
    name = f"part-{index:05d}.parquet"
    write_table(places, Path(out) / "places" / name)
    write_table(versions, Path(out) / "event_versions" / name)
    return len(reports), versions


def run_batch(
    folder: str | Path,
    output: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    regions: gpd.GeoDataFrame | None = None,
    date: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Geoparse and extract events from a folder of shards on a Dask cluster.

    Parameters
    ----------
    folder : path
        Shards: ``.jsonl`` or ``.parquet`` files (:func:`read_shard`).
    output : path
        A new (or empty) folder: ``places/`` and ``event_versions/`` (one GeoParquet
        file per shard), ``events.parquet`` (merged), ``event_versions.parquet`` (every
        version with the ``event_id`` it merged into), ``control.parquet`` (every region's
        control as of the last dated event, when there is one). On a cluster of several
        machines it must be on storage every worker and the client can reach.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); by default a
        ``LocalCluster`` of ``workers`` processes is started and stopped.
    workers : int, optional
        Worker processes of the local cluster (default: every core).
    regions : GeoDataFrame, optional
        Admin-1 polygons (default :func:`geo.boundaries.default_boundaries`); sent to
        every worker once.
    date : datetime.date, optional
        Date of reports that give none.
    progress : callable, optional
        Called with (partitions done, partitions) as they finish.

    Returns
    -------
    BatchResult

    Raises
    ------
    ReportError
        For a bad shard (the first one met).
    GeomapError
        If ``output`` exists and is not empty, or the scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster, as_completed

    from geo.boundaries import default_boundaries
    from geo.events import merge_events
    from geo.output import write_table
    from geo.parallel import default_jobs

    files = shards(folder)
    target = Path(output)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GeomapError(f"{target}: exists and is not an empty folder; give a new one")
    if not target.parent.is_dir():
        raise GeomapError(f"{target}: the folder {str(target.parent)!r} does not exist")
    regions = regions if regions is not None else default_boundaries()
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    cluster = None
    try:
        (tmp / "places").mkdir()
        (tmp / "event_versions").mkdir()
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as err:
                raise GeomapError(f"{scheduler}: cannot reach the Dask scheduler ({err})") from err
        else:
            cluster = LocalCluster(
                n_workers=workers or default_jobs(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                env={"GEOMAP_CACHE": os.environ.get("GEOMAP_CACHE", "")},
            )
            client = Client(cluster)
        with client:
            shared = client.scatter(regions, broadcast=True)
            futures = [
                client.submit(_partition, i, str(f), str(tmp), shared, date, pure=False)
                for i, f in enumerate(files)
            ]
            for done, _ in enumerate(as_completed(futures), start=1):
                if progress:
                    progress(done, len(futures))
            results = client.gather(futures)
        n_reports = sum(n for n, _ in results)
        parts = [v for _, v in results if len(v)]
        mentions = pd.concat(parts, ignore_index=True) if parts else results[0][1]
        mentions = gpd.GeoDataFrame(mentions, geometry="geometry", crs="EPSG:4326")
        events, versions = merge_events(mentions)
        write_table(events, tmp / "events.parquet")
        write_table(versions, tmp / "event_versions.parquet")
        control = _control(events, regions)
        if control is not None:
            write_table(control, tmp / "control.parquet")
        n_places = sum(len(pd.read_parquet(p, columns=["report"])) for p in _parts(tmp, "places"))
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(tmp, target)
    finally:
        if cluster is not None:
            cluster.close()
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return BatchResult(
        output=target,
        partitions=len(files),
        reports=n_reports,
        places=n_places,
        versions=len(versions),
        events=len(events),
        control_regions=0 if control is None else len(control),
    )


def _parts(folder: Path, name: str) -> list[Path]:
    return sorted((folder / name).glob("part-*.parquet"))


def _control(events: pd.DataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame | None:
    """Control of the regions of the countries where fighting is reported (as ``geomap
    control`` chooses them), as of the last dated event; None when there is none."""
    from geo.control import control_as_of, fighting_regions

    dated = events["event_date"].dropna() if len(events) else pd.Series(dtype="datetime64[ns]")
    if dated.empty:
        return None
    chosen = fighting_regions(events, regions)
    if chosen.empty:
        return None
    control = control_as_of(events, chosen, dated.max().date())
    return control if len(control) else None
