"""Outputs as GIS tools and a crashing machine see them: layer names, dates, atomic commits."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import time

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import csv_writer, output
from geo.csv_writer import write_csv
from geo.errors import OutputError
from geo.output import (
    TEMP_PREFIX,
    atomic_path,
    remove_stale_temp_files,
    write_layers,
    write_table,
)
from tests.conftest import ROOT, SAMPLES

# Text that CSV must quote, or must not: quotes, separators, line breaks of every kind,
# white space at either end, other scripts; and missing values of every kind.
ODD_TEXT = [
    "plain",
    'say "hi"',
    "a,b",
    "line\nbreak",
    "cr\r",
    "crlf\r\n",
    "\u2028sep\u0085",
    "日本 «guillemets» \u200f",
    "",
    " lead",
    "trail ",
    "'single'",
    '"',
    "tab\there",
    None,
]


def _odd_table() -> pd.DataFrame:
    n = len(ODD_TEXT)
    floats = [0.1 + 0.2, float("nan"), float("inf"), -0.0, 1e-7, 1e16, 34.123456789, -1.5]
    mixed = [None, float("nan"), 1.5, 2, "x", pd.NaT, dt.date(2021, 7, 7), True]
    return pd.DataFrame(
        {
            "text": pd.array(ODD_TEXT, dtype="str"),
            "object": pd.Series((mixed * n)[:n], dtype=object),
            "float": (floats * n)[:n],
            "float32": pd.Series((floats * n)[:n], dtype="float32"),
            "int": range(-7, n - 7),
            "uint8": pd.Series(range(n), dtype="uint8"),
            "bool": [i % 3 == 0 for i in range(n)],
            'a,quoted "name"': ODD_TEXT[::-1],
        }
    )


@pytest.fixture
def table() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["Alpha", "Beta"],
            "event_date": pd.to_datetime(["2021-07-07", None]),
            "report_date": [dt.date(2021, 7, 8), dt.date(2021, 7, 9)],
            "seen_at": pd.to_datetime(["2021-07-07 10:30", "2021-07-08 11:00"]),
            "tags": [["a", "b"], []],
        },
        geometry=gpd.points_from_xy([62.9, 63.1], [34.9, 35.0]),
        crs="EPSG:4326",
    )


def _no_temp_files(folder) -> bool:
    return not [p for p in os.listdir(folder) if p.startswith(TEMP_PREFIX)]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_layer_is_named_after_the_file_not_the_temp_file(table, tmp_path, suffix):
    out = write_table(table, tmp_path / f"events{suffix}")
    assert [str(name) for name in pyogrio.list_layers(out)[:, 0]] == ["events"]
    assert _no_temp_files(tmp_path)


def test_dates_are_dates_in_every_format(table, tmp_path):
    csv = pd.read_csv(write_table(table, tmp_path / "t.csv"), keep_default_na=False)
    assert csv["event_date"].tolist() == ["2021-07-07", ""]
    assert csv["report_date"].tolist() == ["2021-07-08", "2021-07-09"]
    assert csv["seen_at"].str.startswith("2021-07-07T10:30").tolist() == [True, False]
    assert csv["tags"].tolist() == ["a;b", ""]
    info = pyogrio.read_info(write_table(table, tmp_path / "t.gpkg"))
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["event_date"] == types["report_date"] == "datetime64[D]"  # OGR Date
    assert types["seen_at"] != "datetime64[D]"  # a time of day stays a DateTime
    gj = json.loads(write_table(table, tmp_path / "t.geojson").read_text())
    props = [f["properties"] for f in gj["features"]]
    assert [p["event_date"] for p in props] == ["2021-07-07", None]
    assert props[0]["report_date"] == "2021-07-08"
    parquet = pd.read_parquet(write_table(table, tmp_path / "t.parquet"))
    assert parquet["report_date"].iloc[0] == dt.date(2021, 7, 8)


def test_a_layer_is_added_to_an_existing_geopackage(table, tmp_path):
    target = tmp_path / "all.gpkg"
    write_table(table, target, layer="places")
    write_table(table.iloc[:1], target, layer="events")
    write_table(table, target, layer="places")  # replaced, not doubled
    layers = {str(n) for n in pyogrio.list_layers(target)[:, 0]}
    assert layers == {"places", "events"}
    assert len(gpd.read_file(target, layer="places")) == 2
    assert len(gpd.read_file(target, layer="events")) == 1
    with pytest.raises(OutputError, match="only a GeoPackage"):
        write_table(table, tmp_path / "x.geojson", layer="events")


def test_write_layers_writes_one_file_with_every_layer(table, tmp_path):
    out = write_layers({"places": table, "events": table.iloc[:1]}, tmp_path / "all.gpkg")
    assert [str(n) for n in pyogrio.list_layers(out)[:, 0]] == ["places", "events"]


def test_missing_folder_is_one_clear_error(table, tmp_path):
    with pytest.raises(OutputError) as err:
        write_table(table, tmp_path / "nowhere" / "t.csv")
    assert "does not exist" in str(err.value) and "\n" not in str(err.value)


def test_read_only_folder_is_one_clear_error(table, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    # root ignores folder modes, so the refusal the kernel gives others is simulated
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="read-only or not yours"):
        write_table(table, tmp_path / "t.csv")


@pytest.mark.parametrize("suffix", [".csv", ".gpkg"])
def test_full_disk_leaves_the_old_file_and_no_temp_file(table, tmp_path, monkeypatch, suffix):
    target = tmp_path / f"t{suffix}"
    write_table(table, target)
    before = target.read_bytes()
    if suffix == ".csv":

        def full(self, path, *args, **kwargs):
            with open(path, "w") as fh:
                fh.write("half a row")
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(output, "_to_csv", lambda table, path: full(table, path))
    else:
        from pyogrio.errors import FeatureError

        def full(self, path, *args, **kwargs):
            with open(path, "wb") as fh:
                fh.write(b"SQLite half")
            raise FeatureError("failed to write feature: No space left on device")

        monkeypatch.setattr(gpd.GeoDataFrame, "to_file", full)
    with pytest.raises(OutputError, match="disk is full") as err:
        write_table(table, target)
    assert "\n" not in str(err.value)
    assert target.read_bytes() == before
    assert _no_temp_files(tmp_path)


def test_commit_syncs_file_and_folder_and_follows_the_umask(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    old = os.umask(0o027)
    try:
        with atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert len(synced) == 2  # the file, then its folder
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640


def test_stale_temp_files_of_killed_runs_are_removed(tmp_path):
    stale = tmp_path / f"{TEMP_PREFIX}map.html.abc"
    fresh = tmp_path / f"{TEMP_PREFIX}map.html.def"
    mine = tmp_path / ".map.html.keep"
    for p in (stale, fresh, mine):
        p.write_text("x")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    assert remove_stale_temp_files(tmp_path) == [stale]
    assert fresh.exists() and mine.exists()


def test_standard_output(table, capsys):
    write_table(table, "-")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[:2] == ["name", "event_date"]
    write_table(table, "-", fmt="geojson")
    parsed = json.loads(capsys.readouterr().out)
    assert parsed["features"][0]["properties"]["event_date"] == "2021-07-07"


def geomap(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "geomap", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_cli_version_and_stdout():
    from importlib.metadata import version

    from geo.native import status

    result = geomap("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"geomap {version('geomap')}, {status()}"
    result = geomap("events", SAMPLES / "demo", "--format", "acled", "-o", "-", "--quiet")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[:3] == ["event_id_cnty", "event_date", "year"]
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal


def test_cli_export_writes_four_layers(tmp_path):
    out = tmp_path / "all.gpkg"
    result = geomap("export", SAMPLES / "corpus", "-o", out)
    assert result.returncode == 0, result.stderr
    layers = {str(n): str(g) for n, g in pyogrio.list_layers(out)}
    assert set(layers) == {"places", "events", "control", "control_timeline"}
    assert layers["places"] == "Point" and "Polygon" in layers["control"]
    info = pyogrio.read_info(out, layer="events")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["event_date"] == "datetime64[D]"
    timeline = gpd.read_file(out, layer="control_timeline")
    assert timeline["date"].notna().all() and timeline.geometry.notna().all()


class _Terminal:
    """A stand-in for a terminal on standard error: records what is drawn."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_bars_only_on_a_terminal_and_not_when_quiet(monkeypatch):
    from geo import progress as pg

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    pg.set_quiet(False)
    assert list(pg.progress(range(3), desc="reports")) == [0, 1, 2]
    assert "reports:" in terminal.text and "/3 " in terminal.text
    drawn = len(terminal.text)
    pg.set_quiet(True)
    try:
        assert list(pg.progress(range(3), desc="reports")) == [0, 1, 2]
        assert pg.timed_bar("building", 1)(lambda: 7)() == 7
    finally:
        pg.set_quiet(False)
    assert len(terminal.text) == drawn  # nothing more was drawn
    assert pg.timed_bar("building", 1)(lambda: 7)() == 7
    assert "building" in terminal.text


