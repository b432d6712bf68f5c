"""The compiled modules (setup.py, geo/native.py): the same answers as pure Python, their
doctests, and pure Python when a source changed after compiling.

Under CI, ``GEOMAP_REQUIRE_COMPILED=1``: a build that fell back to pure Python fails here
instead of passing slowly."""

from __future__ import annotations

import ast
import doctest
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.native import compiled_modules, source_path, status

ROOT = Path(__file__).resolve().parents[1]
COMPILED = compiled_modules()
needs_compiled = pytest.mark.skipif(
    not COMPILED and os.environ.get("GEOMAP_REQUIRE_COMPILED") != "1",
    reason=f"the modules run as {status()}",
)


def test_ci_runs_the_compiled_modules():
    if os.environ.get("GEOMAP_REQUIRE_COMPILED") != "1":
        pytest.skip("only required under CI (GEOMAP_REQUIRE_COMPILED=1)")
    assert COMPILED, status()
    assert importlib.import_module(COMPILED[0]).__file__.endswith(".so")


def _docstrings(tree: ast.Module):
    """(qualified name, line, docstring) of a module and its functions, classes, methods."""
    doc = ast.get_docstring(tree, clean=False)
    if doc:
        yield "", 1, doc
    stack = [("", node) for node in tree.body]
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield name, node.lineno, doc
            if isinstance(node, ast.ClassDef):
                stack += [(f"{name}.", child) for child in node.body]


@needs_compiled
@pytest.mark.parametrize("module", COMPILED or ["geo.text"])
def test_doctests_of_a_compiled_module_pass_against_its_compiled_code(module):
    # pytest collects no doctest from an extension module (conftest.py): its examples are
    # read from the source and run with the compiled module's names
    compiled = importlib.import_module(module)
    assert compiled.__file__.endswith(".so"), status()
    path = source_path(module)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(verbose=False)
    examples = 0
    for name, line, doc in _docstrings(ast.parse(path.read_text(encoding="utf-8"))):
        test = parser.get_doctest(doc, dict(vars(compiled)), f"{module}.{name}", str(path), line)
        examples += len(test.examples)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {examples} examples failed in {module}"


def _tables(env: dict[str, str]) -> bytes:
    """The places and events of the sample reports as CSV, from a fresh process."""
    code = (
        "import sys\n"
        "from geo import extract_events, find_places, read_reports\n"
        "reports = read_reports(sys.argv[1])\n"
        "places = find_places(reports)\n"
        "events = extract_events(reports, places)\n"
        "sys.stdout.write(places.drop(columns='geometry').to_csv(index=False))\n"
        "sys.stdout.write(events.drop(columns='geometry').to_csv(index=False))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "data" / "samples" / "corpus")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=600,
    )
    return out.stdout


@needs_compiled
def test_compiled_modules_find_what_pure_python_finds():
    compiled = _tables({**os.environ, "GEOMAP_PURE": "0"})
    pure = _tables({**os.environ, "GEOMAP_PURE": "1"})
    assert compiled.count(b"\n") > 100  # places and events were found
    assert compiled == pure


@needs_compiled
def test_tests_that_patch_internals_pass_on_pure_python():
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "pure", "-p", "no:cacheprovider", "tests"],
        env={**os.environ, "GEOMAP_PURE": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-2000:]
    assert " passed" in out.stdout and "skipped" not in out.stdout.splitlines()[-1]


def _import_in(folder: Path) -> subprocess.CompletedProcess:
    """Import geo.text from the package copied into ``folder``: its file, then the status."""
    code = "import geo.text, geo.native; print(geo.text.__file__); print(geo.native.status())"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder), "GEOMAP_PURE": "0"},
        capture_output=True,
        text=True,
        check=True,
    )


@needs_compiled
def test_a_source_edited_after_compiling_runs_as_pure_python(tmp_path):
    # a copy of the package, compiled modules and all, with one source edited since
    shutil.copytree(ROOT / "geo", tmp_path / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    edited = tmp_path / "geo" / "text.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    out = _import_in(tmp_path)
    path, line = out.stdout.splitlines()
    assert path == str(edited)
    assert line.startswith("pure Python (text.py (geo.text) changed since it was compiled")
    assert "geomap runs pure Python (slower)" in out.stderr
    # unedited, the same copy runs compiled
    shutil.copy(ROOT / "geo" / "text.py", edited)
    again = _import_in(tmp_path)
    assert again.stdout.splitlines()[0].endswith(".so")
    assert again.stdout.splitlines()[1].startswith("compiled (")
    # extensions with no record of the sources they were built from (a build that fell
    # back to pure Python after an earlier one compiled) are not run either
    (tmp_path / "geo" / "compiled.json").unlink()
    third = _import_in(tmp_path)
    assert third.stdout.splitlines() == [
        str(edited),
        "pure Python (no record of the sources compiled (compiled.json))",
    ]
