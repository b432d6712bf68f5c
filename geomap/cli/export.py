"""``geomap export``: places, events, control and its timeline as layers of one GeoPackage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geomap.cli.errors import CLIError
from geomap.cli.events import control_regions
from geomap.cli.inputs import report_places_events
from geomap.cli.options import add_input

__all__ = ["cmd_export", "register"]


def cmd_export(args: argparse.Namespace) -> int:
    """Write every layer to one GeoPackage."""
    import geopandas as gpd

    from geo.control import control_as_of, control_timeline
    from geo.output import write_layers

    if Path(args.output).suffix.lower() != ".gpkg":
        raise CLIError(f"{args.output}: export writes one GeoPackage; name the file .gpkg")
    _, regions, places, events = report_places_events(args)
    layers: dict[str, gpd.GeoDataFrame] = {"places": places, "events": events}
    dated = events["event_date"].dropna()
    if not dated.empty:
        fought = control_regions(regions, events)
        layers["control"] = control_as_of(events, fought, dated.max().date())
        timeline = control_timeline(events, fought)
        shapes = regions[["iso_3166_2", "geometry"]].drop_duplicates("iso_3166_2")
        layers["control_timeline"] = gpd.GeoDataFrame(
            timeline.merge(shapes, on="iso_3166_2", how="left"),
            geometry="geometry",
            crs=regions.crs,
        )
    write_layers(layers, args.output)
    counts = ", ".join(f"{name} ({len(t)})" for name, t in layers.items())
    print(f"{args.output}: layers {counts}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export``."""
    p = sub.add_parser(
        "export",
        help="places, events, control (as of the last event) and the control timeline "
        "as four layers of one GeoPackage",
    )
    add_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .gpkg file to write")
    p.set_defaults(func=cmd_export)
