"""Build step: the pipeline's hot modules compiled to C extensions with mypyc.

The project's metadata is in pyproject.toml; this file only adds the compiled modules
(docs/scale.md, "One core"). mypyc (part of mypy) turns the type-annotated modules listed in
:data:`COMPILED` into C extensions that run the same code, faster: on the benchmark's
300 reports, event extraction runs about 30 % fewer instructions and geoparsing about 16 %.

- ``GEOMAP_COMPILE=0`` builds pure Python (no compiler needed).
- Without a C compiler, or if mypyc fails, the build warns and installs pure Python.
- Every compiled module keeps its ``.py`` beside it. ``geo/compiled.json`` records the hash
  of each source compiled; at import, :mod:`geo.native` runs the ``.py`` files instead
  when any source no longer matches (an edit not yet rebuilt), or when
  ``GEOMAP_PURE=1``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# The modules compiled: those geoparsing and event extraction spend their time in.
# Package __init__ files stay Python (they are imported by path, and hold little work).
COMPILED = [
    *sorted(
        str(p.relative_to(ROOT))
        for pattern in ("geo/geoparse/*.py", "geo/events/*.py")
        for p in ROOT.glob(pattern)
        if p.name != "__init__.py"
    ),
    "geo/actors.py",
    "geo/asciiscan.py",
    "geo/dates/expressions.py",
    "geo/dates/resolve.py",
    "geo/distance.py",
    "geo/scoring.py",
    "geo/sentences.py",
    "geo/gates.py",
    "geo/nationals.py",
    "geo/text.py",
]
MANIFEST = "geo/compiled.json"


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


class OptionalBuildExt(build_ext):
    """Builds the compiled modules if it can, and records the sources they were built
    from; a failure leaves a pure-Python install, with a warning."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers: the pure-Python modules stand
            print(f"geomap: modules not compiled ({exc}); running pure Python", file=sys.stderr)
            return
        if not self.extensions:
            return
        hashes = _HASHES or _hashes()
        target = Path(self.build_lib if not self.inplace else ROOT) / MANIFEST
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")


def _hashes() -> dict[str, str]:
    return {_module(p): hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in COMPILED}


# The sources as mypyc reads them (when _extensions runs, before the long C build): a
# source edited during the build is then recorded as changed, and runs as Python.
_HASHES: dict[str, str] = {}


def _extensions() -> list:
    if os.environ.get("GEOMAP_COMPILE", "1") == "0":
        return []
    _HASHES.update(_hashes())
    try:
        from mypyc.build import mypycify

        # separate=True: one extension per module, inside its package's folder (an
        # editable install finds it there); -j on build_ext compiles them in parallel.
        # No incremental cache (--cache-dir=os.devnull): a rebuild after a class changed
        # failed in mypyc ("value is not in list") on the cache an earlier build left; the
        # whole check costs ~15 s, the C compiler minutes.
        return mypycify([f"--cache-dir={os.devnull}", *COMPILED], separate=True, opt_level="3")
    except Exception as exc:
        print(f"geomap: modules not compiled ({exc}); running pure Python", file=sys.stderr)
        return []


setup(
    ext_modules=_extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
    # one C compiler per core: the modules compile independently (separate=True)
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
)
