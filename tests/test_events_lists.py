"""Events from invented wire copy: lists of places struck, suburbs, actors, counted days.

The sentences are invented; the places are hand-made towns, two of them close enough
(about 10 km) that the merging of versions would take them for one place.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.events import extract_events
from geo.reports import report_from_text
from tests.conftest import invented_place_rows

TOWNS = {
    # name: kind, iso_3166_2, lat, lon
    "Ardmore": ("town", "AF-AAA", 35.00, 63.00),
    "Elmwood": ("town", "AF-AAA", 35.02, 63.03),  # a suburb of Ardmore
    "Birchfield": ("town", "AF-AAA", 35.06, 63.06),
    "Carrow": ("town", "AF-AAA", 35.10, 62.95),
    "Dunmore": ("town", "AF-BBB", 34.0, 66.0),
    "Kellswater": ("province", "AF-CCC", 36.0, 64.0),
}


def _events(body: str, date: str = "2021-07-07") -> pd.DataFrame:
    r = report_from_text(f"date: {date}\n\n{body}", name="r")
    return extract_events([r], invented_place_rows([r], TOWNS))


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "places"),
    [
        ("Airstrikes hit Ardmore and Birchfield on Monday.", "Air/drone strike", 2),
        ("Army artillery shelled Ardmore, Birchfield and Carrow.", None, 3),
        ("Ardmore and Birchfield were shelled overnight.", None, 2),
        ("Heavy fighting was reported in Ardmore and Birchfield.", "Armed clash", 2),
    ],
)
def test_each_place_of_a_list_struck_is_an_event(sentence, sub_event_type, places):
    ev = _events(sentence)
    if sub_event_type is not None:
        ev = ev[ev["sub_event_type"] == sub_event_type]
    assert sorted(ev["location"]) == sorted(n for n in TOWNS if n in sentence)[:places]
    assert len(ev) == places


@pytest.mark.parametrize(
    "sentence",
    [
        "Fighting on the road between Ardmore and Birchfield went on all day.",
        "Talks in Ardmore and Birchfield ended on Monday.",
    ],
)
def test_a_road_between_places_or_talks_in_them_are_one_event(sentence):
    assert len(_events(sentence)) == 1


def test_near_versions_of_two_sentences_still_merge():
    # the same strike told twice, at places 10 km apart: one event (the merge is kept)
    ev = _events("An airstrike hit Ardmore on Monday. The airstrike near Birchfield on Monday.")
    assert len(ev) == 1


@pytest.mark.parametrize(
    ("sentence", "actor1"),
    [
        ("Russian warplanes bombed Dunmore on Monday.", "Military Forces of Russia"),
        ("Russian jets shelled Dunmore on Monday.", "Military Forces of Russia"),
        ("Afghan helicopters struck Dunmore on Monday.", "Military Forces of Afghanistan"),
    ],
)
def test_aircraft_that_bomb_make_an_air_strike_by_their_side(sentence, actor1):
    ev = _events(sentence)
    assert (ev["sub_event_type"].tolist(), ev["actor1"].tolist()) == (
        ["Air/drone strike"],
        [actor1],
    )


@pytest.mark.parametrize(
    "text",
    [
        "Government troops shelled Ardmore on Monday. Dunmore is now under rebel control.",
        "Government troops shelled Ardmore on Monday. Dunmore is in rebel hands.",
        "Government troops shelled Ardmore on Monday. Dunmore came under militant control.",
    ],
)
def test_rebel_control_is_the_rebels_not_the_side_of_the_sentence_before(text):
    ev = _events(text)
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.location, row.sub_event_type, row.actor1) == (
        "Dunmore",
        "Non-state actor overtakes territory",
        "Unidentified Armed Group (Afghanistan)",
    )


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        ("Gunmen stormed Dunmore on Monday.", "Unidentified Armed Group (Afghanistan)"),
        # an unknown group is not the group the report named before
        (
            "The Taliban attacked Ardmore on Sunday. Unknown gunmen stormed Dunmore on Monday.",
            "Unidentified Armed Group (Afghanistan)",
        ),
    ],
)
def test_gunmen_are_an_armed_group(text, actor1):
    ev = _events(text)
    assert ev[ev["location"] == "Dunmore"]["actor1"].tolist() == [actor1]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police said gunmen had stormed Dunmore on Monday.",
        "Gunmen stormed Dunmore on Monday, police said.",
        "Gunmen stormed Dunmore on Monday, government officials said.",
    ],
)
def test_who_tells_of_an_attack_is_not_its_target(sentence):
    ev = _events(sentence)
    assert (ev["actor1"].tolist(), ev["actor2"].isna().tolist()) == (
        ["Unidentified Armed Group (Afghanistan)"],
        [True],
    )


def test_the_army_that_says_it_took_a_place_is_still_the_captor():
    ev = _events("The army said it had retaken Dunmore on Monday.")
    assert ev["actor1"].tolist() == ["Military Forces of Afghanistan"]


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("The next day, ", "2021-07-04"),
        ("Two days later, ", "2021-07-05"),
        ("The day before, ", "2021-07-02"),
        ("A day later, ", "2021-07-04"),
    ],
)
def test_a_count_of_days_opening_a_sentence_counts_from_the_sentence_before(opening, day):
    # the report is of Wednesday 7 July; "on Saturday" is 3 July
    ev = _events(f"Troops shelled Ardmore on Saturday. {opening}the Taliban captured Dunmore.")
    rows = ev[ev["location"] == "Dunmore"]
    assert rows["event_date"].dt.strftime("%Y-%m-%d").tolist() == [day]


def test_a_count_of_days_in_another_clause_is_still_not_the_verbs():
    ev = _events("The army retook Dunmore on Monday, which the Taliban had taken a day earlier.")
    rows = ev[ev["actor1"] == "Military Forces of Afghanistan"]
    assert rows["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-07-05"]


def test_paramilitaries_are_an_armed_group_and_allied_militias_not_the_reports_group():
    ev = _events(
        "The Taliban attacked Ardmore on Sunday. Paramilitaries overran Carrow on Monday. "
        "The army handed over Dunmore to allied militias on Monday."
    )
    by_place = dict(zip(ev["location"], ev["actor1"], strict=True))
    assert (by_place["Carrow"], by_place["Dunmore"]) == (
        "Taliban",
        "Unidentified Armed Group (Afghanistan)",
    )


def test_the_allies_of_a_group_named_with_it_are_its_associates():
    ev = _events("The Taliban and allied fighters seized Dunmore on Monday.")
    assert (ev["actor1"].tolist(), ev["sub_event_type"].tolist()) == (
        ["Taliban"],
        ["Non-state actor overtakes territory"],
    )


def test_drones_that_strike_a_list_strike_each_place():
    ev = _events("Army drones struck Ardmore and Carrow on Monday.")
    assert sorted(ev["location"]) == ["Ardmore", "Carrow"]
    assert set(ev["sub_event_type"]) == {"Air/drone strike"}


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("Gunmen attacked the Ardmore suburb of Elmwood on Monday.", None),
        ("Airstrikes hit the Ardmore district of Elmwood on Monday.", None),
        ("The Taliban captured the Ardmore suburb of Elmwood on Monday.", "whole"),
    ],
)
def test_the_suburb_of_a_city_is_where_the_event_is(sentence, target):
    ev = _events(sentence)
    assert ev["location"].tolist() == ["Elmwood"]
    assert ev["target"].tolist() == [target]  # a capture of all of it; none for an attack


def test_a_district_of_a_province_still_holds_the_place_before_it():
    ev = _events("The Taliban captured the Carrow district of Kellswater on Monday.")
    assert ev["location"].tolist() == ["Carrow"]


def test_the_actor_of_a_timeline_entry_is_not_carried_into_the_next():
    ev = _events(
        "Timeline:\n\n- July 3: Government troops shelled Ardmore.\n- July 5: Dunmore fell.\n"
    )
    row = ev[ev["location"] == "Dunmore"].iloc[0]
    assert (row.actor1 is None or pd.isna(row.actor1), row.sub_event_type) == (
        True,
        "Non-state actor overtakes territory",
    )


def test_rebel_forces_are_an_armed_group():
    ev = _events("Dunmore was captured by rebel forces on Monday.")
    assert ev["actor1"].tolist() == ["Unidentified Armed Group (Afghanistan)"]


def test_a_date_line_above_a_live_blogs_times_dates_its_entries():
    # the report is of 10 July; "overnight" in the 10 July entry is 9 July, and the
    # "08:15" under "Saturday, 10 July" is a time, not 8 July
    text = (
        "Live\n\nSaturday, 10 July\n08:15 GMT - Airstrikes hit Ardmore overnight.\n"
        "Friday, 9 July\n22:10 GMT - Troops shelled Dunmore yesterday.\n"
    )
    ev = _events(text, date="2021-07-10")
    days = dict(zip(ev["location"], ev["event_date"].dt.strftime("%Y-%m-%d"), strict=True))
    assert days == {"Ardmore": "2021-07-09", "Dunmore": "2021-07-08"}
    assert not any("Saturday" in n for n in ev["notes"])  # the date line is no sentence's


@pytest.mark.parametrize(
    ("sentence", "actor1"),
    [
        ("Russian airstrikes hit Dunmore on Monday.", "Military Forces of Russia"),
        (
            "Afghan shelling killed two people in Dunmore on Monday.",
            "Military Forces of Afghanistan",
        ),
        (
            "The Taliban attacked Ardmore on Sunday. Dunmore remains under Afghan control.",
            "Military Forces of Afghanistan",
        ),
    ],
)
def test_a_nationality_before_a_strike_or_a_hold_is_its_forces(sentence, actor1):
    ev = _events(sentence)
    assert ev[ev["location"] == "Dunmore"]["actor1"].tolist()[:1] == [actor1]


def test_an_unknown_town_taken_is_not_the_place_of_the_road_it_cuts():
    # "Quillan" is no place the gazetteer knows: the capture is not of Ardmore
    ev = _events("Rebels seized Quillan on Sunday, cutting the road to Ardmore.")
    assert ev[ev["effect"] == "capture"].empty


def test_it_after_an_unknown_town_taken_is_not_the_place_before():
    ev = _events(
        "Heavy fighting was reported near Ardmore on Thursday. "
        "Troops recaptured Quillan on Friday but lost it again hours later."
    )
    assert ev[ev["effect"] == "capture"].empty


@pytest.mark.parametrize(
    ("sentence", "effects"),
    [
        ("Government troops were forced to retreat from Dunmore on Monday.", ["withdraw"]),
        ("The Taliban managed to capture Dunmore on Monday.", ["capture"]),
        ("Reinforcements were sent to retake Dunmore on Monday.", []),
    ],
)
def test_an_infinitive_that_was_done_is_an_event_an_aim_is_not(sentence, effects):
    ev = _events(sentence)
    assert ev[ev["effect"].isin(["withdraw", "capture"])]["effect"].tolist() == effects


def test_a_year_that_names_a_thing_does_not_date_the_verb():
    ev = _events("The Taliban took Dunmore, the scene of the 2001 uprising, late on Monday.")
    assert ev["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-07-05"]


def test_an_unattributed_air_strike_is_not_the_armed_group_of_the_sentence_before():
    ev = _events("The Taliban captured Ardmore on Sunday. Airstrikes hit Dunmore on Monday.")
    row = ev[ev["location"] == "Dunmore"].iloc[0]
    assert (row.sub_event_type, row.actor1 is None or pd.isna(row.actor1)) == (
        "Air/drone strike",
        True,
    )


def test_civilians_killed_by_a_strike_are_the_strike_s_not_a_second_event():
    ev = _events("Airstrikes on Dunmore killed six civilians on Monday.")
    assert ev["sub_event_type"].tolist() == ["Air/drone strike"]
