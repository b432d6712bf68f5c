"""Geoparsing rules met in wire copy from many conflicts, each tested on invented sentences."""

import pytest

from geo import find_places


def _mentions(text: str) -> dict[str, tuple[str, str]]:
    """Each mention's (country, kind); the last reading wins if a name comes twice."""
    places = find_places(text)
    return {m: (c, k) for m, c, k in places[["mention", "country", "kind"]].itertuples(index=False)}


def test_a_credit_line_names_people_not_places():
    text = (
        "NIAMEY, May 2 (Reuters) - Gunmen attacked an army post near Tillaberi in Niger "
        "on Sunday, killing nine soldiers, the defence ministry said.\n\n"
        "(Reporting by Moussa Abdou in Niamey; Writing by Carla Mendes in Dakar; "
        "Editing by Peter Graff and Frances Kerry)"
    )
    found = _mentions(text)
    assert found["Niamey"][0] == "NE" and found["Dakar"][0] == "SN"
    # Graff (a town in the US) and Kerry (an Irish county) are editors here.
    assert "Graff" not in found and "Kerry" not in found


def test_a_headline_in_title_case_is_still_read_as_a_headline():
    # The credit-line rule must not make a real headline's words people.
    found = _mentions("Rebels Seize Goma Airport As Fighting Rages\n\nRebels took Goma, Congo.")
    assert found["Goma"] == ("CD", "city")


def test_a_cartel_named_after_its_home_is_no_place():
    found = _mentions(
        "Gunmen of the Jalisco Cartel attacked a police patrol in Uruapan, Mexico, officials said."
    )
    assert "Jalisco" not in found
    assert found["Uruapan"][0] == "MX"


@pytest.mark.parametrize(
    ("text", "mention", "iso"),
    [
        (
            "Clan militias retook a village in the Middle Shabelle region, Somalia.",
            "Middle Shabelle",
            "SO-SD",
        ),
        (
            "Troops attacked a camp in Lower Shabelle, Somalia, on Friday.",
            "Lower Shabelle",
            "SO-SH",
        ),
        ("Fighting spread to North Darfour state, in western Sudan.", "North Darfour", "SD-DN"),
    ],
)
def test_a_compass_word_does_not_stop_a_transliterated_region(text, mention, iso):
    places = find_places(text)
    row = places[places["mention"] == mention]
    assert len(row) == 1, sorted(places["mention"])
    assert row.iloc[0]["kind"] == "province" and row.iloc[0]["iso_3166_2"] == iso


def test_a_compass_word_alone_is_still_no_transliteration():
    # "Lower" and "Middle" alone are English words, not a like-sounding town.
    places = find_places("Prices were lower in the Middle of the week, traders in Kenya said.")
    assert set(places["mention"]) == {"Kenya"}


def test_one_name_is_one_place_in_a_report():
    # "X town" in a headline, X the report's state: not a small namesake abroad.
    text = (
        "Gunmen attack Borno town, kill 12\n\n"
        "MAIDUGURI, Nigeria, May 3 (AP) - Gunmen attacked a town in Nigeria's Borno "
        "state on Tuesday, killing 12 people, residents said."
    )
    places = find_places(text)
    rows = places[places["mention"] == "Borno"]
    assert len(rows) == 2
    assert set(rows["country"]) == {"NG"} and set(rows["iso_3166_2"]) == {"NG-BO"}


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        # Hays: a US town and a Yemeni one; the group's name speaks for Yemen.
        ("Houthi fighters shelled Hays overnight, a military official said.", "Hays", "YE"),
        # A small place there counts: the group makes its country the report's.
        ("Houthi fighters attacked Khokha on Tuesday, residents said.", "Khokha", "YE"),
        ("Arakan Army fighters seized Buthidaung after weeks of fighting.", "Buthidaung", "MM"),
    ],
)
def test_an_armed_groups_name_speaks_for_its_country(text, mention, country):
    places = find_places(text)
    row = places[places["mention"] == mention]
    assert len(row) == 1 and row.iloc[0]["country"] == country


def test_a_like_sounding_town_abroad_is_no_lone_name_beside_a_group():
    # Only a namesake spelled differently in another country: not taken at its word.
    places = find_places("M23 rebels captured Masisi after heavy fighting.")
    assert "Masisi" not in set(places["mention"])


