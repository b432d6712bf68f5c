"""The command line as a user runs it: a real subprocess, real files."""

import json
import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from tests.conftest import ROOT, SAMPLES


def geomap(*args, cwd=None):
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "geomap", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_places_output_formats(seed_path, tmp_path, suffix):
    out = tmp_path / f"places{suffix}"
    result = geomap("places", seed_path, "-o", out)
    assert result.returncode == 0, result.stderr
    table = (
        pd.read_csv(out)
        if suffix == ".csv"
        else (gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out))
    )
    expected = {
        "report",
        "mention",
        "start",
        "end",
        "name",
        "kind",
        "country",
        "admin1",
        "iso_3166_2",
        "lat",
        "lon",
        "source",
        "confidence",
        "sentence",
    }
    assert expected <= set(table.columns)
    assert "Qala-e-Naw" in set(table["mention"])


def test_places_prints_a_table(seed_path):
    result = geomap("places", seed_path)
    assert result.returncode == 0
    assert "Bagram Air Base" in result.stdout and "AF-BDG" in result.stdout


def test_geocode_lists_alternatives():
    result = geomap("geocode", "Herat")
    assert result.returncode == 0
    first, *rest = result.stdout.splitlines()
    assert "AF-HER" in first and any("IR" in line for line in rest)
    iran = geomap("geocode", "Herat", "--country", "IR").stdout.splitlines()[0]
    assert ", IR  (" in iran


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty"),
        ("binary.bin", "binary"),
        ("latin1.txt", "UTF-8"),
        ("soup.html", "HTML"),
        ("unknown_place.txt", "no known place"),
    ],
)
def test_bad_input_one_line_error_nonzero_and_output_kept(tmp_path, name, message):
    out = tmp_path / "places.csv"
    out.write_text("earlier result\n")
    result = geomap("places", SAMPLES / "bad" / name, "-o", out)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("geomap: error:") and name in lines[-1] and message in lines[-1]
    assert "Traceback" not in result.stderr
    assert out.read_text() == "earlier result\n"


def test_missing_report_and_broken_boundaries(tmp_path, seed_path):
    result = geomap("places", tmp_path / "nope.txt")
    assert result.returncode != 0 and "nope.txt: no such file" in result.stderr
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    result = geomap("places", seed_path, "--boundaries", broken)
    assert result.returncode != 0 and "broken.geojson" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_output_format_writes_nothing(tmp_path, seed_path):
    result = geomap("places", seed_path, "-o", tmp_path / "places.xlsx")
    assert result.returncode != 0 and "unknown output format" in result.stderr
    assert not list(tmp_path.iterdir())


def test_jsonl_reports(tmp_path):
    out = tmp_path / "p.geojson"
    result = geomap("places", SAMPLES / "reports.jsonl", "-o", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert len({f["properties"]["report"] for f in data["features"]}) == 3


def test_control_outside_the_boundaries_says_so(tmp_path):
    report = tmp_path / "syria.txt"
    report.write_text(
        "date: 2020-02-27\n\nRebel fighters recaptured the town of Saraqib in Idlib province "
        "in Syria on Thursday, a war monitor said.\n"
    )
    # The embedded boundaries cover the world: a user's file of Afghanistan alone does not.
    from geo.boundaries import load_boundaries

    afghanistan = tmp_path / "af.geojson"
    load_boundaries(countries=["AF"]).to_file(afghanistan)
    result = geomap("control", report, "--boundaries", afghanistan)
    assert result.returncode == 1
    assert "no admin-1 regions in the events' countries (SY)" in result.stderr
