"""Great-circle distance: the one distance function of geomap.

Used by the event merge (versions within a few kilometres are one event), the reverse
geocoder (the nearest town) and the dev-corpus scorer.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "great_circle_km", "haversine_km"]

EARTH_RADIUS_KM: Final = 6371.0088  # the mean radius (IUGG)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """:func:`haversine_km` of one pair of points, as floats (compiled: the geoparser's
    nearness and the event merge call it in their inner loops).

    Examples
    --------
    >>> round(great_circle_km(34.5, 69.2, 31.6, 65.7), 1)
    458.6
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    # within [0, 1] against rounding (a NaN stays a NaN, as with min and max)
    if h < 0.0:
        h = 0.0
    elif h > 1.0:
        h = 1.0
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in kilometres between points in degrees (scalars or arrays).

    Examples
    --------
    >>> round(float(haversine_km(0, 0, 0, 1)), 1)
    111.2
    >>> haversine_km([0, 0], [0, 0], [0, 1], [0, 0]).round(1).tolist()
    [0.0, 111.2]
    """
    if (
        isinstance(lat1, (int, float))
        and isinstance(lon1, (int, float))
        and isinstance(lat2, (int, float))
        and isinstance(lon2, (int, float))
    ):
        # one pair (the event merge's inner loop): plain floats, no arrays
        return great_circle_km(float(lat1), float(lon1), float(lat2), float(lon2))
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
