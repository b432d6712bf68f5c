"""Options shared by several commands: reports in, a table out, argument types."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

__all__ = ["add_input", "add_output", "add_quiet", "date_arg", "jobs_arg"]


def date_arg(value: str) -> dt.date:
    """An argparse type: a date within geomap's range (``geo.reports.parse_date``)."""
    from geo.reports import parse_date

    try:
        return parse_date(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def jobs_arg(value: str) -> int:
    """An argparse type: a number of processes, 1 or more."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of processes, 1 or more")
    return int(value)


def add_input(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Reports, their date and boundaries, ``--skip-bad`` and ``--jobs``."""
    parser.add_argument(
        "reports",
        nargs="+" if required else "*",
        metavar="REPORT",
        help="text file, folder of .txt/.jsonl files, or JSON Lines file",
    )
    parser.add_argument("--date", type=date_arg, help="date of reports that give none (YYYY-MM-DD)")
    parser.add_argument("--boundaries", type=Path, help="admin-1 boundaries file (any GDAL format)")
    parser.add_argument(
        "--name-column", default="admin1", help="region name column of --boundaries"
    )
    parser.add_argument(
        "--code-column", default="iso_3166_2", help="region code column of --boundaries"
    )
    add_quiet(parser)
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="go on past bad files and JSON Lines records; list them at the end",
    )
    parser.add_argument(
        "-j", "--jobs", type=jobs_arg, help="worker processes (default: every core; 1: no pool)"
    )


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """``-q``: no progress bars."""
    # SUPPRESS: given after the command it sets the flag, else the top-level value stands
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bars"
    )


def add_output(parser: argparse.ArgumentParser, formats: str) -> None:
    """``-o`` (a table file, or ``-`` for standard output) and ``--stdout-format``."""
    parser.add_argument(
        "-o", "--output", type=Path, help=f"write {formats}; '-' writes to standard output"
    )
    parser.add_argument(
        "--stdout-format",
        choices=("csv", "geojson"),
        default="csv",
        help="format of '-o -' (default csv)",
    )
