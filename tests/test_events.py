"""Events from reports: the seed report, hand-made sentences and bad input."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

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
from geo.reports import read_reports, report_from_text
from tests.conftest import invented_place_rows

SEED = Path(__file__).parents[2] / "shared" / "seeds" / "2021-07-07-badghis.txt"


# --- small reports with hand-made places: the rules alone, no gazetteer ------------------

TOWNS = {
    # name: kind, iso_3166_2, lat, lon, capital
    "Ardmore": ("town", "AF-AAA", 35.0, 63.0, True),
    "Birchfield": ("town", "AF-AAA", 35.3, 63.4, False),
    "Carrow": ("town", "AF-BBB", 34.0, 66.0, True),
    "Dunmore Province": ("province", "AF-BBB", 34.2, 66.2, False),
    "Kellswater": ("province", "AF-CCC", 36.0, 64.0, False),  # a province named without its word
}


def _report(body: str, date: str | None = "2021-07-07", name: str = "r"):
    header = f"date: {date}\n\n" if date else ""
    return report_from_text(header + body, name=name)


def _places(*reports) -> pd.DataFrame:
    return invented_place_rows(reports, TOWNS)


def _events(*reports, **kw):
    return extract_events(list(reports), _places(*reports), **kw)


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


# --- phrasings of real writing: generated verb forms, states, motion, nouns -------------


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "target"),
    [
        ("Rebels have taken over Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore falls to the rebels.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore is overrun by insurgents.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore has fallen.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore is now under rebel control.", "Non-state actor overtakes territory", "whole"),
        (
            "Ardmore fell into rebel hands on Monday.",
            "Non-state actor overtakes territory",
            "whole",
        ),
        ("Troops pushed the militants from Ardmore.", "Government regains territory", "whole"),
        ("Soldiers won back Ardmore.", "Government regains territory", "whole"),
        ("The army announced the liberation of Ardmore.", "Government regains territory", "whole"),
        ("Soldiers entered Ardmore at dawn.", "Government regains territory", "part"),
        ("Rebels hoisted their flag over Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("Rebels captured the Ardmore airport.", "Non-state actor overtakes territory", "part"),
        ("The rebels fled Ardmore overnight.", "Non-violent transfer of territory", "whole"),
        ("Rebels took Ardmore on Sunday.", "Non-state actor overtakes territory", "whole"),
        ("Rebels have taken the town of Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("The rebels claimed control of Ardmore.", "Non-state actor overtakes territory", "whole"),
    ],
)
def test_phrasings_of_a_change_of_control(sentence, sub_event_type, target):
    ev = _events(_report(sentence))
    ev = ev[ev["effect"].isin(["capture", "withdraw"])]
    assert len(ev) == 1, sentence
    assert (ev.iloc[0].sub_event_type, ev.iloc[0].target) == (sub_event_type, target)
    assert ev.iloc[0].location == "Ardmore"


def test_verb_forms_are_generated_not_listed():
    from geo.events.rules import verb_forms

    assert {"take", "takes", "took", "taken", "taking"} <= set(verb_forms("take"))
    with pytest.raises(ValueError, match="not an English verb"):
        verb_forms("qzxv")


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels took hostages in Ardmore on Sunday.",
        "The handover took place in Ardmore on Sunday.",
    ],
)
def test_take_with_another_object_is_no_change(sentence):
    ev = _events(_report(sentence))
    assert not ev["effect"].isin(["capture", "withdraw"]).any(), sentence


def test_the_province_named_after_a_town_holds_it_and_is_not_taken_too():
    ev = _events(_report("Rebels captured a base in Carrow, Dunmore Province, on Monday."))
    assert list(ev["location"]) == ["Carrow"]
    ev = _events(_report("Rebels captured Carrow and Dunmore Province on Monday."))
    assert sorted(ev["location"]) == ["Carrow", "Dunmore Province"]


def test_without_a_fight_is_no_fight():
    ev = _events(_report("Rebels entered Ardmore without a fight."))
    assert list(ev["effect"]) == ["capture"]


def test_a_withdrawal_across_a_river_is_not_from_the_town_of_its_name():
    ev = _events(_report("Rebels entered Ardmore after the army withdrew across the Carrow river."))
    assert "Carrow" not in set(ev["location"]), ev[["location", "effect"]]
    assert (ev["location"] == "Ardmore").any()


def test_residents_fleeing_is_not_a_withdrawal():
    ev = _events(_report("Residents fled Ardmore on Monday."))
    assert not (ev["effect"] == "withdraw").any()


def test_a_party_saying_it_holds_a_place_is_not_a_change():
    ev = _events(_report('"Ardmore is under our control," the governor said.'))
    assert not (ev["effect"] == "capture").any()


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


# --- cost: linear in report length -------------------------------------------------------


@pytest.mark.pure
def test_extraction_cost_is_linear_in_report_length(monkeypatch):
    import geo.events.sentence as sentence_module

    seen = []
    real = sentence_module.pick_place

    def counting(rule, s_text, s0, t0, t1, places, seat_of=None):
        seen.append(len(places))
        return real(rule, s_text, s0, t0, t1, places, seat_of)

    monkeypatch.setattr(sentence_module, "pick_place", counting)
    # every sentence read in full: no memo of sentences told before
    monkeypatch.setattr("geo.events.extract._memo", lambda matcher, table: None)
    sentence = "Fighting broke out in Ardmore and Birchfield. "

    def cost(n):
        seen.clear()
        _events(_report(sentence * n))
        return sum(seen)

    small, big = cost(200), cost(400)
    assert small > 0
    # quadratic scanning would make this 4
    assert 1.8 <= big / small <= 2.2


@pytest.mark.pure
def test_a_sentence_told_again_is_read_once_with_the_same_versions(monkeypatch):
    import geo.events.sentence as sentence_module

    calls = []
    real = sentence_module._told

    def counting(*args):
        calls.append(args[1])
        return real(*args)

    monkeypatch.setattr(sentence_module, "_told", counting)
    monkeypatch.setattr("geo.events.extract._memo", lambda matcher, table: None)
    text = "Fighting broke out in Ardmore on Monday. Insurgents captured Birchfield. " * 40
    plain, plain_versions = _events(_report(text, name="memo"), versions=True)
    assert len(calls) == 80
    from geo.events.memo import SentenceMemo

    memo = SentenceMemo()
    monkeypatch.setattr("geo.events.extract._memo", lambda matcher, table: memo)
    calls.clear()
    again, again_versions = _events(_report(text, name="memo"), versions=True)
    # the first sentence of each kind is read, and the first one after it (whose earlier
    # sentence names another actor); the others are looked up
    assert len(calls) < 10
    assert len(again_versions) == len(plain_versions) == 80
    pd.testing.assert_frame_equal(again, plain)
    pd.testing.assert_frame_equal(again_versions, plain_versions)


def test_merged_events_alone_are_the_events_of_the_versions_table():
    from geo.events.merge import merge_rows

    a = _report("Insurgents captured Ardmore on Monday. Fighting went on in Carrow.", name="a")
    b = _report("Ardmore fell to the Taliban yesterday.", "2021-07-06", "b")
    c = _report("Clashes were reported near Birchfield.", date=None, name="c")
    d = _report("Talks were held in Carrow on Tuesday.", name="d")
    reports = [a, b, c, d]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        alone = extract_events(reports, _places(*reports))
        events, _ = extract_events(reports, _places(*reports), versions=True)
        mentions = event_mentions(reports, _places(*reports))
    pd.testing.assert_frame_equal(alone, events)
    # a value only a version that is not its event's representative holds (here a host
    # on a less precise copy) still gives its column the type of the whole table
    rows = list(mentions[EVENT_COLUMNS].astype(object).itertuples(index=False, name=None))
    at = EVENT_COLUMNS.index
    rows = [tuple(None if v is pd.NA or v is pd.NaT else v for v in r) for r in rows]
    rows = [
        tuple(pd.NaT if v is None and j == at("event_date") else v for j, v in enumerate(r))
        for r in rows
    ]
    rows = [(*r[: at("host")], None, *r[at("host") + 1 :]) for r in rows]
    copy = list(rows[0])
    copy[at("host")], copy[at("geo_precision")], copy[at("event_id")] = "Elsewhere", 3, "ev-x"
    rows.append(tuple(copy))
    from geo.events.columns import frame

    whole = merge_events(frame(rows))[0]
    assert whole["host"].isna().all() and whole["host"].dtype != object
    pd.testing.assert_frame_equal(merge_rows(rows), whole)


# --- the dev corpus (real reports, read from ../shared at test time) -----------------------

DEV = Path(__file__).parents[2] / "shared" / "dev-corpus"


@pytest.mark.skipif(not (DEV / "score.py").exists(), reason="../shared/dev-corpus is absent")
def test_dev_corpus_changes_of_control_on_the_right_day():
    import json
    import subprocess
    import sys

    geomap = Path(sys.executable).parent / "geomap"
    out = subprocess.run(
        [sys.executable, str(DEV / "score.py"), "--geomap", str(geomap), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    # 0.931 when this test was written; a small margin for places other helpers change
    assert res["control_changes_right_day"] >= 0.89, res["missed_changes"]


def test_live_blog_entries_and_a_lone_dateline():
    from geo.events.structure import Structure, find_entries

    blog = "Live\n\nMonday, 14:05 – Rebels took over Ardmore.\n\nSunday, 09:30 – Calm.\n"
    entries = find_entries(blog)
    assert [e.date_text for e in entries] == ["Monday", "Sunday"]
    ev = _events(_report(blog, date="2021-07-07"))  # a Wednesday
    cap = ev[ev["effect"] == "capture"].iloc[0]
    assert str(cap.event_date.date()) == "2021-07-05"
    # one "CITY: ..." line alone is a dateline (where the reporter is), not a heading
    lone = "CARROW: Rebels said the town had fallen."
    assert all(e.head_start < 0 for e in Structure(lone).entries)


def test_a_line_that_holds_a_date_alone_dates_the_lines_below_it():
    blog = (
        "Timeline of the offensive\n\n"
        "Tuesday, July 6\nRebels took over Ardmore after a night of fighting.\n\n"
        "3 Jul 2021 14:20 GMT\nThe army withdrew from Birchfield, officials said.\n"
    )
    ev = _events(_report(blog, date="2021-07-20"))
    dates = {r.location: str(r.event_date.date()) for r in ev[ev["effect"] != "fight"].itertuples()}
    assert dates == {"Ardmore": "2021-07-06", "Birchfield": "2021-07-03"}


def test_relative_dates_in_a_timeline_entry_are_read_against_the_entry():
    body = (
        "How the north was lost\n\n"
        "June 2, 2021: Rebels seized Ardmore. Two days later the army retook Ardmore.\n"
    )
    ev = _events(_report(body, date="2021-07-20"))
    caps = ev[ev["effect"] == "capture"].sort_values("start")
    assert [str(d.date()) for d in caps["event_date"]] == ["2021-06-02", "2021-06-04"]


def test_the_side_a_capture_ousts_is_not_its_agent_from_context():
    body = (
        "Rebels shelled army posts near Ardmore on Monday. "
        "Forces backed by foreign jets ousted the rebels from Ardmore on Tuesday."
    )
    cap = _events(_report(body)).query("effect == 'capture'").iloc[0]
    assert cap.location == "Ardmore"
    assert not str(cap.actor1).startswith("Unidentified Armed Group")
    assert str(cap.actor2).startswith("Unidentified Armed Group")


def _captor(text):
    """The captor of the first capture of a one-sentence report, geoparsed for real."""
    from geo.geoparse import find_places

    r = _report(text)
    ev = extract_events([r], find_places([r]))
    return ev.query("effect == 'capture'").iloc[0].actor1


def test_coalition_forces_are_natos_only_in_afghanistan():
    assert str(_captor("Coalition forces took control of Kunduz on Monday.")).startswith("NATO")
    assert not str(_captor("Coalition forces took control of Hodeidah on Monday.")).startswith(
        "NATO"
    )


def test_no_event_is_placed_at_a_datelines_place():
    body = (
        "Birchfield (Sample Wire) - Army troops retook control of Pinegrove, a hamlet in the "
        "district of Ardmore, on Sunday, officials said."
    )
    caps = _events(_report(body)).query("effect == 'capture'")
    assert caps["location"].tolist() == ["Ardmore"]


def test_two_towns_taken_near_each_other_are_two_changes_of_control():
    # Ardmore and Birchfield are about 50 km apart in the test gazetteer: even when
    # versions within 100 km merge, two captures of two places stay apart
    ev = _events(_report("Rebels took the towns of Ardmore and Birchfield on Monday."))
    caps = ev[ev["effect"] == "capture"]
    assert sorted(caps["location"]) == ["Ardmore", "Birchfield"]
    near = _events(
        _report("Rebels took the towns of Ardmore and Birchfield on Monday."), distance_km=100
    )
    assert sorted(near.loc[near["effect"] == "capture", "location"]) == ["Ardmore", "Birchfield"]


def test_kurdish_forces_are_the_sdf_in_syria_and_the_krgs_in_iraq():
    assert _captor("Kurdish-led forces took control of Raqqa on Monday.").startswith("SDF")
    assert "Kurdistan" in _captor("Kurdish forces took control of Kirkuk on Monday.")


def test_the_village_of_x_taken_is_x_taken_whole():
    ev = _events(_report("Rebels took the village of Ardmore on Monday."))
    cap = ev[ev["effect"] == "capture"].iloc[0]
    assert cap.location == "Ardmore" and cap.target == "whole"


def test_the_town_is_not_the_datelines_place_named_only_there():
    body = (
        "Carrow (Sample Wire) - The army said on Monday it had lost many soldiers.\n\n"
        "Rebels overran an army base in Pinegrove on Saturday, killing soldiers digging "
        "trenches around the town."
    )
    ev = _events(_report(body))
    assert "Carrow" not in set(ev["location"])
    # named again in the story, the dateline's place is the town
    again = _events(
        _report("Carrow (Sample Wire) - Rebels reached Carrow. They captured the town.")
    )
    caps = again[again["effect"] == "capture"]
    assert caps["location"].tolist() == ["Carrow"]


def test_places_listed_with_their_own_dates_take_them():
    ev = _events(_report("Rebels seized Ardmore on Sunday and Birchfield on Monday."))
    caps = ev[ev["effect"] == "capture"].set_index("location")
    assert str(caps.loc["Ardmore", "event_date"].date()) == "2021-07-04"
    assert str(caps.loc["Birchfield", "event_date"].date()) == "2021-07-05"
    # one date after the list is every place's
    ev = _events(_report("Rebels seized Ardmore and Birchfield on Monday."))
    dates = set(ev.loc[ev["effect"] == "capture", "event_date"].dt.date.astype(str))
    assert dates == {"2021-07-05"}


def test_a_place_handed_over_with_the_particle_after_it_passes_to_the_other_side():
    ev = _events(_report("The army handed Ardmore over to the rebels on Monday."))
    moves = ev[ev["effect"] == "capture"]
    assert moves["location"].tolist() == ["Ardmore"]
    assert str(moves.iloc[0].actor1).startswith("Unidentified Armed Group")
    # people handed over are no place changing hands
    ev = _events(_report("The police handed the suspects over to the army in Ardmore."))
    assert not (ev["effect"] == "capture").any()


def test_headline_is_dated_by_the_report():
    r = _report("Rebels seize Ardmore\n\nOfficials said nothing more.", date="2021-07-07")
    cap = _events(r).query("effect == 'capture'").iloc[0]
    assert str(cap.event_date.date()) == "2021-07-07" and cap.location == "Ardmore"


def test_a_long_report_goes_through_whole():
    # the cost check is the operation count of test_extraction_cost_is_linear_in_report_length;
    # this one proves a long report (200 kB, 6,000 sentences) goes through whole
    body = "Fighting broke out in Ardmore on Monday. Calm returned to the town. " * 3_000
    ev = _events(_report(body))
    assert len(ev) >= 1 and ev["sources_count"].sum() >= 1


def test_entries_on_consecutive_lines_are_separate_sentences():
    body = "– June 30 – Ardmore: Rebels captured the town.\n– July 2 – Carrow: Calm.\n"
    cap = _events(_report(body)).query("effect == 'capture'").iloc[0]
    assert str(cap.event_date.date()) == "2021-06-30"
    assert cap.notes == "– June 30 – Ardmore: Rebels captured the town."


def test_a_foreign_state_named_earlier_is_not_the_agent_of_a_later_attack():
    """Officials in a town across the border spoke; later an unattributed attack: their
    government is not its actor (invented text, hand-made places)."""
    rep = _report(
        "Officials in Eastwick said staff who had fled would be sent home. "
        "Traders waited for days. "
        "Shops in Ardmore reopened after last week's attack on the town."
    )
    places = _places(rep)
    start = rep.text.index("Eastwick")
    abroad = {**places.iloc[0].to_dict(), "start": start, "end": start + 8}
    abroad.update(mention="Eastwick", name="Eastwick", country="IR", admin1="XX")
    abroad.update(iso_3166_2="IR-XX", lat=36.3, lon=59.6, source="test:Eastwick", seat=False)
    ev = extract_events([rep], pd.concat([places, pd.DataFrame([abroad])], ignore_index=True))
    attack = ev[ev["notes"].str.startswith("Shops in Ardmore")]
    assert len(attack) == 1
    assert "Iran" not in str(attack.iloc[0]["actor1"] or "")


def test_verb_forms_are_kept_as_lemminflect_gives_them(tmp_path, monkeypatch):
    import json

    from geo.events import rules

    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path))
    rules._kept_forms.cache_clear()
    rules.verb_forms.cache_clear()
    try:
        forms = rules.verb_forms("overrun")
        rules._keep_forms()
        path = rules._forms_file()
        assert path.parent == tmp_path
        kept = json.loads(path.read_text())
        assert kept["overrun"] == list(forms) == list(rules._inflect("overrun"))
        # read back from the file in a new process (here: caches cleared)
        rules._kept_forms.cache_clear()
        rules.verb_forms.cache_clear()
        assert rules.verb_forms("overrun") == forms
        # a damaged file is not read: the forms come from lemminflect again
        path.write_text('{"flee": "not a list", "x": [1]')
        rules._kept_forms.cache_clear()
        rules.verb_forms.cache_clear()
        assert rules._kept_forms() == {}
        assert "fled" in rules.verb_forms("flee")
    finally:
        rules._kept_forms.cache_clear()
        rules.verb_forms.cache_clear()


# --- who acts: the passive voice, a side losing a place ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "actor1", "actor2"),
    [
        # the subject of a passive verb is acted on; the agent follows "by"
        (
            "Insurgents were driven out of Ardmore by army commandos on Monday.",
            "Government regains territory",
            "Military Forces of Afghanistan",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "The militants have been pushed out of Ardmore, officials said.",
            "Government regains territory",
            None,
            "Unidentified Armed Group (Afghanistan)",
        ),
        # a side that loses a place is actor2; the one it loses it to is actor1
        (
            "Security forces lost control of Ardmore to the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
            "Military Forces of Afghanistan",
        ),
        (
            "The army lost control of Ardmore on Monday.",
            "Non-state actor overtakes territory",
            None,
            "Military Forces of Afghanistan",
        ),
        # the acronym "IS" before a verb is the group, not the verb "is"
        (
            "IS seized Ardmore on Monday.",
            "Non-state actor overtakes territory",
            "Islamic State",
            None,
        ),
    ],
)
def test_the_side_acted_on_is_never_the_agent(sentence, sub_event_type, actor1, actor2):
    ev = _events(_report(sentence))
    captures = ev[ev["effect"] == "capture"]
    assert len(captures) == 1, ev[["sub_event_type", "actor1", "actor2"]]
    row = captures.iloc[0]
    assert row.sub_event_type == sub_event_type
    assert (row.actor1 if isinstance(row.actor1, str) else None) == actor1
    assert (row.actor2 if isinstance(row.actor2, str) else None) == actor2
    assert row.location == "Ardmore"


def test_a_loser_named_before_is_not_the_captor_by_context():
    # The army is the actor of the sentence before; the sentence that tells the loss
    # names no one to whom it was lost: the army is not made its captor.
    ev = _events(_report("The army shelled Birchfield. It lost control of Ardmore on Monday."))
    captures = ev[ev["effect"] == "capture"]
    assert len(captures) == 1
    assert captures.iloc[0].actor1 != "Military Forces of Afghanistan"


def test_a_place_handed_over_passes_to_the_side_named_after_to():
    ev = _events(_report("Rebels handed over Ardmore to the army on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.event_type, row.sub_event_type) == (
        "Strategic developments",
        "Non-violent transfer of territory",
    )
    assert (row.actor1, row.actor2) == (
        "Military Forces of Afghanistan",
        "Unidentified Armed Group (Afghanistan)",
    )
    # not a place handed over: the suspects were
    assert (
        _events(_report("Police handed over the suspects to prosecutors in Ardmore."))["effect"]
        .ne("capture")
        .all()
    )


@pytest.mark.parametrize(
    ("sentence", "partial"),
    [
        ("Ardmore returned to government control on Monday.", False),
        ("Army commandos re-entered Ardmore on Monday.", True),
    ],
)
def test_a_place_back_in_government_hands(sentence, partial):
    ev = _events(_report(sentence))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert row.sub_event_type == "Government regains territory"
    assert row.location == "Ardmore"
    assert (row.target == "part") == partial


def test_a_side_that_now_controls_a_place_holds_it():
    ev = _events(_report("The Taliban now control Ardmore, residents said."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.actor1, row.location, row.target) == ("Taliban", "Ardmore", "whole")
    # a denial or a share of a country is no control of a place
    assert _events(_report("The army does not control Ardmore."))["effect"].ne("capture").all()


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "actor1"),
    [
        (
            "Ardmore was taken by the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        (
            "Ardmore was lost to the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        ("Ardmore changed hands on Monday.", "Non-state actor overtakes territory", None),
        (
            "The Taliban wrested control of Ardmore on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        (
            "Security forces surrendered Ardmore to the Taliban on Monday.",
            "Non-violent transfer of territory",
            "Taliban",
        ),
    ],
)
def test_more_ways_a_place_changes_hands(sentence, sub_event_type, actor1):
    ev = _events(_report(sentence))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.sub_event_type, row.location) == (sub_event_type, "Ardmore")
    assert (row.actor1 if isinstance(row.actor1, str) else None) == actor1


@pytest.mark.parametrize(
    "sentence",
    [
        "The wounded were taken to hospital in Ardmore.",
        "Two men were taken hostage in Ardmore on Monday.",
        "Three soldiers were lost to enemy fire in Ardmore.",
    ],
)
def test_taken_and_lost_that_change_no_hands(sentence):
    assert _events(_report(sentence))["effect"].ne("capture").all()


def test_a_loss_without_a_named_subject_is_not_the_nearest_place():
    text = "Ardmore, which the army had held since 2011, stood firm while all the areas around were lost to the rebels."
    assert _events(_report(text))["effect"].ne("capture").all()
    # a subject that refers to the place still takes the place of its sentence
    ev = _events(_report("Under rebel control since May, Ardmore was quiet on Monday."))
    assert (ev["effect"] == "capture").any()


@pytest.mark.parametrize(
    "sentence",
    [
        "Police seized weapons in Ardmore on Monday.",
        "Rebels captured two soldiers near Ardmore on Monday.",
        "Prosecutors took over the investigation in Ardmore.",
        "The Taliban seized the initiative around Ardmore.",
    ],
)
def test_a_capture_of_a_thing_is_no_capture_of_its_place(sentence):
    assert _events(_report(sentence))["effect"].ne("capture").all()


def test_a_capture_of_ground_short_of_the_place_is_a_partial_one():
    ev = _events(_report("The Taliban overran army posts near Ardmore on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.location, row.target) == ("Ardmore", "part")


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        # the state's forces lost the place, no captor named: not the government's gain
        (
            "Army troops were forced out of Ardmore on Monday.",
            "Non-state actor overtakes territory",
        ),
        # the state's forces only say so, after the fact
        ("Ardmore was recaptured, the army said on Monday.", "Government regains territory"),
    ],
)
def test_a_capture_without_a_captor_takes_its_type_from_the_side_that_lost(
    sentence, sub_event_type
):
    ev = _events(_report(sentence))
    assert ev[ev["effect"] == "capture"]["sub_event_type"].tolist() == [sub_event_type]
