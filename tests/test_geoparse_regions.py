"""Geoparsing: regions and the region a place lies in, bounded caches, places named
together, and the dev corpus (read from ../shared at test time, never copied)."""

from pathlib import Path

import pytest

from geo import find_places, read_reports, report_from_text
from tests.conftest import places_of_text as _places

# The dev corpus (third-party text, read from ../shared, never copied): the measures of
# the reference scorer must not fall below what this branch reached, less a margin.
DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev-corpus"
_REACHED = {"place_recall": 0.975, "place_precision": 0.985}
_MARGIN = 0.02


@pytest.mark.skipif(not (DEV_CORPUS / "score.py").exists(), reason="no ../shared/dev-corpus")
def test_dev_corpus_place_recall_and_precision():
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("dev_score", DEV_CORPUS / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    files = sorted((DEV_CORPUS / "corpus").glob("*.txt"))
    gold = {
        json.loads(line)["file"]: json.loads(line)
        for line in (DEV_CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    }
    places = find_places(read_reports(files))
    rows = places.drop(columns="geometry").to_dict("records")
    got = score.by_file(rows, gold)
    found = total = tp = fp = 0
    for name, g in gold.items():
        out = got.get(name, [])
        for p in g["places"]:
            if p.get("uncertain"):
                continue
            total += 1
            found += any(
                score.same_text(p["mention"], str(f["mention"])) and score.near(p, f) for f in out
            )
        for f in out:
            if f["kind"] == "country":
                continue
            if any(
                score.same_text(p["mention"], str(f["mention"])) and score.near(p, f)
                for p in g["places"]
            ):
                tp += 1
            else:
                fp += 1
    recall, precision = found / total, tp / (tp + fp)
    assert recall >= _REACHED["place_recall"] - _MARGIN, f"recall {recall:.3f}"
    assert precision >= _REACHED["place_precision"] - _MARGIN, f"precision {precision:.3f}"


def test_lookup_caches_stay_bounded_and_answers_do_not_change():
    from geo.gazetteer import Gazetteer
    from geo.geoparse import find_places

    gaz = Gazetteer.load()
    text = "Fighters entered Herat and Kandahar; talks went on in Doha and Tehran."
    before = find_places(text, gazetteer=gaz)
    assert len(gaz.run_cache) > 0
    gaz.bound_caches(limit=0)  # every non-empty cache is over a limit of 0
    assert len(gaz.run_cache) == len(gaz.score_cache) == len(gaz.accept_cache) == 0
    after = find_places(text, gazetteer=gaz)
    assert after.drop(columns="geometry").equals(before.drop(columns="geometry"))
    assert len(before) >= 4


def test_a_places_region_does_not_depend_on_the_reports_read_with_it():
    # Each gazetteer record is joined to its region and district once per process and
    # regions table: a report read alone, or after another, gives the same rows.
    from geo.boundaries import default_boundaries

    a = report_from_text(
        "Fighters entered Kunduz and Mazar-i-Sharif; aid came from Tehran.", name="a"
    )
    b = report_from_text("Shelling hit Aleppo and Idlib, near the crossing at Kilis.", name="b")
    regions = default_boundaries()
    together = find_places([b, a], boundaries=regions)
    alone = find_places([a], boundaries=regions.copy())  # another table: joined anew
    columns = ["mention", "admin1", "iso_3166_2", "admin2", "admin2_code", "in_boundaries"]
    mine = together[together["report"] == a.id][columns].reset_index(drop=True)
    assert mine.equals(alone[columns].reset_index(drop=True))
    assert alone["admin2_code"].notna().sum() >= 2  # the Afghan places have a district
    assert alone.geometry.equals(
        together[together["report"] == a.id].geometry.reset_index(drop=True)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Drones struck the Al Anad air base overnight.",  # the name and its cue in lower case
        "Drones struck Al Anad Air Base overnight.",  # the facility's full name
    ],
)
def test_a_facility_named_in_full_is_found_without_other_places(text):
    places = find_places(text)
    assert places["kind"].tolist() == ["airbase"]
    assert places["country"].tolist() == ["YE"]


def test_a_region_of_several_provinces_is_found_at_region_level():
    import geopandas as gpd
    import shapely

    from geo.resources import data_path

    places = find_places("Fighting spread across Darfur and into the Kurdistan Region.")
    assert places["kind"].tolist() == ["region", "region"]
    # no single admin-1 region: the place spans several
    assert places["admin1"].isna().all() and places["iso_3166_2"].isna().all()
    # its point lies in the union of its parts, as data/composite_regions.csv lists them
    parts = {"SD": ["SD-DN", "SD-DS", "SD-DW", "SD-DC", "SD-DE"], "IQ": ["IQ-AR", "IQ-DA", "IQ-SU"]}
    polygons = gpd.read_parquet(data_path("admin1.parquet"))
    for row in places.itertuples():
        union = shapely.union_all(
            polygons[polygons["iso_3166_2"].isin(parts[row.country])].geometry
        )
        assert union.contains(shapely.Point(row.lon, row.lat))


def test_a_region_of_several_provinces_never_changes_control():
    from geo import extract_events, report_from_text
    from geo.control import control_changes

    report = report_from_text("date: 2023-11-01\n\nThe RSF captured Darfur on Monday.")
    events = extract_events([report], find_places(report))
    assert len(events) and (events["place_kind"] == "region").all()
    assert control_changes(events).empty


@pytest.mark.parametrize(
    "text", ["Fishermen fled the islands of Lake Chad.", "Refugees crossed the River Jordan."]
)
def test_a_lake_or_river_named_after_a_place_is_not_the_place(text):
    # the lake or river itself, where data/natural_features.csv lists it, never the country
    places = find_places(text)
    assert set(places["kind"]) <= {"lake", "river"}


def test_a_french_name_joined_by_its_articles_is_one_place():
    places = find_places("Gangs took Mirebalais, north-east of Port-au-Prince.")
    assert places["mention"].tolist() == ["Mirebalais", "Port-au-Prince"]
    assert set(places["country"]) == {"HT"}


def test_a_city_named_without_its_word_city_is_found():
    # GeoNames names it "Marawi City"; the press often writes "Marawi"
    places = find_places("The army retook Marawi from militants after five months.")
    assert places[["mention", "country"]].values.tolist() == [["Marawi", "PH"]]


def test_a_name_before_region_or_oblast_is_the_province():
    places = find_places("Shelling continued in Donetsk region and in Kharkiv oblast.")
    assert places["kind"].tolist() == ["province", "province"]


def test_a_loose_spelling_is_not_read_in_a_neighbour_the_report_names_less():
    # The report is about Ukraine (named three times, with its towns); the unknown village
    # "Sieverne" is spelt like a place in Russia, which the report also names.
    text = (
        "Ukraine's army withdrew from Avdiivka, handing Russia a gain. Ukrainian troops "
        "now hold positions near Sieverne, west of the town, in Ukraine's Donetsk region. "
        "Shelling continued around Bakhmut, Ukraine said."
    )
    places = find_places(text)
    assert "Sieverne" not in places["mention"].tolist()
    assert set(places.loc[places["kind"] != "country", "country"]) == {"UA"}


def test_small_towns_named_together_make_their_country_the_reports():
    # Each of the two towns is found in one country only: together they make it the
    # report's own, and the town of the third name there, not the city abroad.
    places = _places("Rebels raided Macomia and Mocimboa da Praia before moving on Palma.")
    assert set(places["mention"]) == {"Macomia", "Mocimboa da Praia", "Palma"}
    assert set(places["country"]) == {"MZ"}


def test_one_small_town_alone_does_not_move_a_city_abroad():
    # One town of one country is no evidence against a city of the name elsewhere.
    places = _places("Rebels raided Macomia. Tourists crowded the beaches of Palma.")
    palma = places[places["mention"] == "Palma"]
    assert list(palma["country"]) == ["ES"]


@pytest.mark.parametrize(
    "text",
    [
        "Yazidi families returned to their burned homes after the offensive.",
        "Ismaili leaders condemned the bombing of the prayer hall.",
        "Ahmadi mosques were vandalised overnight, the community said.",
    ],
)
def test_a_groups_adjective_is_not_a_town_of_another_spelling(text):
    # The word before "families", "leaders", "mosques" names a group; a town that has
    # the word only as an alternate spelling (or without its article) is not meant.
    assert _places(text).empty


@pytest.mark.parametrize(
    "text",
    [
        "Officials fled to Nimroz. Insurgents entered the town later.",
        "The governor of Nimroz, tribesmen said, had fled across the border.",
    ],
)
def test_a_group_noun_after_the_phrase_does_not_make_a_place_an_adjective(text):
    # "Nimroz": a province named by another spelling than its main name; the group noun
    # is in the next sentence or clause, not after the name
    places = _places(text)
    assert list(places["mention"]) == ["Nimroz"]
    assert list(places["iso_3166_2"]) == ["AF-NIM"]


def test_a_place_named_by_its_own_name_before_a_group_noun_stays():
    places = _places("Kunduz elders met Taliban fighters outside Kunduz on Monday.")
    assert list(places["mention"]) == ["Kunduz", "Kunduz"]
    assert set(places["iso_3166_2"]) == {"AF-KDZ"}


def test_a_village_is_the_namesake_in_the_region_its_sentence_names():
    # Villages of this name lie in several regions, one near a city named later: the
    # sentence's own region decides, not nearness to a place named elsewhere.
    places = _places(
        "Ukrainian troops entered Blahodatne and Makarivka, two villages of Donetsk "
        "region, on Sunday. Later, drones struck Kherson overnight."
    )
    village = places[places["mention"] == "Blahodatne"].iloc[0]
    assert village["iso_3166_2"] == "UA-14" and village["kind"] == "town"


def test_a_province_is_no_support_for_the_town_of_its_own_name():
    places = _places("Fighting reached Balkh province near Mazar-i-Sharif on Monday.")
    assert list(places["kind"][places["mention"] == "Balkh"]) == ["province"]
