"""``geomap map``: a layered HTML map of reports (places, events, control)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from geomap.cli.errors import UsageError
from geomap.cli.events import district_control
from geomap.cli.inputs import DEMO_REPORTS, report_places_events
from geomap.cli.options import add_input, date_arg

__all__ = ["cmd_map", "register"]


def cmd_map(args: argparse.Namespace) -> int:
    """Write the map of the reports (the demo reports by default) as one HTML file."""
    import pandas as pd

    import maps

    if not args.reports:
        args.reports = [str(DEMO_REPORTS)]
    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{args.output}: a map is written as .html")
    reports, regions, places, events = report_places_events(args)
    from geo.control import control_as_of, control_timeline

    extra: dict[str, Any] = {}
    if len(events):
        extra["events"] = events
        extra["control_timeline"] = control_timeline(events, regions)
        dates = list(events["event_date"].dropna())
        as_of = args.as_of or (max(dates) if dates else None)
        if as_of is not None:
            extra["control"] = control_as_of(events, regions, as_of)
            if args.level == "district":  # a district layer beside the provinces
                districts = district_control(events, as_of)
                if len(districts):
                    provinces = extra["control"].assign(level="province")
                    extra["control"] = pd.concat(
                        [provinces, districts.assign(level="district")], ignore_index=True
                    )
    if args.title:
        title = args.title
    elif len(reports) == 1:
        title = reports[0].title or Path(reports[0].path or reports[0].id).stem
    else:
        source = f" in {Path(args.reports[0]).name}" if len(args.reports) == 1 else ""
        title = f"{len(reports)} reports{source}"
    # The embedded regions cover the world: draw those of the countries the reports name.
    shown = regions[regions["country"].isin(set(places["country"].dropna()))]
    m = maps.make_map(
        places, regions=shown, reports=reports, title=title, offline=args.offline, **extra
    )
    maps.save_map(m, args.output)
    print(
        f"{args.output}: map of {len(places)} place mentions from {len(reports)} report(s)",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``map``."""
    p = sub.add_parser(
        "map", help="a layered HTML map of the reports (the demo reports by default)"
    )
    add_input(p, required=False)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .html file to write")
    p.add_argument(
        "--offline",
        action="store_true",
        help="one self-contained file: no tiles, no CDN; opens with the network off",
    )
    p.add_argument("--title", help="title shown on the map")
    p.add_argument(
        "--as-of", type=date_arg, help="date of the control layer (default: the last event)"
    )
    p.add_argument(
        "--level",
        choices=["province", "district"],
        default="province",
        help="district: add a layer of admin-2 district control (where a district file exists)",
    )
    p.set_defaults(func=cmd_map)
