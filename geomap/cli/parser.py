"""The ``geomap`` argument parser: the global options and every command's group."""

from __future__ import annotations

import argparse

__all__ = ["build_parser", "version"]


def version() -> str:
    """The installed version of geomap (``(not installed)`` in a bare source tree), and
    whether its pipeline runs compiled (``geo.native``)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    from geo.native import status

    try:
        number = installed("geomap")
    except PackageNotFoundError:  # a source tree that was never installed
        number = "(not installed)"
    return f"{number}, {status()}"


def _register_service(sub: argparse._SubParsersAction) -> None:
    from geomap.service.cli import register  # serve and push live with the service

    register(sub)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, in the order ``geomap --help`` lists them."""
    from geomap.cli import batch, events, export, mapping, places

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
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in (
        places.register,  # places, geocode
        mapping.register,  # map
        events.register,  # events, control, chart
        export.register,  # export
        _register_service,  # serve, push
        batch.register,  # batch
    ):
        register(sub)
    return parser
