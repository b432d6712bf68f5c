"""From stored reports to places, events and control, with geo's public pipeline.

Per report (once, when it arrives): its places (:func:`geo.find_places`) and its versions
of events (:func:`geo.events.event_mentions`, not merged). Across reports: the versions
of the live reports are merged into events (:func:`geo.events.merge_events`, the merge step
of ``extract_events``), and control is computed on the last event day
(:func:`geo.control_as_of`). :func:`derive` does it for the whole store (on start, the
repair after a crash); after each batch of changes the service re-derives only what the
changes can affect (:mod:`geomap.service.incremental`, same result). Only rows that changed
are written, each with a new ``seq`` and a row in the change feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

import geo
from geo.events import event_mentions
from geomap.service import store as S
from geomap.service.control import FIGHTING, Regions, full_control
from geomap.service.versions import partition
from geomap.service.write import apply, digest, write_links

__all__ = ["Analysis", "Pipeline", "content_id", "derive", "digest", "frame_records"]


def content_id(report: geo.Report) -> str:
    """The report's identity: a hash of its content (text and headers), so the same
    report posted twice is one report."""
    h = hashlib.sha256()
    for part in (report.title, report.date, report.url, report.source, report.text):
        h.update(str(part or "").encode("utf-8") + b"\x00")
    return "r-" + h.hexdigest()[:24]


def _json_values(column: pd.Series) -> list[Any] | None:
    """A column's values as JSON-ready Python values, as ``DataFrame.to_json`` writes
    them (dates ``YYYY-MM-DD``, missing values None, floats to 10 decimals); None if
    the column holds something else."""
    kind = column.dtype.kind
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return None
    if kind == "M":
        days = column.to_numpy().astype("datetime64[D]").astype(str).tolist()
        return [None if x == "NaT" else x for x in days]
    if kind == "f":
        return [None if x != x else round(x, 10) for x in column.tolist()]
    if kind in "iub" and not column.hasnans:  # Int64 and boolean may hold <NA>
        return list(column.tolist())
    out: list[Any] = []
    for x in column.tolist():
        if x is None or x is pd.NA or (isinstance(x, float) and x != x):
            out.append(None)
        elif isinstance(x, str | bool | int):
            out.append(x)
        elif isinstance(x, float):
            out.append(round(x, 10))
        else:
            return None
    return out


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts: dates as ``YYYY-MM-DD``, missing values as ``None``.

    Column by column in plain Python (a batch's frames are small: ``to_json`` and the
    copies around it cost more than the values); ``to_json`` for any other column type.
    """
    keys: list[str] = []
    columns: list[list[Any]] = []
    for name, column in pd.DataFrame(df, copy=False).items():
        if name == "geometry":
            continue
        values = _json_values(column)
        if values is None:
            return _frame_records_json(df)
        keys.append(str(name))
        columns.append(values)
    if not keys:
        return [{} for _ in range(len(df))]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def _frame_records_json(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = pd.DataFrame(df.drop(columns=["geometry"], errors="ignore")).copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return list(json.loads(out.to_json(orient="records", date_format="iso")))


@dataclass
class Analysis:
    """What the pipeline found in one report."""

    report: geo.Report
    places: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)


class Pipeline:
    """geo's pipeline with its boundaries loaded once; one analysis at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    @cached_property
    def regions(self) -> gpd.GeoDataFrame:
        return geo.default_boundaries()

    @cached_property
    def region_index(self) -> Regions:
        """The regions' names and countries by code (what control rows need)."""
        return Regions(self.regions)

    def warm(self) -> None:
        self.analyse(geo.report_from_text("date: 2021-01-01\n\nFighting in Kabul."))

    def analyse(self, report: geo.Report) -> Analysis:
        return self.analyse_many([report])[report.id]

    def analyse_many(self, reports: list[geo.Report]) -> dict[str, Analysis]:
        """Analyse reports together (much cheaper per report than one by one: the
        pipeline's cost is mostly per call). Reports are independent: each report's
        places and versions are the same as when analysed alone."""
        unique = list({r.id: r for r in reports}.values())
        out = {r.id: Analysis(r) for r in unique}
        with self.lock:
            places = geo.find_places(unique, boundaries=self.regions)
            if places.empty:
                return out
            # The versions only: they are merged across the store by the derivation
            # (what extract_events would merge here is merged again there).
            versions = event_mentions(unique, places, regions=self.regions)
        versions = pd.DataFrame(versions.drop(columns="geometry"))
        for rec in frame_records(places):
            out[rec["report"]].places.append(rec)
        for rec in frame_records(versions):
            out[rec["report"]].versions.append(rec)
        return out


