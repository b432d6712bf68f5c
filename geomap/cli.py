"""The ``geomap`` command line: the application on top of ``geo`` (pipeline) and ``maps``.

One error boundary (:func:`main`): every failure ends in one line on stderr naming the
input and the problem, and a documented exit code (``docs/reliability.md``):

- 0 done (with ``--skip-bad``, the skipped inputs are listed at the end);
- 1 bad input (a report, a boundaries file, a date, nothing found);
- 2 usage (unknown option, missing argument);
- 3 the output could not be written (missing or read-only folder, full disk, bad format);
- 4 internal error: a bug; ``--debug`` shows the traceback.

Outputs are written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERROR = 1  # bad input
EXIT_USAGE = 2
EXIT_OUTPUT = 3  # the output could not be written
EXIT_INTERNAL = 4  # a bug: --debug shows the traceback
DEMO_REPORTS = __import__("geo.resources").resources.demo_reports()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geomap")
    except PackageNotFoundError:  # a source tree that was never installed
        return "(not installed)"


class CLIError(Exception):
    """A problem to report in one line, with no traceback (exit 1: bad input)."""


class UsageError(CLIError):
    """A command line that asks for something impossible (exit 2)."""


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
    _add_quiet(parser)
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="go on past bad files and JSON Lines records; list them at the end",
    )
    parser.add_argument(
        "-j", "--jobs", type=_jobs, help="worker processes (default: every core; 1: no pool)"
    )


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of processes, 1 or more")
    return int(value)


def _add_quiet(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: given after the command it sets the flag, else the top-level value stands
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bars"
    )


def _add_output(parser: argparse.ArgumentParser, formats: str) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, help=f"write {formats}; '-' writes to standard output"
    )
    parser.add_argument(
        "--stdout-format",
        choices=("csv", "geojson"),
        default="csv",
        help="format of '-o -' (default csv)",
    )


def _load(args: argparse.Namespace):
    from geo.boundaries import default_boundaries, load_boundaries
    from geo.reports import read_reports

    regions = (
        load_boundaries(args.boundaries, name_column=args.name_column, code_column=args.code_column)
        if args.boundaries
        else default_boundaries()
    )
    skipped = _skipped(args) if getattr(args, "skip_bad", False) else None
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


def _skipped(args: argparse.Namespace) -> list:
    """The bad inputs ``--skip-bad`` went past, listed by :func:`main` at the end."""
    if not hasattr(args, "_skipped"):
        args._skipped = []
    return args._skipped


def _places(args: argparse.Namespace):
    from geo.parallel import find_places

    reports, regions = _load(args)
    places = find_places(reports, boundaries=regions, jobs=args.jobs)
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


def cmd_map(args: argparse.Namespace) -> int:
    import geopandas as gpd
    import pandas as pd

    import maps

    if not args.reports:
        args.reports = [str(DEMO_REPORTS)]
    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{args.output}: a map is written as .html")
    reports, regions, places = _places(args)
    from geo.control import control_as_of, control_timeline
    from geo.parallel import extract_events

    extra: dict[str, Any] = {}
    events = extract_events(reports, places, regions=regions, jobs=args.jobs)
    assert isinstance(events, gpd.GeoDataFrame)  # without versions=True: one table
    if len(events):
        extra["events"] = events
        extra["control_timeline"] = control_timeline(events, regions)
        dates = list(events["event_date"].dropna())
        as_of = args.as_of or (max(dates) if dates else None)
        if as_of is not None:
            extra["control"] = control_as_of(events, regions, as_of)
            if args.level == "district":  # a district layer beside the provinces
                districts = _district_control(events, as_of)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geomap",
        description="Turn conflict reports into places, events, territorial control and maps.",
        epilog="Exit codes: 0 done, 1 bad input, 2 usage, 3 output not written, "
        "4 internal error (see docs/reliability.md).",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an internal error (also accepted after the command)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("places", help="the places a report names, one row per mention")
    _add_input(p)
    _add_output(p, ".geojson, .csv, .gpkg or .parquet")
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
    p.add_argument(
        "--level",
        choices=["province", "district"],
        default="province",
        help="district: add a layer of admin-2 district control (where a district file exists)",
    )
    p.set_defaults(func=cmd_map)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Sub-commands defined by other modules register here: register(subparsers) -> None.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


# --- events, control and the control chart (issue 3) ----------------------------------------


def _events(args: argparse.Namespace):  # returns (regions, events)
    from geo.events import EventWarning
    from geo.parallel import extract_events

    reports, regions, places = _places(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EventWarning)
        events = extract_events(reports, places, regions=regions, jobs=args.jobs)
    for w in caught:
        print(f"geomap: warning: {w.message}", file=sys.stderr)
    return regions, events


def _control_regions(regions, events):  # the regions of the countries where fighting is reported
    from geo.control import fighting_regions

    return fighting_regions(events, regions)


def cmd_events(args: argparse.Namespace) -> int:
    from geo.events import ACLED_COLUMNS
    from geo.output import write_table

    _, events = _events(args)
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


def _district_control(events, as_of):
    """Control of the admin-2 districts of the events' countries (where a file exists)."""
    from geo.provinces import district_control

    return district_control(events, as_of)


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
        control = _district_control(events, as_of)
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
        write_table(control, args.output, fmt=args.stdout_format)
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
        raise UsageError(f"{args.output}: the chart is a PNG; name the file .png")
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
    _add_output(p, ".geojson, .csv (ACLED column names), .gpkg or .parquet")
    p.add_argument(
        "--format",
        choices=("geomap", "acled"),
        default="geomap",
        help="geomap's columns (default), or every column of ACLED's codebook in its order "
        "and codes, geomap's own columns after them",
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
    _add_output(p, ".geojson, .csv, .gpkg or .parquet")
    p.set_defaults(func=cmd_control)

    p = sub.add_parser(
        "chart", help="a PNG chart of regions held or contested by each side, by date"
    )
    _add_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .png file to write")
    p.add_argument("--title", help="chart title")
    p.set_defaults(func=cmd_chart)


_EXTRA_COMMANDS.append(_register_events)


# --- everything in one GeoPackage (issue 10) ------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from geo.control import control_as_of, control_timeline
    from geo.output import write_layers

    if Path(args.output).suffix.lower() != ".gpkg":
        raise CLIError(f"{args.output}: export writes one GeoPackage; name the file .gpkg")
    from geo.parallel import extract_events

    reports, regions, places = _places(args)
    events = extract_events(reports, places, regions=regions, jobs=args.jobs)
    assert isinstance(events, gpd.GeoDataFrame)
    layers: dict[str, gpd.GeoDataFrame] = {"places": places, "events": events}
    dated = events["event_date"].dropna()
    if not dated.empty:
        fought = _control_regions(regions, events)
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


def _register_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="places, events, control (as of the last event) and the control timeline "
        "as four layers of one GeoPackage",
    )
    _add_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .gpkg file to write")
    p.set_defaults(func=cmd_export)


