"""The error boundary of ``geomap``: :func:`main` turns every failure into one line on
stderr and a documented exit code (docs/reliability.md)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path

from geomap.cli.errors import (
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    CLIError,
    UsageError,
)
from geomap.cli.parser import build_parser

__all__ = ["check_output", "is_output_problem", "main", "one_line"]

_QUIET_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def check_output(args: argparse.Namespace) -> None:
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


def is_output_problem(err: OSError, args: argparse.Namespace) -> bool:
    """Whether an ``OSError`` is about writing the output (exit 3) rather than an input."""
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


def one_line(text: object) -> str:
    """``text`` on one line (white space runs collapsed)."""
    return " ".join(str(text).split()) or "(no message)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (see :mod:`geomap.cli`)."""
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
                check_output(args)
                code = int(args.func(args) or 0)
            finally:
                seen: set[str] = set()
                for w in caught:
                    if isinstance(w.message, _QUIET_WARNINGS) and not debug:
                        continue
                    line = one_line(w.message)
                    if line not in seen:
                        seen.add(line)
                        print(f"geomap: warning: {line}", file=sys.stderr)
    except UsageError as err:
        code, message = EXIT_USAGE, one_line(err)
    except OutputError as err:
        code, message = EXIT_OUTPUT, one_line(err)
    except (GeomapError, CLIError) as err:
        code, message = EXIT_ERROR, one_line(err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # geomap places x | head: the reader has gone; not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:
        where = err.filename or getattr(args, "output", None) or "geomap"
        problem = err.strerror or one_line(err)
        if is_output_problem(err, args):
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
            f"internal error: {type(err).__name__}: {one_line(err)[:300]} "
            f"(a bug; run 'geomap --debug {args.command} ...' for the traceback)"
        )
    skipped = getattr(args, "_skipped", [])
    if skipped:
        print(f"geomap: skipped {len(skipped)} bad input(s):", file=sys.stderr)
        for bad in skipped:
            print(f"geomap: skipped: {one_line(bad)}", file=sys.stderr)
    if message is not None:
        print(f"geomap: error: {message}", file=sys.stderr)
    return code
