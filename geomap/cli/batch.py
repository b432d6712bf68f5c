"""``geomap batch``: places, events and control of sharded reports on a Dask cluster."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geomap.cli.options import date_arg, jobs_arg

__all__ = ["cmd_batch", "register"]


def cmd_batch(args: argparse.Namespace) -> int:
    """Run :func:`geo.batch.run_batch` on a folder of shards."""
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``batch``."""
    p = sub.add_parser(
        "batch", help="places, events and control of a folder of shards, on a Dask cluster"
    )
    p.add_argument("shards", type=Path, help="folder of .jsonl or .parquet shards")
    p.add_argument("-o", "--output", type=Path, required=True, help="a new folder for the results")
    p.add_argument("--scheduler", help="Dask scheduler address, tcp://host:8786 (default: local)")
    p.add_argument("--workers", type=jobs_arg, help="local cluster processes (default: every core)")
    p.add_argument("--date", type=date_arg, help="date of reports that give none (YYYY-MM-DD)")
    p.add_argument("--boundaries", type=Path, help="admin-1 boundaries file (any GDAL format)")
    p.add_argument("--name-column", default="admin1", help="region name column of --boundaries")
    p.add_argument("--code-column", default="iso_3166_2", help="region code column of --boundaries")
    p.set_defaults(func=cmd_batch, output_is_folder=True)
