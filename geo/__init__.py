"""geomap's pipeline: reports → places → coordinates → provinces → events → control.

``geo`` never imports ``maps`` or folium. Names are re-exported lazily, so that
``import geo.gazetteer`` does not pay for geopy, the events rules and the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# First: decides whether the compiled modules or their sources run (setup.py).
from geo import native as _native  # noqa: F401

_EXPORTS = {
    "to_acled": "geo.acled",
    "default_boundaries": "geo.boundaries",
    "load_boundaries": "geo.boundaries",
    "control_as_of": "geo.control",
    "control_timeline": "geo.control",
    "BoundariesError": "geo.errors",
    "GazetteerError": "geo.errors",
    "GeomapError": "geo.errors",
    "OutputError": "geo.errors",
    "ReportError": "geo.errors",
    "extract_events": "geo.events",
    "Gazetteer": "geo.gazetteer",
    "default_gazetteer": "geo.gazetteer",
    "GazetteerGeocoder": "geo.geocoder",
    "PLACE_COLUMNS": "geo.geoparse",
    "find_places": "geo.geoparse",
    "write_table": "geo.output",
    "assign_admin1": "geo.provinces",
    "Report": "geo.reports",
    "read_reports": "geo.reports",
    "report_from_text": "geo.reports",
}
__all__ = [
    "PLACE_COLUMNS",
    "BoundariesError",
    "Gazetteer",
    "GazetteerError",
    "GazetteerGeocoder",
    "GeomapError",
    "OutputError",
    "Report",
    "ReportError",
    "assign_admin1",
    "control_as_of",
    "control_timeline",
    "default_boundaries",
    "default_gazetteer",
    "extract_events",
    "find_places",
    "load_boundaries",
    "read_reports",
    "report_from_text",
    "to_acled",
    "write_table",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:
    from geo.acled import to_acled
    from geo.boundaries import default_boundaries, load_boundaries
    from geo.control import control_as_of, control_timeline
    from geo.errors import BoundariesError, GazetteerError, GeomapError, OutputError, ReportError
    from geo.events import extract_events
    from geo.gazetteer import Gazetteer, default_gazetteer
    from geo.geocoder import GazetteerGeocoder
    from geo.geoparse import PLACE_COLUMNS, find_places
    from geo.output import write_table
    from geo.provinces import assign_admin1
    from geo.reports import Report, read_reports, report_from_text
