"""Events of the seed report through the real pipeline, and which town "the city" and
an entry's heading name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.events import (
    extract_events,
)
from geo.reports import read_reports, report_from_text
from tests.conftest import invented_events as _events
from tests.conftest import invented_report as _report

SEED = Path(__file__).parents[2] / "shared" / "seeds" / "2021-07-07-badghis.txt"


# --- the seed report, through the real pipeline ------------------------------------------


@pytest.fixture(scope="module")
def seed():
    from geo.boundaries import default_boundaries
    from geo.geoparse import find_places

    reports = read_reports(SEED)
    places = find_places(reports)
    events = extract_events(reports, places, regions=default_boundaries())
    return reports[0], places, events


def _place_of(places, report, words):
    """The gazetteer place the geoparser gave the words at their first occurrence."""
    start = report.text.index(words)
    row = places[places["start"] == start]
    assert len(row) == 1, f"the geoparser did not resolve {words!r}"
    return row.iloc[0]


def test_seed_battle_at_the_attacked_capital(seed):
    report, places, events = seed
    town = _place_of(places, report, "Qala-e-Naw")
    battles = events[
        (events["event_type"] == "Battles") & (events["place_source"] == town["source"])
    ]
    first = battles[battles["sub_event_type"] == "Armed clash"].iloc[0]
    assert first.event_date.date() == dt.date(2021, 7, 7) and first.time_precision == 1
    assert first.actor1 == "Taliban"
    assert first.notes in report.text and "Qala-e-Naw" in first.notes
    assert report.text[first.sentence_start : first.sentence_end] == first.notes


def test_seed_talks_in_the_host_capital(seed):
    report, places, events = seed
    city = _place_of(places, report, "Tehran")
    talks = events[
        (events["event_type"] == "Strategic developments")
        & (events["place_source"] == city["source"])
    ]
    assert len(talks) == 1
    row = talks.iloc[0]
    assert row.event_date.date() == dt.date(2021, 7, 7)
    assert {row.actor1, row.actor2} == {"Government of Afghanistan", "Taliban"}
    assert row.host.startswith("Government of ") and row.country == city["country"]


def test_seed_departure_from_the_air_base_a_week_before(seed):
    report, places, events = seed
    base = _place_of(places, report, "Bagram")
    row = events[events["place_source"] == base["source"]].iloc[0]
    assert row.event_type == "Strategic developments"
    assert row.event_date.date() == dt.date(2021, 6, 30) and row.time_precision == 2
    assert {row.actor1, row.assoc_actor_1} == {
        "Military Forces of the United States",
        "NATO: North Atlantic Treaty Organization",
    }


def test_seed_region_only_event_stays_a_region(seed):
    _, _, events = seed
    regional = events[events["place_kind"] == "region"]
    assert len(regional) >= 1
    assert (regional["geo_precision"] == 3).all() and regional["iso_3166_2"].isna().all()


def test_the_city_is_the_home_countrys_city_not_one_named_in_passing():
    report = report_from_text(
        "date: 2021-08-15\n\n"
        "Taliban fighters surrounded Jalalabad in Afghanistan on Saturday. Jalalabad lies on "
        "the road between Kabul and Peshawar. Taliban fighters captured the city overnight.",
        name="anaphora",
    )
    from geo.geoparse import find_places

    events = extract_events([report], find_places(report))
    captures = events[events["sub_event_type"] == "Non-state actor overtakes territory"]
    assert list(captures["location"].str.startswith("Jal")) == [True]
    assert set(captures["country"]) == {"AF"}


def test_the_city_is_the_town_named_in_the_same_sentence():
    from geo.geoparse import find_places

    report = report_from_text(
        "date: 2021-08-12\n\nTaliban fighters captured Ghazni on Thursday. Officials in Ghazni "
        "fled. In Herat, government forces were battling the insurgents on the edge of the city.",
        name="same-sentence",
    )
    events = extract_events([report], find_places(report))
    battles = events[events["notes"].str.startswith("In Herat")]
    assert list(battles["location"].str.startswith("Her")) == [True]


def test_a_central_prison_is_not_central_afghanistan():
    from geo.geoparse import find_places

    report = report_from_text(
        "date: 2021-08-12\n\nIn Kandahar, Afghanistan, Taliban fighters attacked the central "
        "prison on Thursday.",
        name="prison",
    )
    events = extract_events([report], find_places(report))
    assert "region" not in set(events["place_kind"])


# --- document structure: entries with their own dates and headings ---------------------


def test_timeline_entries_take_their_date_and_heading_place():
    body = (
        "Key dates\n\n"
        "– July 3 – Ardmore: The rebels took over the town after a short fight.\n\n"
        "– July 5 – Birchfield: The insurgents take over.\n"
    )
    ev = _events(_report(body, date="2021-07-20"))
    caps = ev[ev["effect"] == "capture"].set_index("location")
    assert str(caps.loc["Ardmore", "event_date"].date()) == "2021-07-03"
    # the second entry names its place only in its heading
    assert str(caps.loc["Birchfield", "event_date"].date()) == "2021-07-05"


def test_the_town_in_a_province_is_the_town_not_the_province():
    body = (
        "– Ardmore: The market town in the northern province of Dunmore Province fell "
        "to the rebels on July 2.\n\n– Carrow: Nothing changed.\n"
    )
    ev = _events(_report(body))
    caps = ev[ev["effect"] == "capture"]
    assert caps["location"].tolist() == ["Ardmore"]


def test_the_capital_of_a_province_is_its_seat_from_the_gazetteer():
    from geo.geoparse import find_places

    r = _report("Insurgents seized the capital of Herat province on Monday.")
    ev = extract_events([r], find_places([r]))
    cap = ev[ev["effect"] == "capture"].iloc[0]
    assert cap.place_kind in ("city", "town") and cap.capital
    assert cap.location.startswith("Her")
