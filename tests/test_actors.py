"""Actor names from the words of a sentence, through data/actors.csv."""

from __future__ import annotations

import csv

import pytest

from geo.actors import ACTORS_CSV, ActorTable, find_actors, host_actor, load_actors


@pytest.mark.parametrize(
    ("sentence", "country", "expected"),
    [
        ("Insurgents overran a checkpoint.", "AF", ["Unidentified Armed Group (Afghanistan)"]),
        (
            "The group said its fighters held the bridge.",
            "AF",
            ["Unidentified Armed Group (Afghanistan)", "Unidentified Armed Group (Afghanistan)"],
        ),
        ("Taliban officials denied it.", "AF", ["Taliban"]),
        ("Police repelled an assault.", "AF", ["Police Forces of Afghanistan"]),
        ("Commandos and the army moved in.", "AF", ["Military Forces of Afghanistan"] * 2),
        ("The governor said the roads were shut.", "AF", ["Government of Afghanistan"]),
        (
            "Security forces clashed with militants.",
            "AF",
            ["Military Forces of Afghanistan", "Unidentified Armed Group (Afghanistan)"],
        ),
        (
            "US and NATO forces handed over the base.",
            "AF",
            ["Military Forces of the United States", "NATO: North Atlantic Treaty Organization"],
        ),
        ("Coalition troops left.", "AF", ["NATO: North Atlantic Treaty Organization"]),
        ("Three civilians were hurt.", "AF", ["Civilians (Afghanistan)"]),
        ("Let us wait.", "AF", []),
    ],
)
def test_find_actors(sentence, country, expected):
    assert [a.actor for a in find_actors(sentence, country=country)] == expected


def test_generic_words_take_the_country_of_the_event():
    assert [a.actor for a in find_actors("Police arrived.", country="PK")] == [
        "Police Forces of Pakistan"
    ]


def test_mentions_carry_offsets():
    s = "Later, militants fired on a post."
    (a,) = find_actors(s, country="AF")
    assert s[a.start : a.end] == a.text == "militants"
    assert (a.kind, a.side) == ("non_state", "Unidentified Armed Group (Afghanistan)")


def test_state_actors_fight_for_their_government():
    sides = {a.side for a in find_actors("Police and soldiers held out.", country="AF")}
    assert sides == {"Government of Afghanistan"}


@pytest.mark.parametrize(
    ("country", "expected"), [("IR", "Government of Iran"), ("QA", "Government of Qatar")]
)
def test_host_of_talks_comes_from_the_place(country, expected):
    assert host_actor(country) == expected


def test_every_row_is_documented():
    with open(ACTORS_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(len(r["note"]) > 20 for r in rows)
    assert load_actors().kind_of("Military Forces of Afghanistan") == "state"


def test_bad_table_is_refused(tmp_path):
    bad = tmp_path / "actors.csv"
    bad.write_text("pattern,actor,kind,side,note\n(unclosed,X,state,X,why\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad pattern"):
        ActorTable.from_csv(bad)
    bad.write_text("pattern,actor,kind,side,note\nx,X,alien,X,why\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kind 'alien'"):
        ActorTable.from_csv(bad)


def test_unnamed_armed_groups_are_no_countrys_default():
    from geo.actors import find_actors

    sentence = "Rebel fighters recaptured the town on Thursday."
    for code, name in (("AF", "Afghanistan"), ("SY", "Syria")):
        assert [a.actor for a in find_actors(sentence, country=code)] == [
            f"Unidentified Armed Group ({name})"
        ]


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("IS fighters held the road.", "Islamic State"),
        ("Houthis entered the port.", "Houthi Movement"),
        ("The Rapid Support Forces took the town.", "Rapid Support Forces"),
        ("Hashd Shaabi units advanced.", "Popular Mobilization Forces"),
    ],
)
def test_named_groups_of_recent_conflicts(sentence, actor):
    assert find_actors(sentence, country="IQ")[0].actor == actor


def test_is_the_verb_is_not_islamic_state():
    assert find_actors("The town is quiet and it is calm.", country="IQ") == []