_EXTRA_COMMANDS.append(_register_export)


# --- the live service (issue 9): its code lives in geomap/service ----------------------------


def _register_service(sub: argparse._SubParsersAction) -> None:
    from geomap.service.cli import register

    register(sub)


_EXTRA_COMMANDS.append(_register_service)


# --- batch: sharded reports on a Dask cluster (issue 11) --------------------------------------


def cmd_batch(args: argparse.Namespace) -> int:
    from geo.batch import run_batch
    from geo.boundaries import load_boundaries

    regions = (
        load_boundaries(args.boundaries, name_column=args.name_column, code_column=args.code_column)
        if args.boundaries
        else None
    )
    result = run_batch(
        args.shards,
        args.output,
        scheduler=args.scheduler,
        workers=args.workers,
        regions=regions,
        date=args.date,
    )
    print(
        f"{result.output}: {result.reports} reports in {result.partitions} partitions: "
        f"{result.places} place mentions, {result.events} events "
        f"({result.versions} versions), control of {result.control_regions} regions",
        file=sys.stderr,
    )
    return 0


def _register_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch", help="places, events and control of a folder of shards, on a Dask cluster"
    )
    p.add_argument("shards", type=Path, help="folder of .jsonl or .parquet shards")
    p.add_argument("-o", "--output", type=Path, required=True, help="a new folder for the results")
    p.add_argument("--scheduler", help="Dask scheduler address, tcp://host:8786 (default: local)")
    p.add_argument("--workers", type=_jobs, help="local cluster processes (default: every core)")
    p.add_argument("--date", type=_date, help="date of reports that give none (YYYY-MM-DD)")
    p.add_argument("--boundaries", type=Path, help="admin-1 boundaries file (any GDAL format)")
    p.add_argument("--name-column", default="admin1", help="region name column of --boundaries")
    p.add_argument("--code-column", default="iso_3166_2", help="region code column of --boundaries")
    p.set_defaults(func=cmd_batch, output_is_folder=True)


