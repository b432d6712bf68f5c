"""The analyses of :mod:`geo.prefilter`, kept on disk from one process to the next.

Reading an expression's syntax tree (:func:`geo.prefilter.start_literals`,
:func:`geo.prefilter.required_literal_sets`) is pure Python, and the event stage builds
its indexes (:mod:`geo.gates`) from ~400 expressions, some of them thousands of words
long: about a third of its cold start, paid again by every command, every Dask worker
and a pool's parent before it forks (docs/scale.md). The results are a few strings per
expression. They are kept in a JSON file of the cache folder (``GEOMAP_CACHE``), like the
verb forms of :mod:`geo.events.rules`:

- the file's name holds this Python's version and a digest of the code of
  :mod:`geo.prefilter`'s analyses, so results made by other code (another parser, another analysis)
  are never read;
- it is data only: a damaged file, or an entry of the wrong shape, is read as missing
  and analysed again, never executed;
- it holds at most :data:`MAX_KEPT` entries per kind, those made by the last process to
  write it first (expressions tried once, by a test say, make way for those in use);
- only the indexes of the package's own tables write to it (``keep=True``), so that
  expressions made up by a caller (a test's generated ones) never fill it;
- it is written whole or not at all (:func:`geo.output.atomic_path`), and only when a
  process made new entries; a read-only cache folder only means analysing again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ANALYSIS_MODULES", "MAX_KEPT", "keep", "kept", "kept_file", "made"]

#: The modules whose code makes the analyses: the file is named by a digest of theirs.
ANALYSIS_MODULES = ("geo.prefilter.folding", "geo.prefilter.literals", "geo.prefilter.starts")

#: The most entries the file keeps of each kind.
MAX_KEPT = 4096

#: The kinds of entries, and whether a value is valid for each (``starts``: a list of
#: strings or ``None``; ``sets``: a list of lists of strings).
_VALID = {
    "starts": lambda v: v is None or (isinstance(v, list) and all(isinstance(s, str) for s in v)),
    "sets": lambda v: (
        isinstance(v, list)
        and all(isinstance(s, list) and all(isinstance(x, str) for x in s) for s in v)
    ),
}

# the entries this process made, by kind, to write back (in the order made)
_MADE: dict[str, dict[str, Any]] = {kind: {} for kind in _VALID}


def _key(text: str, flags: int) -> str:
    return f"{flags}:{text}"


@lru_cache(maxsize=1)
def kept_file() -> Path:
    """The file of kept analyses for this Python and this code of :mod:`geo.prefilter`
    (:data:`ANALYSIS_MODULES`)."""
    from geo.gazetteer.store import cache_dir

    code = hashlib.sha256()
    for name in ANALYSIS_MODULES:
        spec = importlib.util.find_spec(name)
        code.update(Path(spec.origin).read_bytes() if spec and spec.origin else b"")
    digest = code.hexdigest()[:16]
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return cache_dir() / f"prefilter-python{version}-{digest}.json"


@lru_cache(maxsize=1)
def _kept() -> dict[str, dict[str, Any]]:
    """The file's entries, read once per process (valid ones only)."""
    from geo.kept import kept_json

    out: dict[str, dict[str, Any]] = {kind: {} for kind in _VALID}
    raw = kept_json(kept_file())
    if not isinstance(raw, dict):
        return out
    for kind, valid in _VALID.items():
        entries = raw.get(kind)
        if isinstance(entries, dict):
            out[kind] = {k: v for k, v in entries.items() if isinstance(k, str) and valid(v)}
    return out


def kept(kind: str, text: str, flags: int) -> tuple[bool, Any]:
    """Whether an analysis of ``kind`` of the expression is kept, and its value (as JSON
    holds it)."""
    key = _key(text, flags)
    made_now = _MADE[kind]
    if key in made_now:
        return True, made_now[key]
    entries = _kept()[kind]
    if key in entries:
        return True, entries[key]
    return False, None


def made(kind: str, text: str, flags: int, value: Any) -> None:
    """Note an analysis made in this process (written by :func:`keep`). At most
    :data:`MAX_KEPT` of each kind wait to be written: a long process analysing
    expressions of its own (never kept) forgets the oldest."""
    entries = _MADE[kind]
    entries[_key(text, flags)] = value
    if len(entries) > MAX_KEPT:
        del entries[next(iter(entries))]


def keep(expressions: Iterable[str | re.Pattern[str] | None]) -> None:
    """Write the file when this process analysed some of ``expressions`` and the file
    lacks them (best effort). Only the indexes of the package's own tables ask (an
    index made by a caller of :mod:`geo.gates` with expressions of its own, a test's
    generated ones say, keeps nothing)."""
    if not any(_MADE.values()):  # every analysis read from the file: nothing to write
        return
    keys = {
        _key(e.pattern, e.flags) if isinstance(e, re.Pattern) else _key(e, 0)
        for e in expressions
        if e is not None
    }
    new = {kind: {k: v for k, v in _MADE[kind].items() if k in keys} for kind in _VALID}
    if not any(new.values()):
        return
    from geo.kept import keep_json

    old = _kept()
    table = {}
    for kind in _VALID:
        merged = dict(new[kind])  # this process's first (at most MAX_KEPT: made() bounds them)
        for k, v in old[kind].items():
            if len(merged) >= MAX_KEPT:
                break
            merged.setdefault(k, v)
        table[kind] = merged
    if not keep_json(table, kept_file()):
        return
    for kind in _VALID:  # what is written is now what the file holds
        old[kind] = table[kind]
        for k in new[kind]:
            del _MADE[kind][k]
