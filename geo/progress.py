"""Progress bars (tqdm) for the slow steps, shown only to a person at a terminal.

A bar is drawn on standard error when it is a terminal and :func:`set_quiet`
was not called (``geomap --quiet``); in a pipe, a log file, a notebook or the
test suite nothing is printed, so outputs and logs stay clean.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

__all__ = ["enabled", "progress", "set_quiet", "timed_bar"]

T = TypeVar("T")
_QUIET = False


def set_quiet(quiet: bool = True) -> None:
    """Silence (or allow again) every progress bar of this process."""
    global _QUIET
    _QUIET = bool(quiet)


def enabled() -> bool:
    """Whether bars are drawn: standard error is a terminal and not silenced.

    Examples
    --------
    >>> set_quiet(True); enabled()
    False
    >>> set_quiet(False)
    """
    stream = sys.stderr
    return not _QUIET and stream is not None and hasattr(stream, "isatty") and stream.isatty()


def progress(
    iterable: Iterable[T], *, desc: str, total: int | None = None, unit: str = "report"
) -> Iterable[T]:
    """``iterable`` itself, or wrapped in a tqdm bar when bars are :func:`enabled`.

    Examples
    --------
    >>> list(progress([1, 2], desc="reports"))
    [1, 2]
    """
    if not enabled():
        return iterable
    from tqdm import tqdm

    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    return tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, file=sys.stderr)


def timed_bar(desc: str, expected_s: float) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a long step that reports no progress of its own with a bar of elapsed time.

    The bar fills over ``expected_s`` seconds (it stops just short of the end
    until the step returns), so a user sees that work is going on and roughly
    how long it takes.
    """

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            if not enabled():
                return func(*args, **kwargs)
            from tqdm import tqdm

            total = max(1, round(expected_s))
            bar = tqdm(
                total=total,
                desc=desc,
                unit="s",
                leave=False,
                file=sys.stderr,
                bar_format="{desc}: {bar} {elapsed} (about {total} s)",
            )
            done = threading.Event()

            def tick() -> None:
                start = time.monotonic()
                while not done.wait(0.5):
                    bar.n = min(total - 1, int(time.monotonic() - start))
                    bar.refresh()

            thread = threading.Thread(target=tick, daemon=True)
            thread.start()
            try:
                return func(*args, **kwargs)
            finally:
                done.set()
                thread.join()
                bar.n = total
                bar.close()

        return wrapper

    return decorate
