"""The project's dev-corpus scorer agrees with the corpus's reference scorer.

Both read ``../shared/dev-corpus`` (third-party text, never copied here); skipped when
it is absent.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev-corpus"

pytestmark = pytest.mark.skipif(
    not (DEV / "score.py").exists(), reason="../shared/dev-corpus is absent"
)


def test_own_scorer_gives_the_reference_figures():
    spec = importlib.util.spec_from_file_location(
        "score_dev", ROOT / "benchmarks" / "score_dev_corpus.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ours = mod.score(DEV)["measures"]
    geomap = Path(sys.executable).with_name("geomap")
    ref = subprocess.run(
        [sys.executable, str(DEV / "score.py"), "--geomap", str(geomap), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(ref.stdout)
    for key in ("place_recall", "place_precision", "admin1_accuracy", "control_changes_right_day"):
        assert ours[key] == theirs[key], (key, ours[key], theirs[key])
    assert ours["counts"] == theirs["counts"]
