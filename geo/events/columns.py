"""The columns of the events table and the frame that carries them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

__all__ = ["EVENT_COLUMNS", "frame"]

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
