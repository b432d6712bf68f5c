"""Every core of one machine: geoparsing and event extraction in a process pool.

:func:`find_places` and :func:`extract_events` here take the same arguments as
:func:`geo.geoparse.find_places` and :func:`geo.events.extract_events`, plus
``jobs``. Reports are cut into chunks in report order; each worker process runs the
single-process function on its chunks; the results are put back in report order, so
the output is the same as with ``jobs=1``, byte for byte. Events are extracted per
report in the workers and merged across all reports in the parent with
:class:`geo.events.VersionMerge`, the same merge as in one process: each chunk's
versions are read into it as they arrive, while the workers read the next chunks.

:func:`places_and_events` runs both stages in one pool: each worker geoparses its chunk
and reads the events of the places it has just found, so the places go to no second
pool and each report's sentences are split once. The commands that need both (``events``,
``control``, ``chart``, ``map``, ``export``) use it.

How the pool cuts, forks and schedules is :mod:`geo.parallel.pool`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.gazetteer import Gazetteer, default_gazetteer
from geo.gcpause import gc_paused
from geo.parallel.pool import (
    chunk_spans,
    concat_tables,
    default_jobs,
    memory_mb,
    places_of,
    pool_stats,
    run_chunks,
    runs_serially,
)
from geo.region_index import RegionIndex
from geo.reports import Report

__all__ = [
    "RegionIndex",
    "chunk_spans",
    "default_jobs",
    "extract_events",
    "find_places",
    "memory_mb",
    "places_and_events",
    "pool_stats",
]


def _inputs(
    reports: Report | Iterable[Report],
    gazetteer: Gazetteer | None,
    boundaries: gpd.GeoDataFrame | None,
) -> tuple[list[Report], Gazetteer, gpd.GeoDataFrame]:
    """The reports as a list, the gazetteer and the regions (the embedded ones by default)."""
    from geo.boundaries import default_boundaries

    if isinstance(reports, Report):
        reports = [reports]
    regions = boundaries if boundaries is not None else default_boundaries()
    return list(reports), gazetteer or default_gazetteer(), regions


def find_places(
    reports: Report | Iterable[Report],
    *,
    gazetteer: Gazetteer | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    jobs: int | None = None,
) -> gpd.GeoDataFrame:
    """:func:`geo.geoparse.find_places` on ``jobs`` processes (default: every core).

    Parameters
    ----------
    reports, gazetteer, boundaries
        As :func:`geo.geoparse.find_places`.
    jobs : int, optional
        Worker processes; 1 runs in this process. Default :func:`default_jobs`.

    Returns
    -------
    geopandas.GeoDataFrame
        The same table as :func:`geo.geoparse.find_places`, row for row.

    Examples
    --------
    >>> from geo.reports import report_from_text
    >>> rs = [report_from_text(t, name=n) for n, t in [("a", "Clashes in Kunduz province."),
    ...                                                 ("b", "Calm in Herat city.")]]
    >>> find_places(rs, jobs=2)["mention"].tolist()
    ['Kunduz', 'Herat']
    """
    from geo.geoparse import find_places as find

    reports, gaz, regions = _inputs(reports, gazetteer, boundaries)
    if runs_serially(reports, jobs):
        return find(reports, gazetteer=gaz, boundaries=regions)
    parts = run_chunks(
        "places",
        {"reports": reports},
        jobs or default_jobs(),
        (gaz, regions, False),
        lambda a, b: reports[a:b],
    )
    return concat_tables(parts, lambda: find([], gazetteer=gaz, boundaries=regions))


def extract_events(
    reports: Iterable[Report],
    places: pd.DataFrame,
    *,
    regions: gpd.GeoDataFrame | None = None,
    jobs: int | None = None,
    gazetteer: Gazetteer | None = None,
    window_days: int = 2,
    distance_km: float = 25.0,
    versions: bool = False,
    **kwargs: Any,
) -> gpd.GeoDataFrame | tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """:func:`geo.events.extract_events` on ``jobs`` processes (default: every core).

    Each worker finds the event versions of its reports (:func:`geo.events.event_rows`);
    the parent merges them all (:class:`geo.events.VersionMerge`; with ``versions``,
    :func:`geo.events.merge_events` of their table).

    Parameters
    ----------
    reports, places, regions, window_days, distance_km, versions
        As :func:`geo.events.extract_events`; ``kwargs`` (``rules``, ``actors``, ``seats``)
        are passed on too.
    jobs : int, optional
        Worker processes; 1 runs in this process. Default :func:`default_jobs`.
    gazetteer : Gazetteer, optional
        Only to share it with the workers (the embedded one by default).

    Returns
    -------
    GeoDataFrame, or (GeoDataFrame, DataFrame) with ``versions=True``
        The same as :func:`geo.events.extract_events`.
    """
    from geo import events as ev
    from geo.events.extract import warn_undated

    reports = list(reports)
    if runs_serially(reports, jobs):
        return ev.extract_events(
            reports,
            places,
            regions=regions,
            window_days=window_days,
            distance_km=distance_km,
            versions=versions,
            **kwargs,
        )
    by_report = places.groupby("report", sort=False).indices if len(places) else {}
    # only the columns the event stage reads go to the workers (not the geometry, not
    # each mention's sentence): less to copy and to pickle in the parent
    needed = [c for c in places.columns if c in _EVENT_PLACE_COLUMNS]
    slim = pd.DataFrame(places[needed]) if len(places) else places
    job = {"reports": reports, "places": slim, "by_report": by_report, "kwargs": kwargs}

    def spawn_payload(a: int, b: int) -> dict[str, Any]:
        chunk = reports[a:b]
        return {"reports": chunk, "places": places_of(chunk, slim, by_report), "kwargs": kwargs}

    gaz = gazetteer or default_gazetteer()
    if not versions:
        # the merged events only, as one process makes them: the workers' versions, as
        # columns, added to the merge in report order, without the table of every version
        merge = ev.VersionMerge(window_days=window_days, distance_km=distance_km)
        undated: list[str] = []
        with gc_paused():  # see places_and_events
            for part_columns, part_undated in run_chunks(
                "event_rows", job, jobs or default_jobs(), (gaz, regions, True), spawn_payload
            ):
                merge.add(part_columns)  # read now, while the workers go on
                undated += part_undated
            events = merge.events()
            del merge  # see places_and_events
        warn_undated(undated, stacklevel=2)
        return events
    parts = run_chunks("events", job, jobs or default_jobs(), (gaz, regions, True), spawn_payload)
    mentions = concat_tables(
        parts, lambda: ev.event_mentions([], places.iloc[0:0], regions=regions, **kwargs)
    )
    told = set(mentions["report"]) if len(mentions) else set()  # warned once, in report order
    warn_undated([r.id for r in reports if r.date is None and r.id in told], stacklevel=2)
    return ev.merge_events(mentions, window_days=window_days, distance_km=distance_km)


#: The columns of the places table that :func:`geo.events.event_mentions` reads.
_EVENT_PLACE_COLUMNS = frozenset(
    [
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
    ]
)


def places_and_events(
    reports: Report | Iterable[Report],
    *,
    gazetteer: Gazetteer | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    jobs: int | None = None,
    window_days: int = 2,
    distance_km: float = 25.0,
    **kwargs: Any,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The places of reports and their events, both stages in one pool.

    The same two tables as :func:`find_places` then :func:`extract_events` (and so as one
    process), with one pool: each worker geoparses its chunk of reports and reads the
    events of the places it has just found; the parent puts the places back in report
    order and merges the events of all reports (:class:`geo.events.VersionMerge`).

    Parameters
    ----------
    reports, gazetteer, boundaries
        As :func:`geo.geoparse.find_places` (``boundaries`` are also the events' regions).
    jobs : int, optional
        Worker processes; 1 runs in this process. Default :func:`default_jobs`.
    window_days, distance_km
        As :func:`geo.events.extract_events`; ``kwargs`` (``rules``, ``actors``,
        ``seats``) are passed on to it too.

    Returns
    -------
    (GeoDataFrame, GeoDataFrame)
        The places (as :func:`geo.geoparse.find_places`) and the merged events (as
        :func:`geo.events.extract_events`).

    Examples
    --------
    >>> from geo.reports import report_from_text
    >>> rs = [report_from_text(t, name=n, date="2021-08-09") for n, t in [
    ...     ("a", "The Taliban captured Kunduz city on Sunday."),
    ...     ("b", "Fighting went on in Herat city on Monday.")]]
    >>> places, events = places_and_events(rs, jobs=2)
    >>> places["mention"].tolist(), events["sub_event_type"].tolist()
    (['Kunduz', 'Herat'], ['Non-state actor overtakes territory', 'Armed clash'])
    """
    from geo import events as ev
    from geo.events.extract import warn_undated

    reports, gaz, regions = _inputs(reports, gazetteer, boundaries)
    if runs_serially(reports, jobs):
        places = find_places(reports, gazetteer=gaz, boundaries=regions, jobs=1)
        events = ev.extract_events(
            reports,
            places,
            regions=regions,
            window_days=window_days,
            distance_km=distance_km,
            **kwargs,
        )
        return places, events
    from geo.geoparse import find_places as find

    tables: list[gpd.GeoDataFrame] = []
    merge = ev.VersionMerge(window_days=window_days, distance_km=distance_km)
    undated: list[str] = []
    # The collector stays paused until the versions (a tuple each, their ids' keys) are
    # freed, so that it does not walk them first when it comes back (0.1 s on 10,000
    # reports; docs/scale.md, "The parent's share").
    with gc_paused():
        for table, (part_columns, part_undated) in run_chunks(
            "both",
            {"reports": reports, "kwargs": kwargs},
            jobs or default_jobs(),
            (gaz, regions, True),
            lambda a, b: {"reports": reports[a:b], "kwargs": kwargs},
        ):
            tables.append(table)
            merge.add(part_columns)  # read now, while the workers go on
            undated += part_undated
        places = concat_tables(tables, lambda: find([], gazetteer=gaz, boundaries=regions))
        tables.clear()
        events = merge.events()
        del merge
    warn_undated(undated, stacklevel=2)
    return places, events
