"""``geomap places`` (the places a report names) and ``geomap geocode`` (one name)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geomap.cli.errors import CLIError, UsageError
from geomap.cli.inputs import report_places
from geomap.cli.options import add_input, add_output

__all__ = ["cmd_geocode", "cmd_places", "register"]


def cmd_places(args: argparse.Namespace) -> int:
    """Write (or print) the place mentions of the reports."""
    from geo.output import write_table

    _, _, places = report_places(args)
    if args.output:
        write_table(places, args.output, fmt=args.stdout_format)
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
    """Print the best match of a place name in the gazetteer, and the alternatives."""
    from geo.geocoder import GazetteerGeocoder

    if not args.name.strip():
        raise UsageError("geocode: give a place name (it is empty)")
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``places`` and ``geocode``."""
    p = sub.add_parser("places", help="the places a report names, one row per mention")
    add_input(p)
    add_output(p, ".geojson, .csv, .gpkg or .parquet")
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
