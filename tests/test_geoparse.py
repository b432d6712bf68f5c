"""Geoparsing on real data: the seed report, the team's samples and short texts of our own.

Names that are also persons', words' or other places': test_geoparse_names.py; regions,
caches and the dev corpus: test_geoparse_regions.py."""

import pytest

from geo import find_places, read_reports
from geo.distance import haversine_km as _km
from tests.conftest import one_place as _one
from tests.conftest import places_of_text as _places


def test_seed_qala_e_naw_is_the_city_in_badghis(seed_places):
    row = _one(seed_places, "Qala-e-Naw")
    assert row["kind"] == "city" and row["country"] == "AF"
    assert row["iso_3166_2"] == "AF-BDG" and row["admin1"] == "Badghis"
    # Qala-e-Naw's centre (GeoNames 1129867 and the airport OAQN agree to 1 km).
    assert _km(row["lat"], row["lon"], 34.985, 63.1178) < 8


@pytest.mark.parametrize(
    ("mention", "kind", "country", "iso"),
    [
        ("Badghis", "province", "AF", "AF-BDG"),
        ("Herat", "city", "AF", "AF-HER"),
        ("Bagram Air Base", "airbase", "AF", "AF-PAR"),
        ("Kabul", "city", "AF", "AF-KAB"),
        ("Tehran", "city", "IR", None),
    ],
)
def test_seed_places(seed_places, mention, kind, country, iso):
    row = _one(seed_places, mention)
    assert (row["kind"], row["country"]) == (kind, country)
    if iso:
        assert row["iso_3166_2"] == iso


def test_seed_finds_nothing_that_is_not_a_place(seed_places):
    allowed = {"Qala-e-Naw", "Badghis", "Herat", "Bagram Air Base", "Kabul", "Tehran"}
    others = set(seed_places.loc[seed_places["kind"] != "country", "mention"]) - allowed
    assert not others, f"not places: {others}"


def test_every_row_carries_provenance(seed_places, seed_path):
    (report,) = read_reports(seed_path)
    assert (seed_places["report"] == report.id).all()
    for row in seed_places.itertuples():
        assert report.text[row.start : row.end] == row.mention
        assert report.text[row.sentence_start : row.sentence_end] == row.sentence
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
        assert row.source.split(":")[0] in {
            "geonames",
            "airport",
            "naturalearth",
            "curated",
            "curated-small",
        }
        assert 0 < row.confidence <= 1
    assert seed_places.crs.to_epsg() == 4326


def test_person_named_like_a_place_is_not_a_place():
    places = _places(
        "Taliban spokesman Zabihullah Kabuli said the group had entered Ghazni. "
        "Governor Daud Laghmani denied it from Ghazni city."
    )
    assert set(places["mention"]) == {"Ghazni"}


def test_organisation_with_a_place_word_is_not_the_place():
    places = _places(
        "Staff of Kabul Bank and Herat University were sent home as fighting reached Kunduz."
    )
    assert list(places["mention"]) == ["Kunduz"]


def test_city_and_province_of_the_same_name():
    places = _places(
        "Heavy fighting was reported in Kandahar province on Sunday. "
        "Later, shops closed in the city of Kandahar and in Kandahar city itself."
    )
    kinds = list(zip(places["mention"], places["kind"], strict=True))
    assert kinds == [("Kandahar", "province"), ("Kandahar", "city"), ("Kandahar", "city")]
    assert set(places["iso_3166_2"]) == {"AF-KAN"}


def test_town_abroad_of_the_same_name_loses_to_the_focus_country():
    # Herat is also a town in Iran; in an Afghan story it is the Afghan city.
    places = _places("Afghan forces said they held Herat after clashes near Islam Qala.")
    herat = places[places["mention"] == "Herat"].iloc[0]
    assert herat["country"] == "AF" and herat["iso_3166_2"] == "AF-HER"


def test_places_abroad_resolve_to_their_country():
    places = _places("Negotiators flew from Kabul to Doha, then on to Islamabad and Dushanbe.")
    assert dict(zip(places["mention"], places["country"], strict=True)) == {
        "Kabul": "AF",
        "Doha": "QA",
        "Islamabad": "PK",
        "Dushanbe": "TJ",
    }


def test_transliterations_resolve_to_one_place():
    places = _places(
        "Convoys moved from Pul-i-Khumri to Mazar-e Sharif and on to Sari Pul in Afghanistan."
    )
    expected = {"Pul-i-Khumri": "AF-BGL", "Mazar-e Sharif": "AF-BAL", "Sari Pul": "AF-SAR"}
    got = dict(zip(places["mention"], places["iso_3166_2"], strict=True))
    assert {k: got.get(k) for k in expected} == expected


def test_capitalised_common_words_and_acronyms_are_not_places():
    places = _places(
        "Mobile networks were cut in Kunduz. Reading the statement, NATO officials said "
        "Split decisions were made on Wednesday in Brussels."
    )
    mentions = set(places["mention"])
    assert "Kunduz" in mentions and "Brussels" in mentions
    assert not mentions & {"Mobile", "Reading", "NATO", "Split", "Wednesday"}


def test_demo_reports_geoparse_to_afghan_provinces():
    places = find_places(read_reports("data/samples/demo"))
    afghan = places[places["country"] == "AF"]
    assert afghan["iso_3166_2"].notna().mean() > 0.9
    assert afghan["iso_3166_2"].nunique() >= 10


def test_no_place_gives_empty_table_with_columns():
    places = _places("Nothing happened in Zorblax or Quuxville today.")
    assert places.empty and {"mention", "iso_3166_2", "geometry"} <= set(places.columns)


def test_geoparsing_pauses_the_garbage_collector_and_restores_it():
    """Rows hold no reference cycles: the collector is not run while they pile up, and
    its state after is what it was before (on, or off if the caller had turned it off)."""
    import gc

    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    text = "Militants attacked a checkpoint near Kunduz and Herat on Monday. " * 3000
    _places("Fighting in Kunduz.")  # the gazetteer and regions loaded before counting
    gc.callbacks.append(count)
    try:
        assert len(_places(text)) == 6000
        # Unpaused, the rows set the collector off again and again; paused, it runs at
        # most once, when it is turned back on.
        assert len(runs) <= 1
        assert gc.isenabled()
        gc.disable()
        _places("Fighting in Kunduz.")
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
