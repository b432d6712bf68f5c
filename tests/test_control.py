"""Territorial control: the rules on hand-made events, the seed, and the sample corpus."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.control import (
    CONTROL_COLUMNS,
    PROVENANCE_COLUMNS,
    control_as_of,
    control_changes,
    control_timeline,
)

ROOT = Path(__file__).parents[1]
SEED = Path(__file__).parents[2] / "shared" / "seeds" / "2021-07-07-badghis.txt"
CORPUS = ROOT / "data" / "samples" / "corpus"

REGIONS = gpd.GeoDataFrame(
    {"iso_3166_2": ["XX-A", "XX-B"], "admin1": ["A", "B"], "country": ["XX", "XX"]},
    geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
    crs="EPSG:4326",
)


def ev(
    eid, date, effect, *, side="Taliban", target=None, capital=True, claim="reported", iso="XX-A"
):
    return {
        "event_id": eid,
        "event_date": pd.Timestamp(date),
        "iso_3166_2": iso,
        "effect": effect,
        "target": target,
        "capital": capital,
        "side1": side,
        "claim_status": claim,
        "place_kind": "town",
    }


def status(events, day, iso="XX-A"):
    row = control_as_of(pd.DataFrame(events), REGIONS, day).set_index("iso_3166_2").loc[iso]
    return tuple(None if pd.isna(v) else v for v in (row.status, row.controller, row.claim_status))


def test_no_evidence_is_unknown_never_government():
    assert status([], "2021-08-01") == ("unknown", None, None)


def test_capital_captured_then_retaken():
    events = [
        ev("e1", "2021-07-07", "fight"),
        ev("e2", "2021-07-10", "capture", target="whole"),
        ev("e3", "2021-07-20", "capture", target="whole", side="Government of X"),
    ]
    assert status(events, "2021-07-07") == ("contested", None, "reported")
    assert status(events, "2021-07-12") == ("controlled", "Taliban", "reported")
    assert status(events, "2021-07-25") == ("controlled", "Government of X", "reported")


def test_districts_falling_make_it_contested():
    events = [ev("e1", "2021-07-07", "capture", target="part", capital=False)]
    assert status(events, "2021-07-08") == ("contested", None, "reported")


def test_a_town_that_is_not_the_capital_does_not_give_the_region():
    events = [ev("e1", "2021-07-07", "capture", target="whole", capital=False)]
    assert status(events, "2021-07-08")[0] == "contested"


def test_fighting_far_from_the_capital_changes_nothing():
    events = [ev("e1", "2021-07-07", "fight", capital=False)]
    assert status(events, "2021-07-08")[0] == "unknown"


def test_a_claimed_capture_is_shown_as_a_claim():
    events = [ev("e1", "2021-07-29", "capture", target="whole", claim="claimed")]
    assert status(events, "2021-07-30") == ("contested", None, "claimed")
    confirmed = [*events, ev("e2", "2021-07-31", "capture", target="whole")]
    assert status(confirmed, "2021-08-01") == ("controlled", "Taliban", "reported")


def test_a_denied_capture_is_not_control():
    events = [ev("e1", "2021-07-29", "capture", target="whole", claim="denied")]
    assert status(events, "2021-07-30") == ("contested", None, "claimed")


def test_contradiction_captured_and_repelled_same_day_is_contested():
    events = [
        ev("e1", "2021-08-10", "capture", target="whole"),
        ev("e2", "2021-08-10", "repel", side="Government of X"),
    ]
    got = control_as_of(pd.DataFrame(events), REGIONS, "2021-08-11").set_index("iso_3166_2")
    assert got.loc["XX-A", "status"] == "contested"
    assert set(got.loc["XX-A", "evidence"].split(";")) == {"e1", "e2"}


def test_two_captors_same_day_are_contested():
    events = [
        ev("e1", "2021-08-10", "capture", target="whole"),
        ev("e2", "2021-08-10", "capture", target="whole", side="Government of X"),
    ]
    assert status(events, "2021-08-10")[0] == "contested"


def test_fighting_after_a_capture_contests_it_again():
    events = [ev("e1", "2021-08-01", "capture", target="whole"), ev("e2", "2021-08-05", "fight")]
    assert status(events, "2021-08-03") == ("controlled", "Taliban", "reported")
    assert status(events, "2021-08-05")[0] == "contested"


def test_undated_events_and_other_regions_change_nothing():
    events = [ev("e1", "2021-08-01", "capture", target="whole", iso="XX-B")]
    events.append({**ev("e2", "2021-08-01", "capture", target="whole"), "event_date": pd.NaT})
    assert status(events, "2021-08-02") == ("unknown", None, None)
    assert status(events, "2021-08-02", iso="XX-B")[0] == "controlled"


def test_output_shape():
    out = control_as_of(pd.DataFrame([ev("e1", "2021-08-01", "fight")]), REGIONS, "2021-08-02")
    assert list(out.columns) == [*CONTROL_COLUMNS, "as_of", *PROVENANCE_COLUMNS, "geometry"]
    assert len(out) == len(REGIONS) and out.crs.to_epsg() == 4326


def test_bad_as_of_is_refused():
    with pytest.raises(ValueError, match="'yesterday-ish'"):
        control_as_of(pd.DataFrame([ev("e1", "2021-08-01", "fight")]), REGIONS, "yesterday-ish")


def test_timeline_has_every_day_and_region():
    events = pd.DataFrame(
        [ev("e1", "2021-08-01", "fight"), ev("e2", "2021-08-03", "capture", target="whole")]
    )
    tl = control_timeline(events, REGIONS)
    assert len(tl) == 3 * 2
    a = tl[tl["iso_3166_2"] == "XX-A"].set_index("date")["status"]
    assert a.tolist() == ["contested", "contested", "controlled"]
    assert len(control_changes(events)) == 2


# --- real reports, through the whole pipeline ---------------------------------------------


def _pipeline(paths):
    from geo.boundaries import default_boundaries
    from geo.events import extract_events
    from geo.geoparse import find_places
    from geo.reports import read_reports

    reports = read_reports(paths)
    regions = default_boundaries()
    events = extract_events(reports, find_places(reports), regions=regions)
    return events, regions


def test_seed_control_on_the_report_day():
    from geo.gazetteer import default_gazetteer

    events, regions = _pipeline(SEED)
    # Which regions the report is about comes from the gazetteer, not from names in the test.
    gaz = default_gazetteer()
    attacked = gaz.candidates("Qala-e-Naw", country="AF")["iso_3166_2"].iloc[0]
    nearby = gaz.candidates("Herat", country="AF")
    nearby = nearby[nearby["kind"] == "city"]["iso_3166_2"].iloc[0]
    af = regions[regions["country"] == "AF"]
    out = control_as_of(events, af, "2021-07-07").set_index("iso_3166_2")
    assert out.loc[attacked, "status"] == "contested"
    assert out.loc[attacked, "evidence"]
    assert out.loc[nearby, "controller"] != "Taliban"
    # Nothing in the report makes any other region controlled.
    assert not (out["status"] == "controlled").any()


@pytest.fixture(scope="module")
def corpus():
    return _pipeline(CORPUS)


@pytest.mark.parametrize("day", ["2021-08-01", "2021-08-16"])
def test_corpus_control_matches_what_the_reports_say(corpus, day):
    events, regions = corpus
    expected = pd.read_csv(CORPUS / "expected_control.csv", dtype=str, keep_default_na=False)
    expected = expected[expected["date"] == day].set_index("iso_3166_2")
    got = control_as_of(events, regions[regions["country"] == "AF"], day).set_index("iso_3166_2")
    got = got.loc[expected.index, ["status", "controller", "claim_status"]].fillna("")
    diff = got.compare(expected[["status", "controller", "claim_status"]])
    assert diff.empty, f"control on {day} differs from expected_control.csv:\n{diff}"


def test_timeline_chart_png(tmp_path):
    from maps.chart import control_counts, save_control_chart

    events = pd.DataFrame(
        [
            ev("e1", "2021-08-01", "fight"),
            ev("e2", "2021-08-03", "capture", target="whole", iso="XX-B", claim="claimed"),
        ]
    )
    tl = control_timeline(events, REGIONS)
    counts = control_counts(tl)
    assert counts.loc[pd.Timestamp("2021-08-03")].to_dict() == {
        "contested": 1,
        "claimed, unconfirmed": 1,
        "unknown": 0,
    }
    out = save_control_chart(tl, tmp_path / "chart.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_controlled_or_contested_region_quotes_its_sentence():
    from geo.boundaries import default_boundaries
    from geo.events import extract_events
    from geo.geoparse import find_places
    from geo.reports import read_reports

    reports = read_reports(CORPUS)
    regions = default_boundaries()
    events = extract_events(reports, find_places(reports), regions=regions)
    control = control_as_of(events, regions, "2021-08-16")
    texts = {r.id: r.text for r in reports}
    known = control[control["status"] != "unknown"]
    assert len(known) > 10
    for row in known.itertuples():
        assert texts[row.report][row.quote_start : row.quote_end] == row.quote


def test_control_as_of_needs_no_regions_and_takes_the_date_second():
    """An analyst's call: control_as_of(events, "YYYY-MM-DD") with the embedded regions."""
    from geo import extract_events, find_places, report_from_text
    from geo.control import control_as_of

    report = report_from_text(
        "date: 2021-08-10\n\nInsurgents captured the city of Kunduz on Sunday after a week "
        "of fighting, officials said."
    )
    events = extract_events([report], find_places([report]))
    by_date = control_as_of(events, "2021-08-10")
    default = control_as_of(events)  # the last event's day
    assert set(by_date["iso_3166_2"].str[:2]) == {"AF"}  # the fighting's country only
    held = by_date.set_index("iso_3166_2").loc["AF-KDZ"]
    assert held["status"] == "controlled" and held["quote"].startswith("Insurgents captured")
    assert default.set_index("iso_3166_2").loc["AF-KDZ", "status"] == "controlled"
