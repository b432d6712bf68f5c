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


#: Invented Afghan towns and provinces for the event tests: name -> (kind, iso_3166_2,
#: lat, lon, capital).
INVENTED_TOWNS = {
    "Ardmore": ("town", "AF-AAA", 35.0, 63.0, True),
    "Birchfield": ("town", "AF-AAA", 35.3, 63.4, False),
    "Carrow": ("town", "AF-BBB", 34.0, 66.0, True),
    "Dunmore Province": ("province", "AF-BBB", 34.2, 66.2, False),
    "Kellswater": ("province", "AF-CCC", 36.0, 64.0, False),  # a province named without its word
}


def invented_report(body: str, date: str | None = "2021-07-07", name: str = "r"):
    """A report of ``body`` dated ``date`` (none: undated)."""
    from geo.reports import report_from_text

    header = f"date: {date}\n\n" if date else ""
    return report_from_text(header + body, name=name)


def invented_places(*reports) -> pd.DataFrame:
    """The places of :data:`INVENTED_TOWNS` that ``reports`` name."""
    return invented_place_rows(reports, INVENTED_TOWNS)


def invented_events(*reports, **kw):
    """The events of ``reports`` read against :func:`invented_places`."""
    from geo.events import extract_events

    return extract_events(list(reports), invented_places(*reports), **kw)


def one_place(places: pd.DataFrame, mention: str) -> pd.Series:
    """The row of ``mention`` in a places table, asserted found and read one way."""
    rows = places[places["mention"] == mention]
    assert len(rows), f"{mention!r} not found; found {sorted(set(places['mention']))}"
    kinds = set(rows["kind"])
    assert len(kinds) == 1, f"{mention!r} read as {kinds}"
    return rows.iloc[0]


def places_of_text(text: str) -> pd.DataFrame:
    """The places :func:`geo.geoparse.find_places` finds in ``text`` as one report."""
    from geo.geoparse import find_places
    from geo.reports import report_from_text

    return find_places(report_from_text(text))


def case_variants(word: str, edges: bool = False) -> list[str]:
    """``word`` as written, in upper case, title case, and with each letter that
    ``re.IGNORECASE`` also reads as an ASCII one (geo.prefilter.FOLD_EXTRA) put in its
    place once; with ``edges``, also glued to a letter before it and a hyphen after it
    (where a word-boundary test fails)."""
    from geo.prefilter import FOLD_EXTRA

    out = [word, word.upper(), word.title()]
    if edges:
        out += [f"x{word}", f"{word}-"]
    for code, letter in FOLD_EXTRA.items():
        if letter in word:
            out.append(word.replace(letter, chr(code), 1))
    return out
