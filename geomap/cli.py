"""The ``geomap`` command line: the application on top of ``geo`` (pipeline) and ``maps``.

Every failure the user can cause (a bad report, a broken boundaries file, an
unknown output format) ends in one line on stderr naming the input and the
problem, and a non-zero exit; outputs are written whole or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2
DEMO_REPORTS = Path(__file__).resolve().parents[1] / "data" / "samples" / "demo"


class CLIError(Exception):
    """A problem to report in one line, with no traceback."""


def _date(value: str) -> dt.date:
    from geo.reports import parse_date

    try:
        return parse_date(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _add_input(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "reports",
        nargs="+" if required else "*",
        metavar="REPORT",
        help="text file, folder of .txt/.jsonl files, or JSON Lines file",
    )
    parser.add_argument("--date", type=_date, help="date of reports that give none (YYYY-MM-DD)")
    parser.add_argument("--boundaries", type=Path, help="admin-1 boundaries file (any GDAL format)")
    parser.add_argument(
        "--name-column", default="admin1", help="region name column of --boundaries"
    )
    parser.add_argument(
        "--code-column", default="iso_3166_2", help="region code column of --boundaries"
    )


def _load(args: argparse.Namespace):
    from geo.boundaries import default_boundaries, load_boundaries
    from geo.reports import read_reports

    regions = (
        load_boundaries(args.boundaries, name_column=args.name_column, code_column=args.code_column)
        if args.boundaries
        else default_boundaries()
    )
    reports = read_reports(args.reports, date=args.date)
    return reports, regions


def _places(args: argparse.Namespace):
    from geo.geoparse import find_places

    reports, regions = _load(args)
    places = find_places(reports, boundaries=regions)
    found = set(places["report"])
    for report in reports:
        if report.id not in found:
            print(
                f"geomap: warning: {report.path or report.id}: no known place found",
                file=sys.stderr,
            )
    if places.empty:
        names = ", ".join(str(r.path or r.id) for r in reports)
        raise CLIError(f"{names}: no known place found in the report(s); nothing written")
    return reports, regions, places


def cmd_places(args: argparse.Namespace) -> int:
    from geo.output import write_table

    _, _, places = _places(args)
    if args.output:
        write_table(places, args.output)
        print(f"{args.output}: {len(places)} place mentions", file=sys.stderr)
        return 0
    import pandas as pd

    view = places[
        [
            "mention",
            "name",
            "kind",
            "country",
            "admin1",
            "iso_3166_2",
            "lat",
            "lon",
            "confidence",
            "start",
            "sentence",
        ]
    ].copy()
    view["sentence"] = view["sentence"].str.slice(0, 60)
    with pd.option_context(
        "display.width", 200, "display.max_colwidth", 60, "display.max_rows", None
    ):
        print(view.to_string(index=False))
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocoder import GazetteerGeocoder

    geocoder = GazetteerGeocoder()
    found = geocoder.geocode(
        args.name, exactly_one=False, country_codes=args.country, limit=args.limit
    )
    if not found and args.online:
        from geo.geocoder import nominatim

        online = nominatim(args.user_agent, args.cache)
        hit = online.geocode(args.name, exactly_one=True)
        found = [hit] if hit else None
    if not found:
        where = f" in {args.country.upper()}" if args.country else ""
        raise CLIError(f"{args.name!r}: no such place in the gazetteer{where}")
    best, *others = found
    raw = best.raw
    print(
        f"{best.address}  ({best.latitude:.5f}, {best.longitude:.5f})  "
        f"kind={raw.get('kind', '?')} source={raw.get('source', 'online')} "
        f"confidence={raw.get('confidence', float('nan')):.2f}"
    )
    if others:
        print("alternatives:")
        for loc in others:
            r = loc.raw
            print(
                f"  {loc.address}  ({loc.latitude:.5f}, {loc.longitude:.5f})  "
                f"kind={r.get('kind')} source={r.get('source')} confidence={r.get('confidence', 0):.2f}"
            )
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    import geopandas as gpd

    import maps

    if not args.reports:
        args.reports = [str(DEMO_REPORTS)]
    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise CLIError(f"{args.output}: a map is written as .html")
    reports, regions, places = _places(args)
    from geo.control import control_as_of, control_timeline
    from geo.events import extract_events

    extra: dict[str, Any] = {}
    events = extract_events(reports, places, regions=regions)
    assert isinstance(events, gpd.GeoDataFrame)  # without versions=True: one table
    if len(events):
        extra["events"] = events
        extra["control_timeline"] = control_timeline(events, regions)
        dates = list(events["event_date"].dropna())
        as_of = args.as_of or (max(dates) if dates else None)
        if as_of is not None:
            extra["control"] = control_as_of(events, regions, as_of)
    if args.title:
        title = args.title
    elif len(reports) == 1:
        title = reports[0].title or Path(reports[0].path or reports[0].id).stem
    else:
        source = f" in {Path(args.reports[0]).name}" if len(args.reports) == 1 else ""
        title = f"{len(reports)} reports{source}"
    # The embedded regions cover the world: draw those of the countries the reports name.
    shown = regions[regions["country"].isin(set(places["country"].dropna()))]
    m = maps.make_map(places, regions=shown, title=title, offline=args.offline, **extra)
    maps.save_map(m, args.output)
    print(
        f"{args.output}: map of {len(places)} place mentions from {len(reports)} report(s)",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geomap",
        description="Turn conflict reports into places, events, territorial control and maps.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("places", help="the places a report names, one row per mention")
    _add_input(p)
    p.add_argument("-o", "--output", type=Path, help="write .geojson, .csv, .gpkg or .parquet")
    p.set_defaults(func=cmd_places)

    p = sub.add_parser("geocode", help="look a place name up in the offline gazetteer")
    p.add_argument("name", help="place name, any common spelling")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code to restrict to")
    p.add_argument("--limit", type=int, default=5, help="how many matches to list (default 5)")
    p.add_argument(
        "--online",
        action="store_true",
        help="if the gazetteer has no answer, ask OpenStreetMap Nominatim (1 request/s, cached)",
    )
    p.add_argument(
        "--user-agent",
        default="geomap-cli (https://example.org/geomap)",
        help="user agent for --online, naming your application",
    )
    p.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "geomap" / "nominatim.json",
        help="cache file for --online answers",
    )
    p.set_defaults(func=cmd_geocode)

    p = sub.add_parser(
        "map", help="a layered HTML map of the reports (the demo reports by default)"
    )
    _add_input(p, required=False)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .html file to write")
    p.add_argument(
        "--offline",
        action="store_true",
        help="one self-contained file: no tiles, no CDN; opens with the network off",
    )
    p.add_argument("--title", help="title shown on the map")
    p.add_argument(
        "--as-of", type=_date, help="date of the control layer (default: the last event)"
    )
    p.set_defaults(func=cmd_map)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Sub-commands defined by other modules register here: register(subparsers) -> None.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


# --- events, control and the control chart (issue 3) ----------------------------------------


def _events(args: argparse.Namespace):  # returns (regions, events)
    from geo.events import EventWarning, extract_events

    reports, regions, places = _places(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EventWarning)
        events = extract_events(reports, places, regions=regions)
    for w in caught:
        print(f"geomap: warning: {w.message}", file=sys.stderr)
    return regions, events


def _control_regions(regions, events):  # the regions of the countries where fighting is reported
    fighting = events["effect"].isin(["capture", "fight", "repel"])
    countries = set(events.loc[fighting, "country"].dropna())
    return regions[regions["country"].isin(countries)] if countries else regions.iloc[0:0]


def cmd_events(args: argparse.Namespace) -> int:
    from geo.events import ACLED_COLUMNS
    from geo.output import write_table

    _, events = _events(args)
    if args.output:
        write_table(events, args.output, csv_columns=ACLED_COLUMNS)
        print(f"{args.output}: {len(events)} events", file=sys.stderr)
    else:
        cols = ["event_date", "event_type", "sub_event_type", "actor1", "location", "claim_status"]
        print(events[cols].to_string(index=False))
    return 0


def cmd_control(args: argparse.Namespace) -> int:
    from geo.control import control_as_of
    from geo.output import write_table

    regions, events = _events(args)
    as_of = args.as_of
    if as_of is None:
        dated = events["event_date"].dropna()
        if dated.empty:
            raise CLIError("no dated event in the report(s): give --as-of, or reports with dates")
        as_of = dated.max().date()
    if args.level == "district":
        from geo.boundaries import load_districts
        from geo.provinces import district_level, with_provinces

        district_events, districts = district_level(
            events, load_districts(set(events["country"].dropna()))
        )
        control = with_provinces(control_as_of(district_events, districts, as_of), districts)
    else:
        control = control_as_of(events, _control_regions(regions, events), as_of)
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
        write_table(control, args.output)
        print(f"{args.output}: control of {len(control)} regions as of {as_of}", file=sys.stderr)
    else:
        cols = ["iso_3166_2", "admin1", "status", "controller", "since", "claim_status"]
        if args.level == "district":
            cols = ["admin2", *cols]
        print(control[cols].to_string(index=False))
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from geo.control import control_timeline
    from maps.chart import save_control_chart

    if args.output.suffix.lower() != ".png":
        raise CLIError(f"{args.output}: the chart is a PNG; name the file .png")
    regions, events = _events(args)
    timeline = control_timeline(events, _control_regions(regions, events))
    save_control_chart(timeline, args.output, title=args.title)
    print(
        f"{args.output}: control timeline of {timeline['iso_3166_2'].nunique()} regions",
        file=sys.stderr,
    )
    return 0


def _register_events(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "events", help="events in ACLED's terms, one row per event (merged across reports)"
    )
    _add_input(p)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write .geojson, .csv (ACLED column names), .gpkg or .parquet",
    )
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("control", help="territorial control of every admin-1 region on a date")
    _add_input(p)
    p.add_argument("--as-of", type=_date, help="the date (default: the last dated event)")
    p.add_argument(
        "--level",
        choices=["province", "district"],
        default="province",
        help="regions to report: admin-1 provinces (default) or admin-2 districts with "
        "their province (where a district file exists: data/admin2_<CC>.parquet)",
    )
    p.add_argument("-o", "--output", type=Path, help="write .geojson, .csv, .gpkg or .parquet")
    p.set_defaults(func=cmd_control)

    p = sub.add_parser(
        "chart", help="a PNG chart of regions held or contested by each side, by date"
    )
    _add_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .png file to write")
    p.add_argument("--title", help="chart title")
    p.set_defaults(func=cmd_chart)


_EXTRA_COMMANDS.append(_register_events)


def main(argv: Sequence[str] | None = None) -> int:
    from geo.errors import GeomapError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            return int(args.func(args) or 0)
    except (GeomapError, CLIError) as err:
        print(f"geomap: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
