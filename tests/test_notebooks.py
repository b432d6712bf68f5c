"""Every notebook runs top to bottom with a real Jupyter kernel, and shows a chart and a map.

The kernel imports geomap as installed (no ``sys.path`` patching in the notebooks),
and charts use the kernel's inline backend, so a forced non-interactive backend or
a map that fails to render shows up here as a missing output.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_the_installed_package(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "sys.path" not in code
    assert 'matplotlib.use("Agg")' not in code and "matplotlib.use('Agg')" not in code


def _outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_a_chart_and_a_map(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    maps = [o for o in outputs if "leaflet" in str(o.get("data", {}).get("text/html", "")).lower()]
    assert images, "no chart was shown inline"
    assert maps, "no map was shown"
