"""geomap's pipeline: reports → places → coordinates → provinces → events → control.

``geo`` never imports ``maps`` or folium.
"""

from geo.boundaries import default_boundaries, load_boundaries
from geo.control import control_as_of, control_timeline
from geo.errors import (
    BoundariesError,
    GazetteerError,
    GeomapError,
    OutputError,
    ReportError,
)
from geo.events import extract_events
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.geocoder import GazetteerGeocoder
from geo.geoparse import PLACE_COLUMNS, find_places
from geo.output import write_table
from geo.provinces import assign_admin1
from geo.reports import Report, read_reports, report_from_text

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
    "write_table",
]
