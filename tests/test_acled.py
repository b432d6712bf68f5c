"""The ACLED export read back from its CSV and checked column by column against the codebook.

The codebook's rules are restated here from ACLED's codebook (2023), independently
of ``geo.acled``'s own tables, so a wrong table there fails here.
"""

from __future__ import annotations

import pandas as pd
import pycountry
import pytest

from geo.acled import read_fatalities, to_acled
from geo.output import write_table
from tests.conftest import SAMPLES

CODEBOOK_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
SUB_EVENT_TYPES = {
    "Battles": {
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    },
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    },
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
    "South Asia", "Southeast Asia", "East Asia", "Middle East", "Europe",
    "Caucasus and Central Asia", "Central America", "South America", "Caribbean",
    "North America", "Oceania", "Antarctica",
}  # fmt: skip


@pytest.fixture(scope="module")
def acled(tmp_path_factory):
    """The corpus' events exported to CSV as ``geomap events --format acled`` does, read back."""
    from geo import extract_events, find_places, read_reports

    reports = read_reports(SAMPLES / "corpus")
    events = extract_events(reports, find_places(reports))
    out = tmp_path_factory.mktemp("acled") / "events.csv"
    write_table(to_acled(events, timestamp=1_700_000_000), out)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == len(events) > 10
    return table


def test_codebook_columns_first_in_order_then_geomaps_own(acled):
    assert list(acled.columns[: len(CODEBOOK_COLUMNS)]) == CODEBOOK_COLUMNS
    rest = list(acled.columns[len(CODEBOOK_COLUMNS) :])
    for own in ("claim_status", "sources_count", "geomap_event_id", "start", "end", "report"):
        assert own in rest


def test_ids_dates_and_precision(acled):
    assert acled["event_id_cnty"].str.fullmatch(r"[A-Z]{3}\d+").all()
    assert acled["event_id_cnty"].is_unique
    dated = acled[acled["event_date"] != ""]
    assert dated["event_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (dated["year"] == dated["event_date"].str[:4]).all()
    assert set(acled["time_precision"]) <= {"1", "2", "3"}
    assert set(acled["geo_precision"]) <= {"1", "2", "3"}


def test_event_types_and_disorder_type(acled):
    for _, row in acled.iterrows():
        assert row["sub_event_type"] in SUB_EVENT_TYPES[row["event_type"]], row["sub_event_type"]
        expected = (
            "Political violence; Demonstrations"
            if row["sub_event_type"] == "Excessive force against protesters"
            else DISORDER[row["event_type"]]
        )
        assert row["disorder_type"] == expected


def test_actors_inter_and_interaction_codes(acled):
    for _, row in acled.iterrows():
        assert row["actor1"], "ACLED names an actor 1 in every event"
        inter1, inter2 = int(row["inter1"]), int(row["inter2"])
        assert 1 <= inter1 <= 8
        assert (inter2 == 0) == (row["actor2"] == "")
        assert 0 <= inter2 <= 8
        low, high = sorted((inter1, inter2)) if inter2 else (inter1, 0)
        assert int(row["interaction"]) == low * 10 + high
        civilians = row["event_type"] == "Violence against civilians" or inter2 == 7
        assert row["civilian_targeting"] == ("Civilian targeting" if civilians else "")
    taliban = acled[acled["actor1"] == "Taliban"]
    assert len(taliban) and (taliban["inter1"] == "2").all()  # a rebel group in 2021


def test_country_iso_region_location(acled):
    for _, row in acled.iterrows():
        country = pycountry.countries.get(numeric=f"{int(row['iso']):03d}")
        assert country is not None
        names = {country.name, getattr(country, "common_name", country.name)}
        assert row["country"] in names or row["country"] in {"Palestine", "Russia"}
        assert row["region"] in REGIONS
        assert row["location"].isascii() and row["location"]
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        assert len(row["latitude"].split(".")[-1]) <= 4
    assert "Afghanistan" in set(acled["country"])
    assert set(acled.loc[acled["country"] == "Afghanistan", "iso"]) == {"4"}


def test_sources_notes_fatalities_tags_timestamp(acled):
    assert (acled["source"] != "").all()
    assert (acled["notes"] != "").all()
    assert acled["fatalities"].str.fullmatch(r"\d+").all()
    assert (acled["timestamp"] == "1700000000").all()
    for _, row in acled.iterrows():
        assert int(row["fatalities"]) == read_fatalities(row["notes"])[0]
        demo = row["event_type"] in ("Protests", "Riots")
        assert (row["tags"] == "crowd size=no report") == demo
    assert set(acled["source_scale"]) == {""}
    assert set(acled["admin3"]) == {""}
    # admin2: the district where the country has an admin-2 file (Afghanistan), else empty
    afghan = acled["iso"] == "4"
    assert (acled.loc[afghan, "admin2"] != "").any() and set(acled.loc[~afghan, "admin2"]) <= {""}


def test_merged_sources_are_all_named():
    ev = pd.DataFrame(
        [
            {
                "event_id": "ev-x",
                "event_date": pd.Timestamp("2021-08-10"),
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": "Taliban",
                "actor2": "Police Forces of Afghanistan",
                "country": "AF",
                "location": "Pul-e Khumrī",
                "latitude": 35.944,
                "longitude": 68.715,
                "geo_precision": 1,
                "time_precision": 1,
                "sources": "Desk One;Wire Two",
                "notes": "Militants clashed with police.",
            }
        ]
    )
    row = to_acled(ev, timestamp=0).iloc[0]
    assert row["source"] == "Desk One; Wire Two"
    assert row["location"] == "Pul-e Khumri"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, 1, 12)


# Invented sentences: the count ACLED's rules give, and what is not a death.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gunmen killed at least 12 villagers near the dam.", 12),
        ("More than 30 soldiers were killed in the ambush.", 30),
        ("Dozens of fighters died in the assault on the ridge.", 12),
        ("Tens of people were killed, local elders said.", 10),
        ("Hundreds of rebels were killed over the week.", 100),
        ("A dozen guards were killed at the gate.", 12),
        ("Three guards and two drivers were killed at the depot.", 5),
        ("The blast killed four officers and wounded nine others.", 4),
        ("The death toll rose to 27 on Sunday.", 27),
        ("Several civilians were killed in the crossfire.", 3),
        ("Twenty-one people died when the bridge was shelled.", 21),
        ("Eight people were wounded in the attack.", 0),
        ("No one was killed in the raid, the governor said.", 0),
        ("The convoy reached the town at dawn.", 0),
    ],
)
def test_fatalities_read_from_the_sentence(sentence, expected):
    count, words = read_fatalities(sentence)
    assert count == expected
    assert (words != "") == (expected > 0)
    assert all(part in sentence for part in words.split("; ") if part)
