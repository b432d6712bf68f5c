"""Events from invented sentences read against invented towns: the rules alone, apart from
the gazetteer, and bad input. The seed report: test_events_seed.py; phrasings of real
writing: test_events_phrasings.py; cost and the dev corpus: test_events_corpus.py."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

from geo.events import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    EventWarning,
    claim_status,
    event_mentions,
    extract_events,
    load_event_rules,
    merge_events,
    to_acled,
)
from geo.reports import report_from_text
from tests.conftest import invented_events as _events
from tests.conftest import invented_places as _places
from tests.conftest import invented_report as _report

# --- small reports with hand-made places: the rules alone, no gazetteer ------------------


@pytest.mark.parametrize(
    ("sentence", "event_type", "sub_event_type", "actor1"),
    [
        (
            "Insurgents captured Ardmore on Monday.",
            "Battles",
            "Non-state actor overtakes territory",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "Army commandos retook Ardmore.",
            "Battles",
            "Government regains territory",
            "Military Forces of Afghanistan",
        ),
        ("Heavy fighting raged in Ardmore.", "Battles", "Armed clash", None),
        (
            # gangs are an armed group; the police that led them once are not the agent
            "Armed gangs led by a former police officer seized Ardmore on Monday.",
            "Battles",
            "Non-state actor overtakes territory",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "A roadside bomb hit a bus in Ardmore.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            None,
        ),
        (
            "Air strikes hit militants near Ardmore.",
            "Explosions/Remote violence",
            "Air/drone strike",
            None,
        ),
        (
            "A suicide bomber attacked a mosque in Ardmore.",
            "Explosions/Remote violence",
            "Suicide bomb",
            None,
        ),
        (
            "Militants attacked civilians in Ardmore.",
            "Violence against civilians",
            "Attack",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "Police arrested two men in Ardmore.",
            "Strategic developments",
            "Arrests",
            "Police Forces of Afghanistan",
        ),
        ("Hundreds of traders held a protest in Ardmore.", "Protests", "Peaceful protest", None),
        (
            "Gunmen killed at least 20 villagers in Ardmore.",
            "Violence against civilians",
            "Attack",
            None,
        ),
        ("Militants ambushed a convoy near Ardmore.", "Battles", "Armed clash", None),
        # armed people killed: a fight, whoever the agent (never a bombing's second event)
        (
            "Jihadists killed five soldiers near Ardmore on Monday.",
            "Battles",
            "Armed clash",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "Troops killed 12 militants in Ardmore.",
            "Battles",
            "Armed clash",
            "Military Forces of Afghanistan",
        ),
        (
            "A roadside bomb killed three policemen in Ardmore.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            None,
        ),
    ],
)
def test_sentence_types(sentence, event_type, sub_event_type, actor1):
    ev = _events(_report(sentence))
    assert len(ev) == 1
    row = ev.iloc[0]
    assert (row.event_type, row.sub_event_type) == (event_type, sub_event_type)
    if actor1:
        assert row.actor1 == actor1
    assert row.notes == sentence
    assert row.location == "Ardmore"


@pytest.mark.parametrize(
    "sentence",
    [
        "Insurgents captured Ardmore on Monday after heavy fighting.",
        "Insurgents overran Ardmore in a lightning offensive on Monday.",
    ],
)
def test_fighting_told_with_the_taking_of_a_place_is_one_event(sentence):
    # ACLED codes the taking, not a clash beside it, for the same place and day
    ev = _events(_report(sentence))
    assert ev["sub_event_type"].tolist() == ["Non-state actor overtakes territory"]


def test_fighting_at_another_place_than_the_one_taken_stays_an_event():
    ev = _events(_report("Insurgents attacked Ardmore and captured Carrow on Monday."))
    assert sorted(zip(ev["location"], ev["sub_event_type"], strict=True)) == [
        ("Ardmore", "Armed clash"),
        ("Carrow", "Non-state actor overtakes territory"),
    ]


def test_every_rule_uses_acled_vocabulary():
    rules = load_event_rules()
    assert {r.event_type for r in rules} == set(EVENT_TYPES)
    assert all(len(r.note) > 20 for r in rules)


def test_columns_and_geometry():
    ev = _events(_report("Fighting broke out in Ardmore on Monday."))
    assert list(ev.columns) == [*EVENT_COLUMNS, "geometry"]
    assert ev.crs.to_epsg() == 4326
    row = ev.iloc[0]
    assert (row.geometry.x, row.geometry.y) == (row.longitude, row.latitude)
    assert row.event_date.date() == dt.date(2021, 7, 5) and row.time_precision == 1


def test_offsets_point_at_the_words():
    r = _report("Calm returned. Later, insurgents captured Ardmore.")
    row = _events(r).iloc[0]
    assert r.text[row.start : row.end] == "captured"
    assert r.text[row.sentence_start : row.sentence_end] == row.notes


def test_capture_of_the_place_itself_or_part_of_it():
    whole = _events(_report("Insurgents captured the city of Ardmore.")).iloc[0]
    part = _events(_report("Insurgents captured three districts around Ardmore.")).iloc[0]
    assert (whole.target, whole.geo_precision) == ("whole", 1)
    assert (part.target, part.geo_precision) == ("part", 2)


def test_a_list_of_captured_places_gives_one_event_each():
    ev = _events(_report("Insurgents captured Ardmore, Birchfield and Carrow on Friday."))
    assert sorted(ev["location"]) == ["Ardmore", "Birchfield", "Carrow"]
    assert set(ev["target"]) == {"whole"}


def test_fell_to_names_the_captor_after_the_verb():
    row = _events(_report("Officials said that Ardmore fell to the Taliban.")).iloc[0]
    assert row.actor1 == "Taliban" and row.target == "whole"


def test_hedged_and_intended_events_are_not_events():
    for s in (
        "The fall of Ardmore would open the road south.",
        "Troops were sent to retake Ardmore.",
        "Insurgents may capture Ardmore soon.",
    ):
        ev = _events(_report(s))
        assert not (ev["effect"] == "capture").any(), s


def test_the_city_refers_to_the_last_town_named():
    r = _report("Insurgents reached Ardmore at dawn. Fighting continues in the city.")
    ev = _events(r)
    row = ev[ev["notes"] == "Fighting continues in the city."].iloc[0]
    assert row.location == "Ardmore" and "the city" in row["flags"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Insurgents captured Ardmore, officials said.", "reported"),
        ("The Taliban said they had captured Ardmore.", "claimed"),
        ("Insurgents captured Ardmore; this could not be independently verified.", "claimed"),
        ("Officials denied that Ardmore had been captured.", "denied"),
    ],
)
def test_claim_status(sentence, expected):
    assert claim_status(sentence) == expected
    assert _events(_report(sentence)).iloc[0].claim_status == expected


def test_talks_name_the_host_from_the_country_of_the_place():
    r = _report("Afghan government negotiators met with Taliban representatives in Carrow.")
    places = _places(r).assign(country="QA")
    row = extract_events([r], places).iloc[0]
    assert row.event_type == "Strategic developments"
    assert row.host == "Government of Qatar"


def test_same_event_from_two_reports_merges_with_every_version_kept():
    a = _report("Insurgents captured Ardmore on Monday.", "2021-07-07", "a")
    b = _report("Ardmore fell to the Taliban yesterday.", "2021-07-06", "b")
    c = _report("Insurgents captured Ardmore.", "2021-07-20", "c")  # two weeks later: another event
    events, versions = extract_events([a, b, c], _places(a, b, c), versions=True)
    captures = events[events["effect"] == "capture"].sort_values("event_date")
    assert list(captures["sources_count"]) == [2, 1]
    assert set(captures.iloc[0]["reports"].split(";")) == {a.id, b.id}
    merged = versions[versions["event_id"] == captures.iloc[0]["event_id"]]
    assert set(merged["report"]) == {a.id, b.id} and len(merged) == 2


def test_far_apart_places_do_not_merge():
    a = _report("Insurgents captured Ardmore.", name="a")
    b = _report("Insurgents captured Carrow.", name="b")
    assert len(_events(a, b)) == 2


def test_report_without_date_keeps_event_date_missing_and_warns():
    r = _report("Insurgents captured Ardmore on Monday.", date=None)
    with pytest.warns(EventWarning, match="no date"):
        ev = _events(r)
    row = ev.iloc[0]
    assert pd.isna(row.event_date) and pd.isna(row.time_precision)
    assert row.date_origin.startswith("unresolved") and "no event date" in row["flags"]


def test_impossible_date_in_the_sentence_is_flagged():
    row = _events(_report("Insurgents captured Ardmore on 31 June.")).iloc[0]
    assert pd.isna(row.event_date) and row.date_origin == "invalid: 31 June"


def test_unparsable_report_date_is_refused_with_its_value():
    from geo.errors import ReportError

    with pytest.raises(ReportError, match="2021-13-45"):
        report_from_text("date: 2021-13-45\n\nInsurgents captured Ardmore.")


def test_acled_export_names():
    out = to_acled(_events(_report("Fighting broke out in Ardmore.")))
    assert {"event_id_cnty", "event_date", "actor1", "geo_precision", "notes"} <= set(out.columns)
    assert out.loc[0, "country"] == "Afghanistan"
    assert pd.Timestamp(out.loc[0, "event_date"]) == pd.Timestamp("2021-07-07")


def test_no_events_gives_an_empty_table():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ev = _events(_report("Nothing happened in Ardmore."))
    assert len(ev) == 0 and list(ev.columns) == [*EVENT_COLUMNS, "geometry"]
    events, versions = merge_events(event_mentions([], pd.DataFrame()))
    assert len(events) == len(versions) == 0


# --- dates inside sentences --------------------------------------------------------------


def test_a_day_earlier_and_history():
    r = _report("Soldiers retook Ardmore, which rebels had captured a day earlier.", "2021-07-07")
    ev = _events(r)
    dates = sorted(str(d.date()) for d in ev.loc[ev["effect"] == "capture", "event_date"])
    assert dates == ["2021-07-06", "2021-07-07"]
    old = _events(_report("Ardmore was where a sultan captured Carrow in 1187."))
    assert not (old["effect"] == "capture").any()


# --- actors from the report's context ------------------------------------------------------


def test_rebels_are_the_group_the_report_names():
    r = _report("The Houthi Movement advanced on Sunday. Rebels captured Ardmore on Monday.")
    row = _events(r).query("effect == 'capture'").iloc[0]
    assert row.actor1 == "Houthi Movement"
