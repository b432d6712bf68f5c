"""A long report telling the same sentences again: the merge of its versions reads each
version once (``geo.events.twins.without_twins``) and gives what the merge of every
version gives."""

from __future__ import annotations

import warnings

import pandas as pd

from geo.events import EventWarning, event_rows, extract_events
from geo.events.columns import EVENT_COLUMNS
from geo.events.merge import VersionMerge, merge_columns, merge_rows, version_columns
from geo.events.twins import without_twins
from tests.conftest import invented_places as _places
from tests.conftest import invented_report as _report

# invented sentences: a capture, fights, air strikes at two places of one trigger, and
# a denial that disputes the capture told before it
REFRAIN = (
    "Insurgents captured Ardmore on Monday. Fighting went on in Carrow and Birchfield. "
    "Clashes were reported near Kellswater. Airstrikes hit Carrow and Ardmore. "
)
TAIL = "Rebels seized Carrow on Tuesday. The army denied the claim. "


def _reports():
    return [
        _report(REFRAIN * 40 + TAIL + REFRAIN * 3, name="long"),
        _report(REFRAIN * 2, "2021-07-06", name="other"),
        _report(REFRAIN * 5, date=None, name="undated"),
    ]


def test_a_refrain_merges_as_every_version_does() -> None:
    reports = _reports()
    places = _places(*reports)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        alone = extract_events(reports, places)
        # the merge of the table of every version (merge_events: no twin left out)
        whole, versions = extract_events(reports, places, versions=True)
    assert len(versions) > 150 and 2 < len(alone) < 30
    assert alone["sources_count"].max() >= 2  # some event told by two reports
    pd.testing.assert_frame_equal(alone, whole)


def test_twins_are_left_out_and_listed_places_kept() -> None:
    reports = _reports()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows(reports, _places(*reports))
    kept = without_twins(rows)
    # the refrain's versions, once per report and date, but for the listed air strikes
    assert len(kept) < len(rows) // 2
    kept_ids = {id(r) for r in kept}
    # the air strikes on Carrow and Ardmore are one trigger at two places: never left out
    at = EVENT_COLUMNS.index
    listed = [
        r
        for i, r in enumerate(rows)
        if i + 1 < len(rows)
        and rows[i + 1][at("start")] == r[at("start")]
        and rows[i + 1][at("report")] == r[at("report")]
    ]
    assert listed and all(id(r) in kept_ids for r in listed)


def test_twins_left_out_chunk_by_chunk_are_those_of_all_rows() -> None:
    # what a pool's workers do: each drops the twins of its chunk of reports, and the
    # parent merges the rest without looking for twins again
    reports = _reports()
    places = _places(*reports)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows(reports, places)
        chunked: list[tuple] = []
        for k in range(len(reports)):
            part, _ = event_rows(reports[k : k + 1], places[places["report"] == reports[k].id])
            chunked += without_twins(part)
    assert len(chunked) < len(rows)
    assert [r[1:] for r in chunked] == [r[1:] for r in without_twins(rows)]
    pd.testing.assert_frame_equal(merge_rows(chunked, twins=False), merge_rows(rows))


def test_columns_joined_chunk_by_chunk_merge_as_every_row() -> None:
    # what a pool's workers send: their chunk's rows without twins, as columns; the
    # parent adds each chunk's columns to its merge and merges them all
    reports = _reports()
    places = _places(*reports)
    merge = VersionMerge()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows(reports, places)
        for k in range(len(reports)):
            part, _ = event_rows(reports[k : k + 1], places[places["report"] == reports[k].id])
            merge.add(version_columns(without_twins(part)))
            merge.add(version_columns([]))  # a chunk without events adds nothing
    pd.testing.assert_frame_equal(merge.events(), merge_rows(rows))
    pd.testing.assert_frame_equal(merge_columns([]), merge_rows([]))
    pd.testing.assert_frame_equal(VersionMerge().events(), merge_rows([]))


def test_a_merge_chunk_by_chunk_groups_as_all_at_once_in_any_order_of_days() -> None:
    # reports in date order or not, in chunks of one, two or four reports; undated
    # reports merge last, with their own report only: the same events as all at once
    told = [
        ("Insurgents captured Ardmore on Monday. Clashes near Kellswater.", "2021-07-12"),
        ("Rebels captured Ardmore. Fighting went on in Kellswater.", "2021-07-13"),
        ("Clashes were reported near Kellswater. Airstrikes hit Carrow.", None),
        ("Fighting went on in Kellswater and Carrow.", "2021-07-15"),
        ("Airstrikes hit Carrow and Ardmore. Clashes near Kellswater.", "2021-07-16"),
        ("Clashes were reported near Kellswater.", None),
    ]
    for days in ([0, 1, 2, 3, 4, 5], [3, 4, 5, 0, 1, 2], [4, 0, 2, 3, 1, 5]):
        reports = [_report(told[d][0], told[d][1], f"r{k}") for k, d in enumerate(days)]
        places = _places(*reports)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EventWarning)
            rows, _ = event_rows(reports, places)
            whole = merge_rows(rows)
            for size in (1, 2, 4):
                merge = VersionMerge()
                for k in range(0, len(reports), size):
                    chunk = reports[k : k + size]
                    ids = [r.id for r in chunk]
                    part, _ = event_rows(chunk, places[places["report"].isin(ids)])
                    merge.add(version_columns(without_twins(part)))
                pd.testing.assert_frame_equal(merge.events(), whole)
        assert whole["reports"].str.contains(";").any()  # reports merged into one event
        assert whole["event_date"].isna().any()  # and undated ones kept apart


