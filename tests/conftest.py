"""Shared fixtures: the seed report (read from ../shared, never copied), sample data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "2021-07-07-badghis.txt"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():  # third-party text beside a clone, never inside it
        pytest.skip(f"the seed report is not at {SEED}")
    return SEED


@pytest.fixture(scope="session")
def seed_places(seed_path):
    from geo import find_places, read_reports

    return find_places(read_reports(seed_path))
