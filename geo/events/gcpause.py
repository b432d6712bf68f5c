"""The cyclic garbage collector paused while the event stage builds its rows.

A long report makes hundreds of thousands of small rows, places and tuples, none of them
in a reference cycle (they are freed by reference counting); the collector would still
walk the whole heap again and again while they pile up (about an eighth of the time of
the 10 MB report of issue 8). :func:`gc_paused` turns the automatic collector off for
the duration and back on after, only if it was on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause automatic garbage collection in the ``with`` block (nestable).

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