def report_row(report: geo.Report, seq: int) -> dict[str, Any]:
    """The ``reports`` row of a report just accepted: stored whole, not analysed yet
    (``pending``; :func:`store_analysis` adds what the pipeline found)."""
    return {
        "id": report.id,
        "seq": seq,
        "received": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "date": report.date.isoformat() if report.date else None,
        "title": report.title,
        "url": report.url,
        "source": report.source,
        "text": report.text,
        "date_origin": report.date_origin,
        "retracted_seq": None,
        "pending": True,
    }


def stored_report(row: Any) -> geo.Report:
    """The report of a ``reports`` row, as it was posted (what the pipeline reads)."""
    return geo.Report(
        id=row.id,
        text=row.text,
        date=dt.date.fromisoformat(row.date) if row.date else None,
        title=row.title,
        url=row.url,
        source=row.source,
        date_origin=row.date_origin or "none",
    )


def store_analyses(conn: Connection, analyses: list[Analysis], first_seq: int) -> None:
    """Write what the pipeline found in pending reports (their places and event
    versions) and make them live under new sequence numbers (``first_seq``, then one
    more per report, in the given order), each with its ``report`` change, in a few
    statements (inside the caller's transaction: a report is never half-analysed)."""
    if not analyses:
        return
    ids = [a.report.id for a in analyses]
    for batch in S.chunks(ids):
        conn.execute(S.report_places.delete().where(S.report_places.c.report.in_(batch)))
        conn.execute(S.report_mentions.delete().where(S.report_mentions.c.report.in_(batch)))
    seqs = list(range(first_seq, first_seq + len(analyses)))
    r = S.reports
    conn.execute(
        r.update()
        .where(r.c.id == sa.bindparam("rid"))
        .values(seq=sa.bindparam("s"), pending=False),
        [{"rid": i, "s": seq} for i, seq in zip(ids, seqs, strict=True)],
    )
    places = [
        {
            "report": a.report.id,
            "n": i,
            "country": p.get("country"),
            "lat": p.get("lat"),
            "lon": p.get("lon"),
            "props": json.dumps(p),
        }
        for a in analyses
        for i, p in enumerate(a.places)
    ]
    if places:
        conn.execute(S.report_places.insert(), places)
    mentions = [
        {"report": a.report.id, "n": i, "props": json.dumps(v), **partition(v)}
        for a in analyses
        for i, v in enumerate(a.versions)
    ]
    if mentions:
        conn.execute(S.report_mentions.insert(), mentions)
    conn.execute(
        S.changes.insert(),
        [
            {
                "seq": seq,
                "kind": "report",
                "key": a.report.id,
                "data": json.dumps({"id": a.report.id, "title": a.report.title}),
            }
            for a, seq in zip(analyses, seqs, strict=True)
        ],
    )
    S.Store.set_meta(conn, "input_seq", seqs[-1])


def store_analysis(conn: Connection, analysis: Analysis, seq: int) -> None:
    """:func:`store_analyses` of one report, under ``seq``."""
    store_analyses(conn, [analysis], seq)


def live_versions(conn: Connection) -> tuple[gpd.GeoDataFrame, list[tuple[str, int]]]:
    """The versions of the live reports in the canonical merge order (report ``seq``,
    then ``n``; :mod:`geomap.service.incremental` relies on it), and their keys."""
    rm = S.report_mentions
    rows = conn.execute(
        sa.select(rm.c.report, rm.c.n, rm.c.props)
        .join(S.reports, S.reports.c.id == rm.c.report)
        .where(S.reports.c.retracted_seq.is_(None))
        .order_by(S.reports.c.seq, rm.c.n)
    ).all()
    return events_frame([json.loads(r.props) for r in rows]), [(r.report, r.n) for r in rows]