def test_csv_is_byte_for_byte_what_pandas_writes(tmp_path):
    odd = _odd_table()
    out = io.StringIO()
    assert write_csv(odd, out)
    assert out.getvalue() == odd.to_csv(index=False)
    # many chunks, and a table with no rows
    many = pd.concat([odd] * 50, ignore_index=True)
    monkey = csv_writer.CHUNK_ROWS
    csv_writer.CHUNK_ROWS = 7
    try:
        out = io.StringIO()
        assert write_csv(many, out)
    finally:
        csv_writer.CHUNK_ROWS = monkey
    assert out.getvalue() == many.to_csv(index=False)
    out = io.StringIO()
    assert write_csv(odd.iloc[0:0], out)
    assert out.getvalue() == odd.iloc[0:0].to_csv(index=False)
    # through write_table, as a file: the same bytes as pandas writes to a file
    written = write_table(odd, tmp_path / "odd.csv").read_bytes()
    odd.to_csv(tmp_path / "pandas.csv", index=False)
    assert written == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", "b", "a"], dtype="category"),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.to_datetime(["2021-07-07 10:30", None, "2021-07-08 00:00"]),
        pd.Series([1 + 2j, 0j, 3j]),
    ],
    ids=["category", "Int64", "datetime", "complex"],
)
def test_csv_of_other_column_types_is_left_to_pandas(column, tmp_path):
    table = pd.DataFrame({"n": [1, 2, 3], "x": column})
    assert not write_csv(table, io.StringIO())
    written = write_table(table, tmp_path / "t.csv").read_bytes()
    expected = output._flat(table, dates_as_text=True).to_csv(index=False)
    assert written == expected.encode()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text()),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.booleans(),
            st.one_of(st.none(), st.text(max_size=5), st.floats(), st.integers()),
        ),
        max_size=30,
    )
)
def test_csv_of_arbitrary_values_is_what_pandas_writes(rows):
    table = pd.DataFrame(rows, columns=["text", "float", "int", "bool", "object"])
    table["text"] = table["text"].astype("str")
    table["object"] = table["object"].astype(object)
    out = io.StringIO()
    if write_csv(table, out):
        assert out.getvalue() == table.to_csv(index=False)
    else:  # only an empty table's columns may lack a type write_csv handles
        assert table.empty


def test_a_csv_or_parquet_output_never_loads_gdal(tmp_path):
    # GDAL's bindings (pyogrio) cost a command 0.03-0.05 s to import: only its formats do
    code = (
        "import sys, geopandas as gpd, shapely\n"
        "from geo.output import write_table\n"
        "t = gpd.GeoDataFrame({'a': [1]}, geometry=[shapely.Point(65.0, 34.0)], crs=4326)\n"
        "for name in sys.argv[1:]:\n"
        "    write_table(t, name)\n"
        "print('pyogrio' in sys.modules)\n"
    )
    plain = [str(tmp_path / "t.csv"), str(tmp_path / "t.parquet")]
    run = [sys.executable, "-c", code]
    assert subprocess.run([*run, *plain], capture_output=True, text=True).stdout == "False\n"
    geo_file = [str(tmp_path / "t.geojson")]
    assert subprocess.run([*run, *geo_file], capture_output=True, text=True).stdout == "True\n"