def test_every_actor_row_has_a_source():
    import csv

    from geo.actors import ACTORS_CSV

    with open(ACTORS_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"].strip() for r in rows)


@pytest.mark.pure
def test_state_forces_of_any_country_are_named_by_its_iso_code(monkeypatch):
    import geo.nationals as nationals

    # any ISO 3166-1 code has a name, from pycountry when GeoNames lacks it
    monkeypatch.setattr(nationals, "_countries", lambda: {})
    assert nationals.country_name("SY") == "Syria"
    (a,) = find_actors("Soldiers held the bridge.", country="BO")
    assert a.actor == "Military Forces of Bolivia"


@pytest.mark.parametrize(
    ("sentence", "country", "actor", "kind", "side"),
    [
        # a country's adjective or its name with 's: its own forces at home...
        (
            "Iraqi forces entered the city.",
            "IQ",
            "Military Forces of Iraq",
            "state",
            "Government of Iraq",
        ),
        (
            "Sudan's army retook the town.",
            "SD",
            "Military Forces of Sudan",
            "state",
            "Government of Sudan",
        ),
        # ...a foreign state's elsewhere
        (
            "Israeli troops entered the town.",
            "PS",
            "Military Forces of Israel",
            "foreign",
            "Israel",
        ),
        (
            "Rwandan soldiers drove the insurgents out.",
            "MZ",
            "Military Forces of Rwanda",
            "foreign",
            "Rwanda",
        ),
        # of two countries' readings, the one that changes fewer letters (Nigeria, not Niger)
        (
            "Nigerian troops patrolled the border.",
            "NE",
            "Military Forces of Nigeria",
            "foreign",
            "Nigeria",
        ),
        # a government named so: its own at home, a foreign one abroad
        ("Russia's defence ministry said so.", "UA", "Government of Russia", "foreign", "Russia"),
        ("Iraqi officials said so.", "IQ", "Government of Iraq", "state", "Government of Iraq"),
        # an adjective no rule makes, from data/demonyms.csv
        (
            "Burkinabe soldiers were ambushed.",
            "BF",
            "Military Forces of Burkina Faso",
            "state",
            "Government of Burkina Faso",
        ),
    ],
)
def test_forces_named_by_their_country(sentence, country, actor, kind, side):
    from geo.actors import find_actors

    found = find_actors(sentence, country=country)
    assert [(a.actor, a.kind, a.side) for a in found][:1] == [(actor, kind, side)]


def test_bare_separatists_are_pro_russian_only_in_ukraine():
    from geo.actors import find_actors

    assert find_actors("Separatists shelled the town.", country="UA")[0].actor == (
        "Pro-Russian separatists (Ukraine)"
    )
    assert find_actors("Separatists shelled the town.", country="AZ")[0].actor == (
        "Unidentified Armed Group (Azerbaijan)"
    )


def test_resistance_forces_are_an_armed_group():
    found = find_actors("Resistance forces attacked army posts.", country="MM")
    assert found[0].actor == "Unidentified Armed Group (Myanmar)"


@pytest.mark.parametrize(
    ("sentence", "country", "expected"),
    [
        # a group apart from the one whose name it shares, read before it
        ("Pakistani Taliban gunmen raided the post.", "PK", "TTP: Tehreek-i-Taliban Pakistan"),
        ("Taliban fighters raided the post.", "AF", "Taliban"),
        ("ISWAP fighters raided the post.", "NG", "ISWAP: Islamic State West Africa Province"),
        ("Boko Haram fighters raided the post.", "NG", "Boko Haram"),
        ("AQAP fighters raided the post.", "YE", "AQAP: Al Qaeda in the Arabian Peninsula"),
        ("Ansar Dine fighters raided the post.", "ML", "Ansar Dine"),
        (
            "MNLA fighters raided the post.",
            "ML",
            "MNLA: National Movement for the Liberation of Azawad",
        ),
        ("FARC dissidents raided the post.", "CO", "FARC dissidents"),
        ("ELN guerrillas raided the post.", "CO", "ELN: National Liberation Army"),
        # a row bound to one country names the group only there
        ("Maoist rebels raided the post.", "IN", "CPI (Maoist): Communist Party of India (Maoist)"),
        ("Maoist rebels raided the post.", "NP", "Unidentified Armed Group (Nepal)"),
    ],
)
def test_armed_groups_by_name(sentence, country, expected):
    assert find_actors(sentence, country=country)[0].actor == expected


@pytest.mark.parametrize(
    ("country", "actor"),
    [("SO", "Military Forces of Somalia"), ("SY", "Syrian National Army"), ("AF", None)],
)
def test_the_same_letters_name_the_army_of_the_country_they_are_used_in(country, actor):
    found = [a.actor for a in find_actors("SNA forces entered the town.", country=country)]
    assert (found[0] if found else None) == actor


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Viv Ansanm gangs stormed the prison.", "Viv Ansanm"),
        ("400 Mawozo gang members kidnapped them.", "400 Mawozo"),
    ],
)
def test_gangs_of_haiti_by_name(sentence, actor):
    assert find_actors(sentence, country="HT")[0].actor == actor
