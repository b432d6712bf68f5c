"""The ``geomap`` command line: the application on top of ``geo`` (pipeline) and ``maps``.

One error boundary (:func:`main`, in :mod:`geomap.cli.boundary`): every failure ends in
one line on stderr naming the input and the problem, and a documented exit code
(``docs/reliability.md``):

- 0 done (with ``--skip-bad``, the skipped inputs are listed at the end);
- 1 bad input (a report, a boundaries file, a date, nothing found);
- 2 usage (unknown option, missing argument);
- 3 the output could not be written (missing or read-only folder, full disk, bad format);
- 4 internal error: a bug; ``--debug`` shows the traceback.

Outputs are written whole or not at all. One module per group of commands:
:mod:`~geomap.cli.places` (``places``, ``geocode``), :mod:`~geomap.cli.mapping`
(``map``), :mod:`~geomap.cli.events` (``events``, ``control``, ``chart``),
:mod:`~geomap.cli.export` (``export``), :mod:`~geomap.cli.batch` (``batch``) and
:mod:`geomap.service.cli` (``serve``, ``push``); :mod:`~geomap.cli.parser` puts them
together.
"""

from geomap.cli.boundary import main
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

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_USAGE",
    "CLIError",
    "UsageError",
    "build_parser",
    "main",
]
