"""Twins: the versions of an event that a report tells again word for word.

A long report repeats itself (a summary, a refrain, a quote read twice); each repetition
makes a version equal to an earlier one in every column but its id and offsets. The
merge (:mod:`geo.events.merge`) would put it in its first's group and learn nothing from
it; :func:`without_twins` drops such rows before, in each pool worker's chunk (so fewer
rows are pickled and merged) or in one process.
"""

from __future__ import annotations

import math
from typing import Final

from geo.events.columns import EVENT_COLUMNS

__all__ = ["without_twins"]


# the columns without_twins reads (Final: compiled, a constant, not a global's look-up)
_REPORT: Final = 23
_START: Final = 24
_LAT: Final = 16
_LON: Final = 17
_URL: Final = 26
_SUB_EVENT: Final = 4
_AFTER_OFFSETS: Final = 29  # the columns after sentence_end
assert tuple(
    EVENT_COLUMNS.index(c)
    for c in ("report", "start", "latitude", "longitude", "url", "sentence_end", "sub_event_type")
) == (_REPORT, _START, _LAT, _LON, _URL, _AFTER_OFFSETS - 1, _SUB_EVENT)


def without_twins(rows: list[tuple]) -> list[tuple]:
    """The rows but those whose merge :func:`merge_rows` knows already: a row equal to an
    earlier kept one in every column but its id and offsets (the same report, event,
    date, place, actors and sentence words, told again further on).

    Such a twin joins its first's group (the same key, day and place, and anchors only
    join at the back between two versions of one day) and is never its group's
    representative (the same precisions, date and report, a later start), and it adds no
    report, source or claim: the merge is the same without it. Kept, to be read as
    before: a row whose trigger lists several places (it shares its report and start with
    a neighbour, and its group depends on its siblings'), a row without coordinates (it
    never joins another), and a twin that does not start after its first.

    A twin and its first are of one report: the rows of consecutive reports cut in
    chunks lose the same twins chunk by chunk as all together.
    """
    n = len(rows)
    if n < 2:
        return rows
    first_start: dict[tuple, int] = {}  # a kept row's columns but id and offsets -> start
    # A twin shares its first's report, place and sub-event type: a row is keyed by all
    # its columns only once another row shares those four (most rows of most reports
    # never do, and the whole key costs ~3,000 instructions to make and hash). The value
    # is the one row of those four not keyed yet, None once keyed.
    lone: dict[tuple, tuple | None] = {}
    out: list[tuple] = []
    for i, row in enumerate(rows):
        report, start = row[_REPORT], row[_START]
        listed = (i > 0 and rows[i - 1][_START] == start and rows[i - 1][_REPORT] == report) or (
            i + 1 < n and rows[i + 1][_START] == start and rows[i + 1][_REPORT] == report
        )
        lat, lon = row[_LAT], row[_LON]
        if (
            listed
            or not isinstance(start, int)
            or not isinstance(lat, float)
            or not isinstance(lon, float)
            or math.isnan(lat)
            or math.isnan(lon)
        ):
            out.append(row)
            continue
        place = (report, lat, lon, row[_SUB_EVENT])
        if place not in lone:
            lone[place] = row
            out.append(row)
            continue
        earlier = lone[place]
        if earlier is not None:  # the first row of these four: keyed now
            first_start[_told(earlier)] = earlier[_START]
            lone[place] = None
        told = _told(row)
        first = first_start.get(told)
        if first is None:
            first_start[told] = start
        elif start > first:
            continue  # a twin: the merge has its first
        out.append(row)
    return out


def _told(row: tuple) -> tuple:
    """What a version tells: every column but the id and the offsets. The date by its
    object (the versions of a sentence told again share it; equal dates in two objects
    only miss a twin), as a Timestamp is slow to hash and compare."""
    return (id(row[1]), *row[2:_START], row[_URL], *row[_AFTER_OFFSETS:])
