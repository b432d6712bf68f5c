"""ACLED's column names for geomap's own CSV export of the events table.

``ACLED_COLUMNS`` renames geomap's columns in ``geomap events -o x.csv``; the full
ACLED-codebook export (``geomap events --format acled``) is :func:`geo.acled.to_acled`,
re-exported here so that there is one exporter.
"""

from __future__ import annotations

from geo.acled import to_acled

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
