"""Nearness.flags finds, by bisection over the candidates and the anchors sorted by
latitude, what measuring every candidate against every anchor finds."""

from math import cos, radians

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.distance import haversine_km
from geo.geoparse.nearness import _CELL, NEAR_KM, Anchor, Nearness, Points

_LAT = st.floats(-89.5, 89.5)
_LON = st.floats(-179.5, 179.5)
# Places clustered so that some fall within NEAR_KM of each other.
_NEAR = st.tuples(st.integers(0, 3), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
_CENTRES = [(34.5, 69.2), (-33.9, 18.4), (64.1, -21.9), (0.0, 179.0)]


def _point(p):
    c, dy, dx = p
    return _CENTRES[c][0] + dy, _CENTRES[c][1] + dx


def _points(places: list[tuple[float, float]]) -> Points:
    order = sorted(range(len(places)), key=lambda k: places[k][0])
    lat = tuple(places[k][0] for k in order)
    return Points(
        tuple(order),
        tuple(100 + k for k in order),
        lat,
        tuple(places[k][1] for k in order),
        tuple(_CELL / max(cos(radians(min(abs(y) + _CELL, 89.0))), 0.01) for y in lat),
    )


def _every_pair(anchors: dict[str, Anchor], key: str, size: int, pts: Points):
    flags = [False] * size
    for k, r, lat, lon, span in zip(
        pts.positions, pts.rids, pts.lat, pts.lon, pts.span, strict=True
    ):
        for name, a in anchors.items():
            if (
                name != key
                and a.rid != r
                and abs(a.lon - lon) <= span
                and haversine_km(a.lat, a.lon, lat, lon) <= NEAR_KM
            ):
                flags[k] = True
    return flags if any(flags) else None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_NEAR, min_size=1, max_size=8),
    st.lists(_NEAR, min_size=1, max_size=30),
    st.integers(0, 8),
)
def test_flags_by_bisection_are_every_pairs(anchor_places, candidates, shared):
    anchors = {
        f"a{i}": Anchor(i if i != shared else 100, *_point(p)) for i, p in enumerate(anchor_places)
    }
    pts = _points([_point(p) for p in candidates])
    size = len(candidates) + 2  # candidates that are not points have no flag set
    for key in ("a0", "elsewhere"):
        assert Nearness(anchors).flags(key, size, pts) == _every_pair(anchors, key, size, pts)


@settings(max_examples=2000, deadline=None)
@given(_LAT, _LON, _LAT, _LON)
def test_the_compiled_distance_is_the_formula_in_plain_python(lat1, lon1, lat2, lon2):
    import math

    from geo.distance import EARTH_RADIUS_KM, great_circle_km, haversine_km

    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    expected = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))
    assert great_circle_km(lat1, lon1, lat2, lon2) == expected  # to the bit
    assert haversine_km(lat1, lon1, lat2, lon2) == expected
