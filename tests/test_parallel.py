"""``--jobs N``: a process pool whose output is the same as one process's, byte for byte."""

from __future__ import annotations

import json

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
        out = tmp_path / f"{command}-{jobs}.{suffix}"
        code, err = _run(capsys, command, CORPUS, "--jobs", jobs, "-o", out)
        assert code == 0, err
        # The GeoJSON layer "name" is the writer's temporary file name, different every run.
        lines = out.read_bytes().splitlines(keepends=True)
        outputs[jobs] = b"".join(x for x in lines if not x.startswith(b'"name": ".'))
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


def test_workers_share_the_gazetteer_pages():
    # Forked workers see the parent's gazetteer: their own (private) memory is a small
    # part of what they map.
    from geo.parallel import _chunks, memory_mb

    assert _chunks(10, 2) == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert {"peak_rss"} <= set(memory_mb())
