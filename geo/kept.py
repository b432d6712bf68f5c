"""Files of the cache folder that keep what a process worked out, for the next one.

The verb forms lemminflect generates (:mod:`geo.events.rules`), the words of its lexicon
(:mod:`geo.geoparse.words`) and the analyses of the event stage's expressions
(:mod:`geo.prefilter.cache`) are each kept in a JSON file of the cache folder
(``GEOMAP_CACHE``, :func:`geo.gazetteer.store.cache_dir`). They are data only: a file that
is missing, unreadable or not JSON reads as ``None``, and each caller checks the values it
reads; nothing in them is ever executed. They are written whole or not at all
(:func:`geo.output.atomic_path`), and a folder that cannot be written only means the work
is done again next time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["keep_json", "kept_json"]


def keep_json(value: object, path: str | os.PathLike[str]) -> bool:
    """Write ``value`` as JSON to a file of the cache folder, whole or not at all (best
    effort: a folder that cannot be made or written only means the file is made again
    next time). Returns whether it was written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> keep_json(["van"], folder / "new" / "words.json"), kept_json(folder / "new" / "words.json")
    (True, ['van'])
    >>> keep_json(["van"], folder / "new" / "words.json" / "below a file.json")
    False
    """
    from geo.output import atomic_path

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            tmp.write_text(json.dumps(value), encoding="utf-8")
    except OSError:  # OutputError too
        return False
    return True


def kept_json(path: str | os.PathLike[str]) -> object:
    """What a file :func:`keep_json` wrote holds, ``None`` if it is missing, unreadable or
    not JSON (it is data only: the caller checks each value it reads)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
