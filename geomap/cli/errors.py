"""The exit codes of ``geomap`` and the command line's own errors (docs/reliability.md)."""

from __future__ import annotations

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_USAGE",
    "CLIError",
    "UsageError",
]

EXIT_OK = 0
EXIT_ERROR = 1  # bad input
EXIT_USAGE = 2
EXIT_OUTPUT = 3  # the output could not be written
EXIT_INTERNAL = 4  # a bug: --debug shows the traceback


class CLIError(Exception):
    """A problem to report in one line, with no traceback (exit 1: bad input)."""


class UsageError(CLIError):
    """A command line that asks for something impossible (exit 2)."""