def test_a_group_named_abroad_leaves_a_lone_town_at_home():
    places = find_places("Lawmakers condemned Hamas after a rally in Hamtramck on Sunday.")
    row = places[places["mention"] == "Hamtramck"]
    assert len(row) == 1 and row.iloc[0]["country"] == "US"
    # and the group's name is no place (it is also an alternate name of Hamm)
    assert "Hamas" not in set(places["mention"])


def test_a_group_in_capitals_only_in_capitals():
    from geo.geoparse.groups import armed_groups
    from geo.text import word_table

    assert armed_groups(word_table("The ELN attacked a base.")).focus == {"CO": 0.5}
    assert armed_groups(word_table("Eln said the base was hit.")).focus == {}


def test_natural_earths_misnamed_region_has_its_english_name():
    places = find_places("Gunmen attacked a camp in West Darfur state, Sudan, on Monday.")
    row = places[places["mention"] == "West Darfur"]
    assert len(row) == 1 and row.iloc[0]["iso_3166_2"] == "SD-DW"


def test_a_federal_member_state_made_of_regions_is_a_region():
    places = find_places(
        "Forces from Jubaland and Puntland clashed with militants in Somalia on Monday."
    )
    rows = places[places["mention"].isin(["Jubaland", "Puntland"])]
    assert set(rows["kind"]) == {"region"} and set(rows["country"]) == {"SO"}
    # each point inside Somalia's south and north-east respectively
    jub = rows[rows["mention"] == "Jubaland"].iloc[0]
    pun = rows[rows["mention"] == "Puntland"].iloc[0]
    assert jub["lat"] < 4.5 and pun["lat"] > 6.0


@pytest.mark.parametrize(
    "text",
    [
        "US officials met Ukrainian envoys in Washington on Tuesday.",
        "Thousands marched in Seattle on Sunday against the war.",
    ],
)
def test_a_frequent_proper_name_of_a_large_city_is_the_city(text):
    # Frequent as names, not as English words: the common-word guard does not apply.
    places = find_places(text)
    cities = places[places["kind"] == "city"]
    assert len(cities) == 1 and cities.iloc[0]["country"] == "US"


def test_an_english_word_is_still_no_city_without_strong_evidence():
    # "Mobile" is an English word (lemminflect's lexicon): not the city of Alabama.
    places = find_places("Mobile clinics reached Mobile on Monday, aid workers said.")
    assert "Mobile" not in set(places["mention"])


def test_a_province_natural_earth_lacks_is_a_region_point():
    places = find_places("Militiamen attacked villages near Djugu in Ituri province, Congo.")
    row = places[places["mention"] == "Ituri"]
    assert len(row) == 1 and row.iloc[0]["kind"] == "region"
    assert row.iloc[0]["country"] == "CD"
    # the point lies in north-eastern Congo, near the town the sentence names
    djugu = places[places["mention"] == "Djugu"].iloc[0]
    assert abs(row.iloc[0]["lat"] - djugu["lat"]) < 2 and abs(row.iloc[0]["lon"] - djugu["lon"]) < 2


def test_a_lake_named_after_a_province_is_no_province():
    places = find_places("Boats crossed Lake Tanganyika from Kalemie, Congo, on Monday.")
    assert "Tanganyika" not in set(places["mention"])


def test_a_town_cities500_lacks_is_found_at_its_airport():
    # Kamituga and Shabunda (South Kivu) are not in cities500; airportsdata lists the
    # airstrips that serve them.
    places = find_places("Rebels seized Kamituga and Shabunda in South Kivu, Congo.")
    towns = places[places["mention"].isin(["Kamituga", "Shabunda"])]
    assert len(towns) == 2
    assert set(towns["kind"]) == {"town"} and set(towns["iso_3166_2"]) == {"CD-SK"}
    assert set(towns["source"].str.split(":").str[0]) == {"airport-town"}


def test_an_airport_town_named_by_an_english_word_is_left_out():
    from geo.gazetteer import default_gazetteer

    records = default_gazetteer().records
    towns = records[records["source"].str.startswith("airport-town:")]
    assert len(towns) > 1000
    # "Saw" (Myanmar) and "Likely" (Canada, US) are airportsdata towns, and words.
    assert not {"Saw", "Likely"} & set(towns["name"])
