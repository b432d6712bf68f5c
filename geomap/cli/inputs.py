"""Reading the reports and boundaries a command names, and finding their places."""

from __future__ import annotations

import argparse
import sys
import warnings

from geomap.cli.errors import CLIError

__all__ = [
    "DEMO_REPORTS",
    "load_reports",
    "report_places",
    "report_places_events",
    "skipped_inputs",
]

DEMO_REPORTS = __import__("geo.resources").resources.demo_reports()


def skipped_inputs(args: argparse.Namespace) -> list:
    """The bad inputs ``--skip-bad`` went past, listed by ``main`` at the end."""
    if not hasattr(args, "_skipped"):
        args._skipped = []
    return args._skipped


def load_reports(args: argparse.Namespace):
    """The reports and the admin-1 regions: ``(reports, regions)``.

    Copies of a text already read are dropped with a warning; with ``--skip-bad`` bad
    inputs are collected in :func:`skipped_inputs`.
    """
    from geo.boundaries import default_boundaries, load_boundaries
    from geo.reports import read_reports

    regions = (
        load_boundaries(args.boundaries, name_column=args.name_column, code_column=args.code_column)
        if args.boundaries
        else default_boundaries()
    )
    skipped = skipped_inputs(args) if getattr(args, "skip_bad", False) else None
    duplicates: list = []
    reports = read_reports(args.reports, date=args.date, errors=skipped, duplicates=duplicates)
    for copy, first in duplicates:
        print(
            f"geomap: warning: {copy.path or copy.id}: same text as {first.path or first.id}; "
            "read once",
            file=sys.stderr,
        )
    if not reports:
        raise CLIError(f"{', '.join(map(str, args.reports))}: no readable report")
    return reports, regions


def report_places(args: argparse.Namespace):
    """``(reports, regions, places)``; a report without a known place is warned about,
    and none at all is an error."""
    from geo.parallel import find_places

    reports, regions = load_reports(args)
    places = find_places(reports, boundaries=regions, jobs=args.jobs)
    _check_places(reports, places)
    return reports, regions, places


def report_places_events(args: argparse.Namespace):
    """``(reports, regions, places, events)``, both stages in one pool
    (:func:`geo.parallel.places_and_events`): the warnings and errors of
    :func:`report_places`, then the event warnings, each on one line of stderr."""
    from geo.events import EventWarning
    from geo.parallel import places_and_events

    reports, regions = load_reports(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EventWarning)
        places, events = places_and_events(reports, boundaries=regions, jobs=args.jobs)
    _check_places(reports, places)
    for w in caught:
        print(f"geomap: warning: {w.message}", file=sys.stderr)
    return reports, regions, places, events


def _check_places(reports, places) -> None:
    found = set(places["report"].unique())  # unique() first: a set of an Arrow column is slow
    for report in reports:
        if report.id not in found:
            print(
                f"geomap: warning: {report.path or report.id}: no known place found",
                file=sys.stderr,
            )
    if places.empty:
        names = ", ".join(str(r.path or r.id) for r in reports)
        raise CLIError(f"{names}: no known place found in the report(s); nothing written")
