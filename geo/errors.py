"""The exceptions geomap raises.

One small tree, like geopy's: catch :class:`GeomapError` for everything, or
the built-in base a subclass also derives from (``ValueError``, ``OSError``).
"""

from __future__ import annotations

__all__ = [
    "BoundariesError",
    "GazetteerError",
    "GeomapError",
    "OutputError",
    "ReportError",
]


class GeomapError(Exception):
    """Base class of every error geomap raises on purpose."""


class ReportError(GeomapError, ValueError):
    """A report cannot be read: missing, empty, binary, wrong encoding, bad header."""


class BoundariesError(GeomapError, ValueError):
    """A boundaries file cannot be read or lacks the columns asked for."""


class GazetteerError(GeomapError, RuntimeError):
    """The gazetteer cannot be built or loaded."""


class OutputError(GeomapError, OSError):
    """An output file cannot be written (unknown format, unwritable place)."""