def events_frame(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Event rows (stored JSON) as a GeoDataFrame with the columns of
    :func:`geo.extract_events`, in the given order."""
    from geo.events import EVENT_COLUMNS

    df = pd.DataFrame(records, columns=EVENT_COLUMNS if not records else None)
    for col in EVENT_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df["event_date"] = pd.to_datetime(df["event_date"], errors="coerce")
    for col in (
        "time_precision",
        "geo_precision",
        "start",
        "end",
        "sentence_start",
        "sentence_end",
    ):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    geometry = gpd.points_from_xy(
        pd.to_numeric(df["longitude"], errors="coerce"),
        pd.to_numeric(df["latitude"], errors="coerce"),
    )
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


def stored_events(conn: Connection) -> gpd.GeoDataFrame:
    """The merged events as a GeoDataFrame (the columns of :func:`geo.extract_events`)."""
    rows = conn.execute(sa.select(S.events.c.props).order_by(S.events.c.seq)).scalars()
    return events_frame([json.loads(r) for r in rows])


def control_regions(events: pd.DataFrame, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The regions of the countries where fighting is reported (as ``geomap control``)."""
    if events.empty:
        return regions.iloc[0:0]
    countries = set(events.loc[events["effect"].isin(FIGHTING), "country"].dropna())
    return regions[regions["country"].isin(countries)]


def compute(
    versions: gpd.GeoDataFrame, regions: Regions | gpd.GeoDataFrame
) -> tuple[dict, dict, dict[str, str], list[tuple[str, str, str]]]:
    """Merged events and current control (by id) from the versions of the live reports,
    the merged event of every version (version id → event id), and the control
    checkpoints of every region (:mod:`geomap.service.control`)."""
    from geo.events import merge_events

    if not isinstance(regions, Regions):
        regions = Regions(regions)
    merged, links = merge_events(versions)
    new_events = {r["event_id"]: r for r in frame_records(merged)}
    control_rows, checkpoints = full_control(list(new_events.values()), regions)
    link = dict(zip(links["version_id"], links["event_id"], strict=True)) if len(links) else {}
    return new_events, control_rows, link, checkpoints


def snapshot(store: S.Store) -> tuple[int, gpd.GeoDataFrame, list[tuple[str, int]]]:
    """The input position (``input_seq``) and the versions of the live reports (and their
    keys), read in one consistent snapshot."""
    with store.read() as conn:
        if not store.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            seq = S.Store.get_meta(conn, "input_seq")
            return seq, *live_versions(conn)


def derive(store: S.Store, pipeline: Pipeline) -> int:
    """Recompute events and control from all live reports (on start: the repair after a
    crash); write what changed. :func:`geomap.service.incremental.derive_incremental`
    does the same for the reports changed since the last derivation only.

    The computation runs outside the write lock, on a snapshot; the write checks that no
    newer derivation was written meanwhile. Returns the number of changes written.
    """
    input_seq, versions, keys = snapshot(store)
    new_events, control_rows, link, checkpoints = compute(versions, pipeline.region_index)
    want = {
        key: link.get(vid)
        for key, vid in zip(keys, versions["event_id"] if len(versions) else [], strict=True)
    }
    with store.write() as conn:
        if S.Store.get_meta(conn, "derived_seq") >= input_seq:
            return 0
        n = apply(conn, new_events, control_rows)
        conn.execute(S.control_days.delete())
        if checkpoints:
            conn.execute(
                S.control_days.insert(),
                [{"iso_3166_2": i, "day": d, "state": st} for i, d, st in checkpoints],
            )
        rm = S.report_mentions
        links = [
            (report, n_, want.get((report, n_)))
            for report, n_, eid in conn.execute(sa.select(rm.c.report, rm.c.n, rm.c.event_id))
            if want.get((report, n_)) != eid
        ]
        write_links(conn, links)
        S.Store.set_meta(conn, "derived_seq", input_seq)
    return n


def replace_id(report: geo.Report) -> geo.Report:
    """The report with its content id."""
    return replace(report, id=content_id(report))
