"""Where geomap's data files are: the one module that locates them.

The repository keeps its data at the top (``data/``); the wheel ships the same
folder as the package ``geomap_data`` (``pyproject.toml`` maps it with
setuptools' ``package-dir``), and :mod:`importlib.resources` finds it wherever
it is installed: an editable install, a wheel in a virtual environment, a
clone run with ``PYTHONPATH=.``. Nothing else in ``geo``, ``maps`` or
``geomap`` builds a path to ``data/`` by hand.
"""

from __future__ import annotations

import importlib.resources
from functools import lru_cache
from pathlib import Path

__all__ = ["DATA_PACKAGE", "data_dir", "data_path", "demo_reports", "sample_path"]

#: The importable name of the folder ``data/`` once installed.
DATA_PACKAGE = "geomap_data"


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """The folder that holds geomap's data files, as a filesystem path.

    Found through :mod:`importlib.resources` (package :data:`DATA_PACKAGE`); in a
    source tree that was never installed, the repository's ``data/`` beside ``geo/``.

    Examples
    --------
    >>> (data_dir() / "admin1.parquet").is_file()
    True
    """
    try:
        root = importlib.resources.files(DATA_PACKAGE)
    except ModuleNotFoundError:
        # Not installed (a bare checkout on sys.path): the folder is beside ``geo/``.
        return Path(__file__).resolve().parents[1] / "data"
    # Wheels and editable installs are unpacked folders, so this is a real path.
    return Path(str(root))


def data_path(*parts: str) -> Path:
    """The path of one data file (it may not exist: callers say what is missing).

    Examples
    --------
    >>> data_path("actors.csv").name
    'actors.csv'
    """
    return data_dir().joinpath(*parts)


def sample_path(*parts: str) -> Path:
    """A path under the packaged sample reports (``data/samples``).

    Examples
    --------
    >>> sample_path("corpus").is_dir()
    True
    """
    return data_path("samples", *parts)


def demo_reports() -> Path:
    """The folder of demo reports that ``geomap map`` draws when given none.

    Examples
    --------
    >>> any(p.suffix == ".txt" for p in demo_reports().iterdir())
    True
    """
    return sample_path("demo")
