"""Shared fixtures: the seed report (read from ../shared, never copied), sample data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def invented_place_rows(reports, towns: dict[str, tuple]) -> pd.DataFrame:
    """A places table for hand-made towns, found by name in ``reports``: ``towns`` maps a
    name to (kind, iso_3166_2, lat, lon) or (kind, iso_3166_2, lat, lon, seat). The event
    tests read their rules against it, apart from the gazetteer."""
    rows = []
    for r in reports:
        for name, (kind, iso, lat, lon, *seat) in towns.items():
            start = r.text.find(name)
            while start >= 0:
                rows.append(
                    {
                        "report": r.id,
                        "start": start,
                        "end": start + len(name),
                        "mention": name,
                        "name": name,
                        "kind": kind,
                        "country": "AF",
                        "admin1": iso[-3:],
                        "iso_3166_2": iso,
                        "lat": lat,
                        "lon": lon,
                        "source": f"test:{name}",
                        "seat": bool(seat and seat[0]),
                    }
                )
                start = r.text.find(name, start + 1)
    return pd.DataFrame(rows)
