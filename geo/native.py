"""Compiled or pure Python: which form of the compiled modules runs.

``setup.py`` compiles the pipeline's hot modules with mypyc (docs/speed.md) and writes
``geo/compiled.json``: the SHA-256 of each source it compiled. Each compiled module keeps
its ``.py`` beside its extension. When this package is imported, the extensions run only
if every source still matches its hash; otherwise (a module edited since, a checkout of
another commit) every listed module runs from its ``.py``, with a warning that says how
to compile again. All or none: a compiled module calls the others' compiled code
directly, so a mix would run stale code.

``GEOMAP_PURE=1`` runs pure Python on purpose (to compare, or to debug).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["CompiledWarning", "compiled_modules", "source_path", "status"]

_PACKAGE = Path(__file__).resolve().parent
MANIFEST = _PACKAGE / "compiled.json"


class CompiledWarning(UserWarning):
    """The compiled modules are older than their sources: pure Python runs."""


def source_path(module: str) -> Path:
    """The ``.py`` file of a module of this repository (``geo.text`` → ``geo/text.py``)."""
    return _PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")


def _built() -> list[str]:
    """The modules with an extension beside their ``.py`` (the ``*__mypyc`` libraries that
    hold a module's code have no source of their own)."""
    found = set()
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for ext in _PACKAGE.rglob(f"*{suffix}"):
            source = ext.with_name(ext.name.removesuffix(suffix) + ".py")
            if source.is_file():
                parts = source.relative_to(_PACKAGE.parent).with_suffix("").parts
                found.add(".".join(parts))
    return sorted(found)


def _decide() -> tuple[list[str], str]:
    """The modules built compiled, and why they run as pure Python ("" if they do not)."""
    modules = _built()
    if not modules:
        return [], "not compiled"
    if os.environ.get("GEOMAP_PURE") == "1":
        return modules, "GEOMAP_PURE=1"
    try:
        hashes = json.loads(MANIFEST.read_text())
    except (OSError, ValueError):
        hashes = None
    if not isinstance(hashes, dict):
        return modules, f"no record of the sources compiled ({MANIFEST.name})"
    for m in modules:
        try:
            digest = hashlib.sha256(source_path(m).read_bytes()).hexdigest()
        except OSError:
            continue  # an installed wheel without its sources runs what it has
        if digest != hashes.get(m):
            return modules, f"{source_path(m).name} ({m}) changed since it was compiled"
    return modules, ""


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Finds the listed modules as their ``.py`` files, before the extensions beside them."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = frozenset(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        source = source_path(fullname)
        return importlib.util.spec_from_file_location(fullname, source)


_MODULES, _REASON = _decide()
if _MODULES and _REASON:
    sys.meta_path.insert(0, _SourceFirst(_MODULES))
    if _REASON != "GEOMAP_PURE=1":
        warnings.warn(
            f"geomap runs pure Python (slower): {_REASON}; compile again with "
            "`pip install -e .` or `bash scripts/setup.sh`",
            CompiledWarning,
            stacklevel=2,
        )


def compiled_modules() -> list[str]:
    """The modules running compiled in this process (none if pure Python runs)."""
    return [] if _REASON else list(_MODULES)


def status() -> str:
    """One line: whether the compiled modules run, and if not, why."""
    if not _REASON:
        return f"compiled ({len(_MODULES)} modules)"
    return f"pure Python ({_REASON})"
