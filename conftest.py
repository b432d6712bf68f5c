"""pytest, for the whole repository: where the pipeline's modules run compiled
(setup.py, geo/native.py), their doctests run through tests/test_compiled.py, against
the compiled functions; pytest cannot collect a module whose import is an extension.
Tests marked ``pure`` instrument module internals (a compiled module calls its
functions directly, past any patch): they run in this process only on pure Python, and
test_compiled.py runs them again in a pure-Python process."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.native import compiled_modules, source_path

_COMPILED_SOURCES = {source_path(m) for m in compiled_modules()}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    return True if collection_path.resolve() in _COMPILED_SOURCES else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _COMPILED_SOURCES:
        return
    skip = pytest.mark.skip(reason="instruments module internals: run on pure Python")
    for item in items:
        if "pure" in item.keywords:
            item.add_marker(skip)