def test_versions_are_grouped_by_their_day_not_by_the_order_of_their_reports() -> None:
    # a group is anchored on its earliest version: a report of the 11th read after one of
    # the 13th still joins the 10th's group (two days apart), and the 13th's stands alone
    body = "Clashes were reported near Kellswater."
    reports = [
        _report(body, "2021-07-10", "tenth"),
        _report(body, "2021-07-13", "thirteenth"),
        _report(body, "2021-07-11", "eleventh"),
    ]
    places = _places(*reports)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows(reports, places)
    merge = VersionMerge()
    for report in reports:
        merge.add(
            version_columns([r for r in rows if r[EVENT_COLUMNS.index("report")] == report.id])
        )
    for events in (merge_rows(rows), merge.events()):
        told = sorted(
            sorted(name.split("-")[0] for name in r.split(";")) for r in events["reports"]
        )
        assert told == [["eleventh", "tenth"], ["thirteenth"]]


def _told_again(row: tuple, report: str, start: int, **fields) -> tuple:
    """``row`` as another report tells it at ``start``, with some fields changed."""
    at = EVENT_COLUMNS.index
    out = list(row)
    out[at("event_id")] = (report, start, start + 8, row[at("sub_event_type")])
    for name, value in {"report": report, "reports": report, "start": start, **fields}.items():
        out[at(name)] = value
    return tuple(out)


def _one_version(body: str, date: str | None = "2021-07-07") -> tuple:
    report = _report(body, date, "first")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows([report], _places(report))
    assert len(rows) == 1
    return rows[0]


def test_two_captures_merge_only_at_one_place_however_near() -> None:
    # a fight 5 km away is the same fight; a capture 5 km away is another town taken
    for body, events in (
        ("Clashes were reported near Ardmore on Monday.", 1),
        ("Insurgents captured Ardmore on Monday.", 2),
    ):
        row = _one_version(body)
        near = _told_again(row, "second", 3, location="Nearby", latitude=35.04)
        again = _told_again(row, "third", 5)
        merged = merge_rows([row, near, again])
        assert len(merged) == events
        assert merged["sources_count"].max() == 4 - events


def test_undated_versions_merge_only_within_their_report() -> None:
    row = _one_version("Clashes were reported near Ardmore.", date=None)
    other_report = _told_again(row, "second", 3)
    same_report = _told_again(row, row[EVENT_COLUMNS.index("report")], 60)
    assert len(merge_rows([row, same_report])) == 1
    merged = merge_rows([row, same_report, other_report])
    assert merged["event_date"].isna().all()
    assert sorted(merged["sources_count"]) == [1, 1]  # two versions of one report: one source
    assert len(merged) == 2


def test_region_versions_at_one_point_merge_only_in_one_region() -> None:
    # events placed only in a region merge by region, not by distance, even when two
    # regions' points are the same
    row = _told_again(
        _one_version("Clashes were reported near Ardmore on Monday."),
        "first",
        0,
        place_kind="region",
        location="North",
    )
    east = _told_again(row, "second", 3, location="East")
    north = _told_again(row, "third", 5)
    merged = merge_rows([row, east, north])
    assert sorted(merged["location"]) == ["East", "North"]
    assert sorted(merged["sources_count"]) == [1, 2]


def test_places_of_one_name_merge_only_at_one_point_and_kind() -> None:
    # towns of one name far to the east and to the north, and a region named as the town
    # at its point, are events of their own (each told right after one that differs from
    # it in one of them); the town told again at its first point is the first one's
    row = _one_version("Clashes were reported near Ardmore on Monday.")
    east = _told_again(row, "second", 3, longitude=66.0)
    north = _told_again(east, "third", 5, latitude=38.0)
    region = _told_again(north, "fourth", 7, place_kind="region")
    again = _told_again(row, "fifth", 9)
    merged = merge_rows([row, east, north, region, again])
    assert sorted(merged["sources_count"]) == [1, 1, 1, 2]
    assert sorted(zip(merged["latitude"], merged["longitude"], strict=True)) == [
        (35.0, 63.0), (35.0, 66.0), (38.0, 66.0), (38.0, 66.0)
    ]  # fmt: skip
