"""Issue 8's failing inputs, as regression tests: one line, a documented exit code, no traceback.

A few run the command line as a user does (a subprocess); the rest call ``geomap.cli.main``
in-process, which is the same error boundary without the start-up cost. The sentences
are invented for these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from geo.errors import ReportError
from geo.reports import DATE_MAX, MAX_REPORT_BYTES, read_reports, report_from_text
from geomap import cli
from tests.conftest import ROOT, SAMPLES

BAD = SAMPLES / "bad"
CAPTURE = "The Taliban captured Kunduz city, the capital of Kunduz province, on Monday.\n"


def geomap(*args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "geomap", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def run(capsys, *args):
    """``geomap ARGS`` in-process: (exit code, the error lines of stderr)."""
    code = cli.main([str(a) for a in args])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.startswith("geomap: error")], err


def one_line_error(code, lines, err, expected_code, *words):
    assert code == expected_code, err
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], err


# --- as a user runs it ------------------------------------------------------------------


def test_undated_sample_makes_a_map_and_warns(tmp_path):
    out = tmp_path / "x.html"
    result = geomap("map", BAD / "nodate.txt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0
    assert "without a usable date" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "word"),
    [
        (["events", "{tmp}/old.txt"], 1, "outside the dates"),
        (["control", BAD / "nodate.txt", "--date", "0001-01-01"], 2, "outside the dates"),
        (["map", BAD / "nodate.txt", "-o", "{tmp}/missing/x.html"], 3, "does not exist"),
        (["geocode", ""], 2, "give a place name"),
    ],
)
def test_subprocess_errors_are_one_line(tmp_path, args, code, word):
    (tmp_path / "old.txt").write_text("date: 1600-06-01\n\n" + CAPTURE)
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in args]
    result = geomap(*args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert word in result.stderr.strip().splitlines()[-1]


# --- in-process: the same boundary -------------------------------------------------------


def test_chart_of_undated_events(tmp_path, capsys):
    code, lines, err = run(capsys, "chart", BAD / "nodate.txt", "-o", tmp_path / "c.png")
    assert code == 0 and not lines, err
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_two_reports_a_century_apart_cost_what_their_events_cost(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("date: 1900-01-01\n\n" + CAPTURE)
    (tmp_path / "b.txt").write_text(
        "date: 2021-08-01\n\nThe Taliban captured Qala-e-Naw, the capital of Badghis province.\n"
    )
    from geo.control import control_timeline

    start = time.perf_counter()
    code, _lines, err = run(capsys, "chart", tmp_path, "-o", tmp_path / "c.png")
    assert code == 0, err
    from geo import find_places
    from geo.boundaries import default_boundaries
    from geo.events import extract_events

    reports = read_reports(tmp_path)
    regions = default_boundaries()
    events = extract_events(reports, find_places(reports), regions=regions)
    timeline = control_timeline(events, regions)
    # change points, not 44,000 days × every region
    assert timeline["date"].nunique() <= 2 * len(events) + 2
    assert time.perf_counter() - start < 60  # generous: a shared machine; 163 s before


def test_out_of_range_dates_in_every_place(tmp_path, capsys):
    (tmp_path / "h.txt").write_text("date: 2300-01-01\n\n" + CAPTURE)
    one_line_error(*run(capsys, "places", tmp_path / "h.txt"), 1, "h.txt", "2300-01-01")
    jl = tmp_path / "r.jsonl"
    jl.write_text(json.dumps({"text": CAPTURE, "date": "1600-06-01"}) + "\n")
    one_line_error(*run(capsys, "events", jl), 1, "r.jsonl:1", "1600-06-01")


def test_jsonl_with_unicode_line_separators_is_one_record_per_line(tmp_path):
    texts = ["Fighting in Kunduz\u2028went on.", "Talks\u2029in Doha.", "Clashes\x85in Herat."]
    jl = tmp_path / "r.jsonl"
    pd.DataFrame({"text": texts}).to_json(jl, orient="records", lines=True, force_ascii=False)
    reports = read_reports(jl)
    assert [r.text for r in reports] == texts


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, ["r.jsonl:1"]),
        ('{"text": "\\ud800 Kunduz"}', ["lone surrogate", "'text'"]),
        ('{"text": "Kunduz", "n": ' + "9" * 5000 + "}", ["r.jsonl:1"]),
        ('{"text": "Kunduz", "url": ["a", "b"]}', ["'url' must be a string"]),
        ('{"text": "Kunduz", "source": {"a": 1}}', ["'source' must be a string"]),
        ('{"text": 5}', ["'text' must be a string"]),
        ('{"text": "Kunduz", "date": 20210807}', ["'date' must be a string"]),
        ('{"text": "Kunduz", "date": "2021-02-30"}', ["not a valid date"]),
    ],
)
def test_hostile_json_lines_are_refused_in_one_line(tmp_path, capsys, line, words):
    jl = tmp_path / "r.jsonl"
    jl.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ReportError):
        read_reports(jl)
    one_line_error(*run(capsys, "places", jl), 1, *words)


def test_skip_bad_goes_on_past_bad_records_and_lists_them(tmp_path, capsys):
    jl = tmp_path / "r.jsonl"
    jl.write_text(
        json.dumps({"text": CAPTURE, "date": "2021-08-09"})
        + "\n{broken\n"
        + json.dumps({"text": "Clashes near Herat.", "url": 7})
        + "\n"
    )
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("date: 2021-08-09\n\nTalks in Doha ended.\n")
    (folder / "dir.txt").mkdir()
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "z.txt").write_text("date: 2021-08-10\n\nFighting in Herat city.\n")
    code, lines, err = run(capsys, "places", folder)
    one_line_error(code, lines, err, 1, "dangling.txt", "broken symbolic link")
    code, lines, err = run(capsys, "places", folder, jl, "--skip-bad")
    assert code == 0 and not lines, err
    skipped = [line for line in err.splitlines() if line.startswith("geomap: skipped: ")]
    assert len(skipped) == 4, err
    assert any("dir.txt" in s and "folder" in s for s in skipped)
    assert any("r.jsonl:2" in s for s in skipped) and any("r.jsonl:3" in s for s in skipped)
    reports = read_reports([folder, jl], errors=[])
    assert [r.path.rsplit("/", 1)[-1] for r in reports] == ["a.txt", "z.txt", "r.jsonl:1"]


def test_same_text_is_one_report_however_often_it_arrives(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("date: 2021-08-09\n\n" + CAPTURE)
    b.write_text("date: 2021-08-09\n\n" + CAPTURE.replace("\n", "\r\n"))
    jl = tmp_path / "r.jsonl"
    jl.write_text(json.dumps({"text": CAPTURE}) + "\n" + json.dumps({"text": CAPTURE}) + "\n")
    dups: list = []
    reports = read_reports([a, a, b, jl], duplicates=dups)
    assert len(reports) == 1 and len(dups) == 4
    assert read_reports([a, tmp_path / "c.txt"], errors=[]) == reports


def test_same_text_twice_is_not_corroboration(tmp_path):
    from geo import find_places
    from geo.events import extract_events

    (tmp_path / "a.txt").write_text("date: 2021-08-09\n\n" + CAPTURE)
    (tmp_path / "b.txt").write_text("date: 2021-08-09\n\n" + CAPTURE)
    reports = read_reports([tmp_path, tmp_path / "a.txt"])
    places = find_places(reports)
    events = extract_events(reports, places)
    assert len(reports) == 1
    assert places["report"].nunique() == 1
    assert set(events["sources_count"]) == {1}


def test_size_limit_is_a_clear_error(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(MAX_REPORT_BYTES + 1)
    one_line_error(*run(capsys, "places", big), 1, "big.txt", "MiB")
    with pytest.raises(ReportError, match="at most"):
        report_from_text("a" * (MAX_REPORT_BYTES + 1))


def test_date_limits_are_inclusive():
    r = report_from_text(f"date: {DATE_MAX.isoformat()}\n\nFighting in Kunduz.")
    assert r.date == DATE_MAX
    with pytest.raises(ReportError, match="outside"):
        report_from_text("date: 1899-12-31\n\nFighting in Kunduz.")
    # a dateline out of range is not a date: the report is undated, not refused
    assert report_from_text("July 7, 1650: Fighting in Kunduz.").date is None


@pytest.mark.parametrize("column", ["num", "nul"])
def test_boundaries_code_column_null_or_numeric(tmp_path, capsys, column):
    from geo.boundaries import default_boundaries

    regions = default_boundaries(["AF"]).head(5)
    regions["num"] = range(len(regions))
    regions["nul"] = None
    path = tmp_path / "b.geojson"
    regions.to_file(path)
    code, lines, err = run(
        capsys, "places", SAMPLES / "demo", "--boundaries", path, "--code-column", column
    )
    one_line_error(code, lines, err, 1, "b.geojson", repr(column))


def test_geocode_nonsense_is_no_place(capsys):
    one_line_error(*run(capsys, "geocode", "KKKKKKKKKK"), 1, "no such place")
    code, lines, err = run(capsys, "geocode", "   ")
    one_line_error(code, lines, err, 2, "give a place name")


def test_unwritable_output_exits_3(tmp_path, capsys, monkeypatch):
    import errno

    import maps

    one_line_error(
        *run(capsys, "map", BAD / "nodate.txt", "-o", tmp_path / "no" / "x.html"), 3, "no"
    )
    (tmp_path / "d.html").mkdir()
    one_line_error(*run(capsys, "map", BAD / "nodate.txt", "-o", tmp_path / "d.html"), 3, "folder")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.html"))

    monkeypatch.setattr(maps, "save_map", full)
    code, lines, err = run(capsys, "map", BAD / "nodate.txt", "-o", tmp_path / "x.html")
    one_line_error(code, lines, err, 3, "No space left")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_exits_3(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    one_line_error(*run(capsys, "map", BAD / "nodate.txt", "-o", ro / "x.html"), 3, "writable")


def test_internal_error_points_to_debug(capsys, monkeypatch):
    def bug(args):
        raise KeyError("boom")

    from geomap.cli import boundary

    parser = cli.build_parser
    monkeypatch.setattr(boundary, "build_parser", lambda: _with_func(parser(), "geocode", bug))
    code, lines, err = run(capsys, "geocode", "Kabul")
    one_line_error(code, lines, err, 4, "internal error", "KeyError", "--debug")
    code, lines, err = run(capsys, "--debug", "geocode", "Kabul")
    assert code == 4 and "Traceback" in err


def _with_func(parser, command, func):
    sub = next(a for a in parser._actions if a.dest == "command")
    sub.choices[command].set_defaults(func=func)
    return parser


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["places", "--no-such-option", "x"])
    assert stop.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    code, lines, err = run(capsys, "map", BAD / "nodate.txt", "-o", "x.png")
    one_line_error(code, lines, err, 2, ".html")


def test_kill_9_during_a_write_leaves_the_old_file_or_the_new_whole(tmp_path):
    """A writer killed at random moments: the target is always one whole table."""
    target = tmp_path / "out.csv"
    old = pd.DataFrame({"a": range(10), "b": ["old"] * 10})
    old.to_csv(target, index=False)
    script = (
        "import pandas as pd, sys\n"
        "from geo.output import write_table\n"
        "t = pd.DataFrame({'a': range(300_000), 'b': ['new'] * 300_000})\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        f"    write_table(t, {str(target)!r})\n"
    )
    seen = set()
    for delay in (0.05, 0.2, 0.4, 0.7, 1.0):
        proc = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()
        proc.wait()
        table = pd.read_csv(target)
        kind = set(table["b"])
        assert kind in ({"old"}, {"new"})
        assert len(table) == (10 if kind == {"old"} else 300_000)
        assert table["a"].tolist() == list(range(len(table)))
        seen |= kind
    assert seen  # at least one whole table survived every kill


def test_names_without_a_sentence_break_make_a_table_linear_in_the_report(tmp_path, capsys):
    """30 KB of place names and no full stop made a 150 MB table (every mention carried the
    whole 30 KB 'sentence'): sentences are now cut at geo.text.MAX_SENTENCE_CHARS."""
    from geo.text import MAX_SENTENCE_CHARS

    sizes = []
    for n in (500, 1500):
        report = tmp_path / f"names{n}.txt"
        report.write_text("date: 2021-08-01\n\n" + "Kunduz Herat Kabul " * n)
        out = tmp_path / f"places{n}.csv"
        code = cli.main(["places", str(report), "-o", str(out), "-j", "1"])
        assert code == 0, capsys.readouterr().err
        table = pd.read_csv(out)
        assert len(table) == 3 * n
        assert table["sentence"].str.len().max() <= MAX_SENTENCE_CHARS
        sizes.append(out.stat().st_size)
    assert sizes[1] < 4 * sizes[0]  # three times the text: about three times the table


@pytest.mark.parametrize(
    ("args", "code", "word"),
    [
        (["--port", "99999"], 2, "0 to 65535"),  # was a traceback and exit 4
        (["--db", "{tmp}"], 1, "is a folder"),  # was uvicorn's traceback at start-up
        (["--db", "nonsense://x"], 1, "unknown database URL scheme"),  # was a folder 'nonsense:'
        (["--db", "{tmp}/report.txt"], 1, "not a SQLite database"),  # was uvicorn's traceback
    ],
)
def test_serve_refuses_a_bad_port_or_database_before_starting(tmp_path, args, code, word):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    (tmp_path / "report.txt").write_text(CAPTURE)
    result = geomap("serve", "--read-only", *args, timeout=120)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert word in result.stderr.strip().splitlines()[-1]
    assert not (ROOT / "nonsense:").exists()


def test_a_chart_of_one_day_draws_without_a_warning():
    """One dated event made matplotlib warn 'identical low and high xlims' (shown to users)."""
    import warnings

    from maps.chart import plot_control_timeline

    day = pd.Timestamp("2021-08-01")
    timeline = pd.DataFrame(
        {
            "date": [day, day],
            "iso_3166_2": ["XX-A", "XX-B"],
            "status": ["controlled", "unknown"],
            "controller": ["Taliban", None],
            "claim_status": ["reported", None],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_control_timeline(timeline)
    low, high = fig.axes[0].get_xlim()
    assert low < high
