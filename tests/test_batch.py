"""``geomap batch``: sharded reports on a Dask LocalCluster give the single-process result."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from geo.reports import read_reports
from tests.conftest import SAMPLES


def _shards(folder, reports):
    """Two JSON Lines shards and one Parquet shard of the given reports."""
    folder.mkdir()
    thirds = [reports[0::3], reports[1::3], reports[2::3]]
    for k, chunk in enumerate(thirds):
        recs = [
            {"id": r.id, "text": r.text, "date": r.date.isoformat() if r.date else None}
            for r in chunk
        ]
        if k == 2:
            pd.DataFrame(recs).to_parquet(folder / f"shard-{k}.parquet")
        else:
            (folder / f"shard-{k}.jsonl").write_text("\n".join(json.dumps(x) for x in recs))
    return folder


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_like=False
    )


@pytest.mark.slow
def test_batch_on_a_local_cluster_equals_one_process(tmp_path):
    from geo.batch import read_shard, run_batch, shards
    from geo.boundaries import default_boundaries
    from geo.control import control_as_of
    from geo.events import extract_events
    from geo.geoparse import find_places
    from geo.output import write_table

    corpus = read_reports(SAMPLES / "corpus")[:15]
    folder = _shards(tmp_path / "shards", corpus)
    out = tmp_path / "out"
    result = run_batch(folder, out, workers=2)

    # One process, on the same reports read from the same shards.
    reports = [r for f in shards(folder) for r in read_shard(f)]
    assert sorted(r.text for r in reports) == sorted(r.text for r in corpus)
    regions = default_boundaries()
    places = find_places(reports, boundaries=regions)
    events = extract_events(reports, places, regions=regions)
    assert result.reports == 15 and result.partitions == 3
    assert result.places == len(places) > 50 and result.events == len(events) > 5

    def written(table, name):  # through the same GeoParquet writer, to compare like with like
        write_table(table, tmp_path / name)
        return gpd.read_parquet(tmp_path / name)

    batch_places = pd.concat(
        [gpd.read_parquet(p) for p in sorted((out / "places").glob("part-*.parquet"))],
        ignore_index=True,
    )
    _same(batch_places, written(places, "places.parquet"))
    _same(gpd.read_parquet(out / "events.parquet"), written(events, "events.parquet"))
    fighting = events["effect"].isin(["capture", "fight", "repel"])
    chosen = regions[regions["country"].isin(set(events.loc[fighting, "country"].dropna()))]
    control = control_as_of(events, chosen, events["event_date"].max().date())
    _same(gpd.read_parquet(out / "control.parquet"), written(control, "control.parquet"))


def test_batch_refuses_a_folder_without_shards_and_a_used_output(tmp_path, capsys):
    from geomap.cli import main

    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "holds no .jsonl or .parquet shards" in err and "Traceback" not in err
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    folder = _shards(tmp_path / "shards", read_reports(SAMPLES / "corpus")[:3])
    assert main(["batch", str(folder), "-o", str(used)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert (used / "keep.txt").read_text() == "mine"
