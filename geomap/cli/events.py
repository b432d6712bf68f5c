"""``geomap events`` (events in ACLED's terms), ``control`` (who holds each region on a
date) and ``chart`` (the control timeline as a PNG)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geomap.cli.errors import CLIError, UsageError
from geomap.cli.inputs import report_places_events
from geomap.cli.options import add_input, add_output, date_arg

__all__ = [
    "cmd_chart",
    "cmd_control",
    "cmd_events",
    "control_regions",
    "district_control",
    "register",
    "report_events",
]


def report_events(args: argparse.Namespace):
    """``(regions, events)`` of the reports; event warnings go to stderr."""
    _, regions, _, events = report_places_events(args)
    return regions, events


def control_regions(regions, events):
    """The regions of the countries where fighting is reported."""
    from geo.control import fighting_regions

    return fighting_regions(events, regions)


def district_control(events, as_of):
    """Control of the admin-2 districts of the events' countries (where a file exists)."""
    from geo.provinces import district_control as control_of_districts

    return control_of_districts(events, as_of)


def cmd_events(args: argparse.Namespace) -> int:
    """Write (or print) the events of the reports, merged across reports."""
    from geo.events import ACLED_COLUMNS
    from geo.output import write_table

    _, events = report_events(args)
    if args.output:
        if args.format == "acled":
            import geopandas as gpd

            from geo.acled import to_acled

            table = gpd.GeoDataFrame(
                to_acled(events), geometry=events.geometry.values, crs=events.crs
            )
            write_table(table, args.output, fmt=args.stdout_format)
        else:
            write_table(events, args.output, csv_columns=ACLED_COLUMNS, fmt=args.stdout_format)
        print(f"{args.output}: {len(events)} events", file=sys.stderr)
    else:
        cols = ["event_date", "event_type", "sub_event_type", "actor1", "location", "claim_status"]
        print(events[cols].to_string(index=False))
    return 0


def cmd_control(args: argparse.Namespace) -> int:
    """Write (or print) the control of each region as of a date."""
    from geo.control import control_as_of
    from geo.output import write_table

    regions, events = report_events(args)
    as_of = args.as_of
    if as_of is None:
        dated = events["event_date"].dropna()
        if dated.empty:
            raise CLIError("no dated event in the report(s): give --as-of, or reports with dates")
        as_of = dated.max().date()
    if args.level == "district":
        control = district_control(events, as_of)
    else:
        control = control_as_of(events, control_regions(regions, events), as_of)
    if control.empty and args.level == "district":
        countries = ", ".join(sorted({str(c) for c in events["country"].dropna()})) or "?"
        raise CLIError(f"no districts (admin-2) known in the events' countries ({countries})")
    if control.empty:
        countries = ", ".join(sorted({str(c) for c in events["country"].dropna()})) or "?"
        raise CLIError(
            f"the boundaries have no admin-1 regions in the events' countries ({countries}); "
            "give a boundaries file that covers them with --boundaries"
        )
    if args.output:
        write_table(control, args.output, fmt=args.stdout_format)
        print(f"{args.output}: control of {len(control)} regions as of {as_of}", file=sys.stderr)
    else:
        cols = ["iso_3166_2", "admin1", "status", "controller", "since", "claim_status"]
        if args.level == "district":
            cols = ["admin2", *cols]
        print(control[cols].to_string(index=False))
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    """Write the control timeline as a PNG chart."""
    from geo.control import control_timeline
    from maps.chart import save_control_chart

    if args.output.suffix.lower() != ".png":
        raise UsageError(f"{args.output}: the chart is a PNG; name the file .png")
    regions, events = report_events(args)
    timeline = control_timeline(events, control_regions(regions, events))
    save_control_chart(timeline, args.output, title=args.title)
    print(
        f"{args.output}: control timeline of {timeline['iso_3166_2'].nunique()} regions",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``events``, ``control`` and ``chart``."""
    p = sub.add_parser(
        "events", help="events in ACLED's terms, one row per event (merged across reports)"
    )
    add_input(p)
    add_output(p, ".geojson, .csv (ACLED column names), .gpkg or .parquet")
    p.add_argument(
        "--format",
        choices=("geomap", "acled"),
        default="geomap",
        help="geomap's columns (default), or every column of ACLED's codebook in its order "
        "and codes, geomap's own columns after them",
    )
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("control", help="territorial control of every admin-1 region on a date")
    add_input(p)
    p.add_argument("--as-of", type=date_arg, help="the date (default: the last dated event)")
    p.add_argument(
        "--level",
        choices=["province", "district"],
        default="province",
        help="regions to report: admin-1 provinces (default) or admin-2 districts with "
        "their province (where a district file exists: data/admin2_<CC>.parquet)",
    )
    add_output(p, ".geojson, .csv, .gpkg or .parquet")
    p.set_defaults(func=cmd_control)

    p = sub.add_parser(
        "chart", help="a PNG chart of regions held or contested by each side, by date"
    )
    add_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .png file to write")
    p.add_argument("--title", help="chart title")
    p.set_defaults(func=cmd_chart)