_EXTRA_COMMANDS.append(_register_batch)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that cannot be written (exit 3)."""
    from geo.errors import OutputError

    output = getattr(args, "output", None)
    if (
        not isinstance(output, (str, Path))
        or str(output) == "-"  # "-": standard output
        or getattr(args, "output_is_folder", False)
    ):
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir() and target.suffix:  # (batch writes a folder: it has no suffix)
        raise OutputError(f"{target}: is a folder; name a file to write")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: the folder {str(folder)!r} is not writable")


def _is_output_problem(err: OSError, args: argparse.Namespace) -> bool:
    output = getattr(args, "output", None)
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG):
        return True
    if output is None or not err.filename:
        return False
    target = Path(output).resolve()
    try:
        return Path(str(err.filename)).resolve().parent in (target.parent, target)
    except (OSError, RuntimeError, ValueError):
        return False


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "(no message)"


_QUIET_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (see the module docstring)."""
    from geo.errors import GeomapError, OutputError

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("GEOMAP_DEBUG") == "1"
    argv = [a for a in argv if a != "--debug"]
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with argparse's usage line on bad usage
    __import__("geo.progress").progress.set_quiet(args.quiet)
    code, message = EXIT_OK, None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            try:
                _check_output(args)
                code = int(args.func(args) or 0)
            finally:
                seen: set[str] = set()
                for w in caught:
                    if isinstance(w.message, _QUIET_WARNINGS) and not debug:
                        continue
                    line = _one_line(w.message)
                    if line not in seen:
                        seen.add(line)
                        print(f"geomap: warning: {line}", file=sys.stderr)
    except UsageError as err:
        code, message = EXIT_USAGE, _one_line(err)
    except OutputError as err:
        code, message = EXIT_OUTPUT, _one_line(err)
    except (GeomapError, CLIError) as err:
        code, message = EXIT_ERROR, _one_line(err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # geomap places x | head: the reader has gone; not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:
        where = err.filename or getattr(args, "output", None) or "geomap"
        problem = err.strerror or _one_line(err)
        if _is_output_problem(err, args):
            code, message = EXIT_OUTPUT, f"{where}: cannot write ({problem})"
        else:
            code, message = EXIT_ERROR, f"{where}: {problem}"
        if debug:
            traceback.print_exc()
    except MemoryError:
        code, message = EXIT_INTERNAL, "out of memory (the input is too large for this machine)"
    except Exception as err:  # the boundary: a bug must still end in one line
        if debug:
            traceback.print_exc()
        code = EXIT_INTERNAL
        message = (
            f"internal error: {type(err).__name__}: {_one_line(err)[:300]} "
            f"(a bug; run 'geomap --debug {args.command} ...' for the traceback)"
        )
    skipped = getattr(args, "_skipped", [])
    if skipped:
        print(f"geomap: skipped {len(skipped)} bad input(s):", file=sys.stderr)
        for bad in skipped:
            print(f"geomap: skipped: {_one_line(bad)}", file=sys.stderr)
    if message is not None:
        print(f"geomap: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
