"""``--jobs N``: a process pool whose output is the same as one process's, byte for byte."""

from __future__ import annotations

import itertools
import json
import warnings

import pytest

from geomap.cli import main
from tests.conftest import SAMPLES

CORPUS = SAMPLES / "corpus"


def _run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("command", "suffix"), [("places", "geojson"), ("events", "csv")])
def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path, capsys, command, suffix):
    outputs = {}
    for jobs in (1, 2):
        (tmp_path / str(jobs)).mkdir()
        out = tmp_path / str(jobs) / f"{command}.{suffix}"  # one name: the layer is the stem
        code, err = _run(capsys, command, CORPUS, "--jobs", jobs, "-o", out)
        assert code == 0, err
        outputs[jobs] = out.read_bytes()
    assert len(outputs[1]) > 1000  # a real table, not two empty ones
    assert outputs[2] == outputs[1]


def test_control_and_warnings_are_the_same_with_a_pool(tmp_path, capsys):
    # Invented reports without dates: the warning about them must be the same, once.
    lines = [
        {"id": f"r{i}", "text": f"Militants attacked a checkpoint in {city} city on Monday."}
        for i, city in enumerate(["Kunduz", "Herat", "Ghazni", "Kandahar", "Herat"])
    ]
    lines.append({"id": "dated", "date": "2021-07-05", "text": "Clashes in Kunduz city."})
    reports = tmp_path / "reports.jsonl"
    reports.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    seen = {}
    for jobs in (1, 2):
        out = tmp_path / f"events-{jobs}.csv"
        code, err = _run(capsys, "events", reports, "--jobs", jobs, "-o", out)
        assert code == 0, err
        seen[jobs] = (out.read_bytes(), err.replace(str(out), "OUT"))
    assert "have no date" in seen[1][1]
    assert seen[2] == seen[1]


def test_bad_jobs_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["places", str(CORPUS), "--jobs", "0"])
    assert exit_.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_memory_is_measured():
    from geo.parallel import memory_mb

    assert {"peak_rss"} <= set(memory_mb())


