"""The geoparser's fast paths give what their plain references give, on any input
(Hypothesis): Nearness.flags's bisection against measuring every pair, the compiled
distance against the formula in plain Python, a sentence's end read back from its end
against the pattern, a confidence rounded without formatting against round()."""

import math
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


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab .!?\"'”’)]\n\t ", "Kabul", "end."]), max_size=12).map("".join),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_a_sentence_ends_with_a_mark_as_the_pattern_says(text, cut_start, cut_end):
    from geo.geoparse.context import _ENDS_SENTENCE, ends_with_mark

    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    expected = _ENDS_SENTENCE.search(text, start, end) is not None
    assert ends_with_mark(text, start, end) == expected


@settings(max_examples=5000, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=1.0)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(0, 2000).map(lambda k: k / 2000)  # the halves of a thousandth
    | st.sampled_from([0.0625, 0.0005, 0.9995, -0.0, 0.1 * 3, 1e-320, 999.9995])
)
def test_a_confidence_is_rounded_as_round_does(x):
    from geo.geoparse.resolve import _round3

    expected, got = round(x, 3), _round3(x)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and math.copysign(1, got) == math.copysign(1, expected)
