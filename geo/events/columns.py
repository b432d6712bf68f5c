"""The columns of the events table and the frame that carries them."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pandas as pd

__all__ = ["EVENT_COLUMNS", "IdKey", "event_id", "frame"]

#: What a version's ``event_id`` is made of: report id, trigger start, place start (offsets
#: in the report) and sub-event type. Rows may carry it in place of the id, to be made
#: only for the rows that are kept (:func:`geo.events.merge.merge_rows`).
IdKey = tuple[str, int, int, str]


def event_id(report: str, start: int, place_start: int, sub_event_type: str) -> str:
    """The id of an event version: a digest of where it is told and what it is.

    Examples
    --------
    >>> event_id("r-1", 10, 30, "Armed clash")[:3]
    'ev-'
    """
    key = f"{report}:{start}:{place_start}:{sub_event_type}"
    return f"ev-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


EVENT_COLUMNS = [
    "event_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "host",
    "side1",
    "side2",
    "country",
    "admin1",
    "iso_3166_2",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "claim_status",
    "sources_count",
    "report",
    "start",
    "end",
    "url",
    "sentence_start",
    "sentence_end",
    "reports",
    "sources",
    "date_origin",
    "effect",
    "target",
    "capital",
    "place_kind",
    "place_source",
    "flags",
]
# ACLED's export names for the columns we share (CSV output).


def frame(rows: list[dict] | list[tuple]) -> gpd.GeoDataFrame:
    """The events table of rows (dicts, or tuples of the values of :data:`EVENT_COLUMNS`)."""
    df = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    df["event_date"] = pd.to_datetime(df["event_date"])
    for col in (
        "time_precision",
        "geo_precision",
        "sources_count",
        "start",
        "end",
        "sentence_start",
        "sentence_end",
    ):
        df[col] = df[col].astype("Int64")
    df["capital"] = df["capital"].astype(bool)
    df["latitude"] = df["latitude"].astype(float)
    df["longitude"] = df["longitude"].astype(float)
    return gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326"
    )