@pytest.mark.parametrize("jobs", [2, 3, 8])
@pytest.mark.parametrize("seed", [1, 2])
def test_guided_chunks_cover_every_report_once_and_shrink_to_the_end(jobs, seed):
    import random

    from geo.parallel import chunk_spans

    rng = random.Random(seed)
    weights = [rng.randint(200, 9000) for _ in range(rng.randint(300, 3000))]
    spans = chunk_spans(weights, jobs)
    assert spans[0][0] == 0 and spans[-1][1] == len(weights)
    assert all(b > a for a, b in spans)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))  # contiguous, in order
    cost = [sum(weights[a:b]) for a, b in spans]
    # large chunks first, small ones last: the last is a small part of the first
    assert cost[-1] < cost[0] / 3
    assert max(cost[len(cost) // 2 :]) <= max(cost[: len(cost) // 2])
    # not many more chunks than needed to balance the workers
    assert len(spans) < 20 * jobs


def test_pool_stats_say_what_each_worker_did():
    from geo.parallel import find_places, pool_stats
    from geo.reports import read_reports

    reports = list(read_reports([CORPUS]))
    places = find_places(reports, jobs=2)
    stats = pool_stats()
    assert len(places) > 100
    spans = stats["chunks"]
    assert spans[0][0] == 0 and spans[-1][1] == len(reports)
    workers = stats["workers"]
    assert 1 <= len(workers) <= 2
    assert sum(w["tasks"] for w in workers.values()) == len(spans)
    for w in workers.values():
        assert 0 < w["task_cpu"] <= w["cpu"]
        assert stats["start"] <= w["first_start"] <= w["last_end"] <= stats["end"]


def test_region_index_agrees_with_a_spatial_join():
    import geopandas as gpd
    import numpy as np

    from geo.boundaries import default_boundaries
    from geo.region_index import RegionIndex

    regions = default_boundaries().reset_index(drop=True)
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = regions.total_bounds
    x, y = rng.uniform(minx, maxx, 20_000), rng.uniform(miny, maxy, 20_000)
    found = RegionIndex(regions, cell=0.5).lookup(x, y)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=regions.crs)
    joined = gpd.sjoin(points, regions[["geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    expected = joined["index_right"].fillna(-1).astype(int).to_numpy()
    assert (found >= 0).sum() > 5_000 and (found < 0).sum() > 1_000  # both kinds present
    assert (found == expected).all()


def test_the_pool_gives_the_same_tables_as_one_process_types_included():
    # Small chunks: some of them lack a value in a column (a second actor, a district)
    # that others hold; the concatenated table must still have one process's types.
    import pandas as pd

    from geo.events import extract_events as one
    from geo.geoparse import find_places as find_one
    from geo.parallel import extract_events, find_places
    from geo.reports import read_reports

    reports = list(read_reports([CORPUS]))
    places = find_places(reports, jobs=2)
    pd.testing.assert_frame_equal(places, find_one(reports))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undated reports: compared in the test above
        pooled = extract_events(reports, places, jobs=2, versions=True)
        alone = one(reports, places, versions=True)
    for a, b in zip(pooled, alone, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_a_column_empty_in_one_chunk_keeps_the_type_of_the_others():
    import pandas as pd

    from geo.parallel.pool import concat_tables as _concat

    rows = [("a", None), ("b", "x"), ("c", None)]
    whole = pd.DataFrame(rows, columns=["k", "v"])
    parts = [pd.DataFrame(rows[:1], columns=["k", "v"]), pd.DataFrame(rows[1:], columns=["k", "v"])]
    assert parts[0]["v"].dtype != parts[1]["v"].dtype  # the case: object beside str
    pd.testing.assert_frame_equal(_concat(parts, lambda: whole.iloc[0:0]), whole)


def test_a_places_table_crosses_from_a_worker_as_it_was():
    # Points travel as their coordinates (lighter than WKB), once per point object the
    # rows share; a missing point stays missing; a table that is not plain points travels
    # as it is.
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo.parallel.pool import _landed, _shipped

    kabul, london = shapely.Point(69.2, 34.5), shapely.Point(-0.1278, 51.5074)
    herat, kabul_again = shapely.Point(62.2, 34.35), shapely.Point(69.2, 34.5)
    points = [kabul, None, london, kabul, None, herat, kabul_again]
    table = gpd.GeoDataFrame(
        {"a": list("xyzuvwt"), "geometry": points, "b": range(7)}, crs="EPSG:4326"
    )
    sent = _shipped(table)
    assert not isinstance(sent, gpd.GeoDataFrame)
    assert len(sent.x) == 5  # kabul, nothing, london, herat, and another point at Kabul
    landed = _landed("places", sent)
    pd.testing.assert_frame_equal(landed, table)
    shared = landed.geometry.tolist()
    assert shared[0] is shared[3] and shared[0] is not shared[6] and shared[4] is None
    lines = table.set_geometry([shapely.LineString([(0, 0), (1, 1)])] * 7, crs="EPSG:4326")
    assert _shipped(lines) is lines
    empty = table.set_geometry([shapely.Point()] * 7, crs="EPSG:4326")
    assert _shipped(empty) is empty


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_places_and_events_in_one_pool_are_those_of_one_process(monkeypatch, start):
    import multiprocessing as mp

    import pandas as pd

    from geo.boundaries import default_boundaries
    from geo.events import extract_events as one
    from geo.geoparse import find_places as find_one
    from geo.parallel import places_and_events
    from geo.reports import read_reports

    if start not in mp.get_all_start_methods():
        pytest.skip(f"no {start} here")
    monkeypatch.setattr(mp, "get_all_start_methods", lambda: [start])
    reports = list(read_reports([CORPUS]))
    with warnings.catch_warnings(record=True) as pooled_warnings:
        warnings.simplefilter("always")
        places, events = places_and_events(reports, jobs=2)
    with warnings.catch_warnings(record=True) as alone_warnings:
        warnings.simplefilter("always")
        alone_places = find_one(reports)
        alone_events = one(reports, alone_places, regions=default_boundaries())
    assert len(events) > 20  # a real table of events, not two empty ones
    pd.testing.assert_frame_equal(places, alone_places)
    pd.testing.assert_frame_equal(events, alone_events)
    assert [str(w.message) for w in pooled_warnings] == [str(w.message) for w in alone_warnings]


def test_the_parent_builds_the_nationality_expression_before_it_forks():
    # built once in the parent (~0.1 s), the workers share it instead of each building it
    from geo import nationals
    from geo.boundaries import default_boundaries
    from geo.gazetteer import default_gazetteer
    from geo.parallel import pool

    nationals.national_head.cache_clear()
    pool._warm(default_gazetteer(), default_boundaries(), True)
    assert nationals.national_head.cache_info().currsize == 1
    nationals.national_head.cache_clear()
    pool._warm(default_gazetteer(), default_boundaries(), False)  # places only: not needed
    assert nationals.national_head.cache_info().currsize == 0


def test_the_parent_reads_the_lexicon_and_the_shared_pass_before_it_forks():
    # read once in the parent, the workers share them instead of each reading its own
    from geo.boundaries import default_boundaries
    from geo.gates import SHARED_PASS
    from geo.gazetteer import default_gazetteer
    from geo.geoparse.words import lexicon_words
    from geo.parallel import pool

    lexicon_words.cache_clear()  # as in a fresh process
    pool._warm(default_gazetteer(), default_boundaries(), False)
    assert lexicon_words.cache_info().currsize == 1
    SHARED_PASS._built = False  # as after a member joined
    pool._warm(default_gazetteer(), default_boundaries(), True)
    assert SHARED_PASS._built
