"""The package boundaries the house style asks for."""

import subprocess
import sys

from tests.conftest import ROOT


def test_geo_never_imports_maps_folium_or_matplotlib():
    code = (
        "import sys, geo, geo.events, geo.control, geo.geocoder, geo.output;"
        "print(sorted(m for m in ('maps', 'folium', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_no_geo_module_imports_maps_in_its_source():
    offenders = [
        p.name
        for p in (ROOT / "geo").rglob("*.py")
        if "import maps" in p.read_text()
        or "from maps" in p.read_text()
        or "import folium" in p.read_text()
    ]
    assert offenders == []
