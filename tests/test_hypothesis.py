"""Property-based tests: arbitrary text, dates and JSON values never raise anything but
geomap's own errors (``geo.errors.GeomapError``) through the reader, the geoparser,
the event extractor and control.

Examples per property stay in the low hundreds with a deadline so CI stays quick; the
heavier pipeline properties are marked ``slow``. ``HYPOTHESIS_PROFILE=campaign`` runs
thousands (the reliability campaign in docs/reliability.md). Every example must also stay
within :data:`CPU_BUDGET` seconds of CPU (a hang).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
import warnings

import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeomapError, ReportError
from geo.reports import DATE_MAX, DATE_MIN, parse_date, read_reports, report_from_text

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=dt.timedelta(seconds=30),  # generous: CI shares two cores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# The campaign runs for long on a shared machine (under ``nice``): a wall-clock deadline
# there measures the neighbours, so it has none; each example's CPU time is checked
# instead (cpu_budget), which is what a hang is.
settings.register_profile(
    "campaign",
    max_examples=int(os.environ.get("GEOMAP_FUZZ_EXAMPLES", 3000)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
#: CPU seconds one example may take: more is a hang (issue 8: none over 10 s under 1 MB).
CPU_BUDGET = float(os.environ.get("GEOMAP_FUZZ_CPU_BUDGET", 10))


@contextlib.contextmanager
def cpu_budget(seconds: float = CPU_BUDGET):
    """Fail if the block takes more than ``seconds`` of this process's CPU time."""
    start = time.process_time()
    try:
        yield
    finally:  # a slow failure is a hang too
        used = time.process_time() - start
        assert used <= seconds, f"{used:.1f} s of CPU for one example (budget {seconds} s)"


# Words that make the pipeline work (places, actors, verbs, dates), mixed with anything.
WORDS = [
    "Kunduz",
    "Herat",
    "Kabul",
    "province",
    "city",
    "capital",
    "district",
    "Taliban",
    "government",
    "forces",
    "captured",
    "fell",
    "seized",
    "retook",
    "clashes",
    "repelled",
    "claimed",
    "denied",
    "on",
    "Monday",
    "yesterday",
    "July 7, 2021",
    "1600-06-01",
    "2300-01-01",
    "0001-01-01",
    "last week",
    "of",
    "the",
    ".",
    ",",
    "\n",
    "\u2028",
    ":",
    "date:",
    "title:",
]
sentences = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), min_size=1, max_size=40
).map(" ".join)
texts = st.one_of(st.text(max_size=400), sentences)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=50)
    | st.sampled_from(WORDS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(texts, json_values),
        "date": st.one_of(st.dates().map(dt.date.isoformat), st.text(max_size=12), json_values),
        "title": json_values,
        "url": json_values,
        "source": json_values,
        "id": json_values,
    },
)
any_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(texts, st.one_of(st.none(), any_dates))
def test_report_from_text_raises_only_report_errors(text, date):
    try:
        with cpu_budget():
            report = report_from_text(text, date=date)
    except ReportError:
        return
    assert report.text.strip()
    if report.date is not None and report.date_origin != "argument":
        assert DATE_MIN <= report.date <= DATE_MAX


@given(st.text(max_size=40))
def test_parse_date_is_in_range_or_a_value_error(value):
    try:
        with cpu_budget():
            date = parse_date(value)
    except ValueError:
        return
    assert DATE_MIN <= date <= DATE_MAX


@given(st.lists(st.one_of(records, json_values), min_size=1, max_size=5), st.booleans())
def test_json_lines_raise_only_report_errors(tmp_path_factory, items, skip_bad):
    path = tmp_path_factory.mktemp("jl") / "r.jsonl"
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    errors: list = []
    try:
        with cpu_budget():
            reports = read_reports(path, errors=errors if skip_bad else None)
    except ReportError:
        return
    for report in reports:
        assert isinstance(report.text, str) and report.text.encode("utf-8")
        assert report.url is None or isinstance(report.url, str)
        assert report.source is None or isinstance(report.source, str)
    assert all(isinstance(e, ReportError) for e in errors)


@given(st.binary(max_size=300))
def test_any_bytes_as_a_file_raise_only_report_errors(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("r.txt", "r.jsonl"):
        (folder / name).write_bytes(data)
        with contextlib.suppress(ReportError), cpu_budget():
            read_reports(folder / name)


@pytest.fixture(scope="module")
def regions():
    from geo.boundaries import default_boundaries

    return default_boundaries()


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("GEOMAP_FUZZ_PIPELINE", 60)))
@given(texts, st.one_of(st.none(), st.dates(min_value=DATE_MIN, max_value=DATE_MAX)))
def test_geoparse_events_control_raise_only_geomap_errors(regions, text, date):
    from geo import find_places
    from geo.control import control_as_of, control_timeline
    from geo.events import extract_events

    try:
        report = report_from_text(text, date=date)
    except ReportError:
        return
    with warnings.catch_warnings(), cpu_budget():
        warnings.simplefilter("ignore")
        try:
            places = find_places([report], boundaries=regions)
            events = extract_events([report], places, regions=regions)
            control_timeline(events, regions)
            control_as_of(events, regions, date or "2021-08-01")
        except GeomapError:
            pass


REGIONS = None


def _regions():
    import geopandas as gpd

    global REGIONS
    if REGIONS is None:
        REGIONS = gpd.GeoDataFrame(
            {"iso_3166_2": ["XX-A", "XX-B"], "admin1": ["A", "B"], "country": ["XX", "XX"]},
            geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
            crs="EPSG:4326",
        )
    return REGIONS


event_dates = st.one_of(
    st.none(),
    st.just(pd.NaT),
    st.dates(min_value=dt.date(1678, 1, 1), max_value=dt.date(2261, 12, 31)).map(pd.Timestamp),
    any_dates,
)
events = st.lists(
    st.fixed_dictionaries(
        {
            "event_id": st.text(min_size=1, max_size=4),
            "event_date": event_dates,
            "iso_3166_2": st.sampled_from(["XX-A", "XX-B", None, "YY-C"]),
            "effect": st.sampled_from(["capture", "fight", "repel", "other", None]),
            "target": st.sampled_from(["whole", "part", None]),
            "capital": st.booleans(),
            "side1": st.sampled_from(["Taliban", "Government of X", None]),
            "claim_status": st.sampled_from(["reported", "claimed", "denied", None]),
            "place_kind": st.sampled_from(["town", "province", "region", "country"]),
        }
    ),
    max_size=12,
)


@settings(max_examples=int(os.environ.get("GEOMAP_FUZZ_CONTROL", 100)))
@given(events, any_dates)
def test_control_raises_nothing_on_any_events(items, as_of):
    from geo.control import control_as_of, control_changes, control_timeline

    table = pd.DataFrame(
        items,
        columns=[
            "event_id",
            "event_date",
            "iso_3166_2",
            "effect",
            "target",
            "capital",
            "side1",
            "claim_status",
            "place_kind",
        ],
    )
    with warnings.catch_warnings(), cpu_budget():
        warnings.simplefilter("ignore")
        changes = control_changes(table)
        timeline = control_timeline(table, _regions())
        assert set(timeline["status"]) <= {"controlled", "contested", "unknown"}
        assert len(timeline) <= len(_regions()) * max(1, 2 * len(table) + 800)
        try:
            out = control_as_of(table, _regions(), as_of)
        except ValueError:  # a day pandas cannot hold: refused with a message
            assert not dt.date(1677, 9, 22) < as_of < dt.date(2262, 4, 11)
            return
    assert len(out) == 2 and len(changes) <= len(table)
