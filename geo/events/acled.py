"""ACLED's column names for a CSV export of the events table.

:func:`to_acled` is kept as it was when ``geo/events.py`` became a package; the
full ACLED-codebook exporter lives in ``geo.acled``.
"""

from __future__ import annotations

import pandas as pd

from geo.actors import country_name

__all__ = ["ACLED_COLUMNS", "to_acled"]

ACLED_COLUMNS = {
    "event_id": "event_id_cnty",
    "event_date": "event_date",
    "time_precision": "time_precision",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "actor1": "actor1",
    "assoc_actor_1": "assoc_actor_1",
    "actor2": "actor2",
    "country": "country",
    "iso_3166_2": "iso_3166_2",
    "admin1": "admin1",
    "location": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": "geo_precision",
    "source": "source",
    "notes": "notes",
    "claim_status": "claim_status",
    "sources_count": "sources_count",
    "report": "report",
    "start": "start",
    "end": "end",
    "url": "url",
}


def to_acled(events: pd.DataFrame) -> pd.DataFrame:
    """The events with ACLED's column names and values, for a CSV export.

    ``country`` becomes the country's name, ``event_date`` ``YYYY-MM-DD``; columns
    without an ACLED counterpart keep their names after the ACLED ones.
    """
    out = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).copy()
    out["country"] = out["country"].map(lambda c: country_name(c) if isinstance(c, str) else None)
    out["event_date"] = pd.to_datetime(out["event_date"]).dt.strftime("%Y-%m-%d")
    first = [c for c in ACLED_COLUMNS if c in out.columns]
    rest = [c for c in out.columns if c not in ACLED_COLUMNS]
    return out[first + rest].rename(columns=ACLED_COLUMNS)
