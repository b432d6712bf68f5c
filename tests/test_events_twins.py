"""A long report telling the same sentences again: the merge of its versions reads each
version once (``geo.events.twins.without_twins``) and gives what the merge of every
version gives."""

from __future__ import annotations

import warnings

import pandas as pd

from geo.events import EventWarning, event_rows, extract_events
from geo.events.columns import EVENT_COLUMNS
from geo.events.merge import merge_columns, merge_rows, version_columns
from geo.events.twins import without_twins
from geo.parallel.pool import join_columns
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
    # parent puts each column's parts end to end and merges the columns
    reports = _reports()
    places = _places(*reports)
    columns: list[list] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventWarning)
        rows, _ = event_rows(reports, places)
        for k in range(len(reports)):
            part, _ = event_rows(reports[k : k + 1], places[places["report"] == reports[k].id])
            join_columns(columns, version_columns(without_twins(part)))
            join_columns(columns, version_columns([]))  # a chunk without events adds nothing
    assert len(columns) == len(EVENT_COLUMNS)
    assert len({len(c) for c in columns}) == 1 and len(columns[0]) < len(rows)
    pd.testing.assert_frame_equal(merge_columns(columns), merge_rows(rows))
    pd.testing.assert_frame_equal(merge_columns([]), merge_rows([]))
