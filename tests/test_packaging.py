"""The installable package: data found through one module, shipped inside the wheel.

The full check (install the wheel into a fresh environment outside the
repository and run the commands there) is ``scripts/check_wheel.sh``, run by
``.ci/run``; these tests check what can be checked without installing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile

import pytest

from geo import resources
from tests.conftest import ROOT


def test_no_module_finds_data_by_a_path_of_its_own():
    pattern = re.compile(r"""parents\[\d\]\s*/\s*["']data["']|["']data["']\s*/\s*["']""")
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("geo", "maps", "geomap")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "resources.py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_data_file_is_found_through_resources():
    tracked = subprocess.run(
        ["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked, "data/ is tracked"
    for name in tracked:
        assert resources.data_path(*name.split("/")[1:]).is_file(), name


@pytest.mark.slow
def test_wheel_ships_the_data_and_an_spdx_licence(tmp_path):
    # an isolated build, as a user's pip does: setuptools>=77 from PyPI (cached after once);
    # pure Python (GEOMAP_COMPILE=0), as the data are the same: scripts/check_wheel.sh
    # builds, installs and runs the compiled wheel under CI
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", ".", "-w", tmp_path],
        cwd=ROOT,
        env={**os.environ, "GEOMAP_COMPILE": "0"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    # setuptools' own warnings (licence form, data folders "absent from packages") are gone
    warnings = [line for line in result.stdout.splitlines() if "Warning" in line]
    assert warnings == []
    (wheel,) = tmp_path.glob("geomap-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = next(zf.read(n) for n in names if n.endswith(".dist-info/METADATA")).decode()
    tracked = subprocess.run(
        ["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = [n for n in tracked if "geomap_data/" + n.split("/", 1)[1] not in names]
    assert missing == []
    assert "License-Expression: MIT" in metadata
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("data/", "tests/")) for n in names)


def test_every_python_package_is_listed_for_the_wheel():
    # setuptools ships only the packages pyproject.toml lists: a new subpackage left out
    # imports from the repository and fails in the installed wheel
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("geo", "maps", "geomap")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set()
